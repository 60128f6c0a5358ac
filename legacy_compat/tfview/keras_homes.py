"""The older homes of Keras inside TensorFlow, mapped onto the Keras this TensorFlow uses.

Keras lived at ``tensorflow.contrib.keras.python.keras`` (TF 1.0-1.3), then at
``tensorflow.python.keras._impl.keras`` (TF 1.4-1.8), then at ``tensorflow.python.keras``.
Scripts of every era import from whichever home was current, e.g.
``from tensorflow.python.keras._impl.keras.engine.topology import InputLayer``.

The objects handed out are the ones of the Keras that ``model_to_estimator`` accepts here
(``tf.keras`` on TF 1.x, the v1 API of the ``keras`` package on TF 2.x), so a model built
from an old home is an ordinary model of today's Keras.  Modules whose layout changed
(``engine.topology``, ``layers.core``, ``utils.np_utils``...) are built here from the names
they used to hold; ``MOVED`` is the table (also rendered to docs/tf1-view.md).

Importing this module imports Keras: it is loaded only when user code reaches an old home.
"""

import types

# The Keras homes of the TF 1.x releases, oldest first.
HOMES = (
    "tensorflow.contrib.keras.python.keras",
    "tensorflow.python.keras._impl.keras",
)

# Submodule of an old home -> (public Keras module it takes its names from, extra names).
# Extra names are (name, [candidate "module:attr" specs]) for what the public API lacks.
_LAYER_MODULES = ("core", "convolutional", "convolutional_recurrent", "pooling", "recurrent",
                  "normalization", "embeddings", "merge", "noise", "advanced_activations",
                  "wrappers", "local", "cudnn_recurrent", "serialization")
_UTIL_MODULES = ("np_utils", "generic_utils", "data_utils", "io_utils", "layer_utils",
                 "conv_utils", "vis_utils")

_TOPOLOGY_EXTRAS = (
    ("Input", ("{keras}:Input",)),
    ("InputLayer", ("{keras}:layers.InputLayer",)),
    ("InputSpec", ("{keras}:layers.InputSpec",)),
    ("Layer", ("{keras}:layers.Layer",)),
    ("Node", ("{private}.engine.node:Node", "{private}.engine.base_layer:Node",
              "{private}.engine.topology:Node")),
    ("Network", ("{private}.engine.functional:Functional", "{private}.engine.network:Network",
                 "{private}.engine.topology:Network")),
    ("Container", ("{private}.engine.functional:Functional", "{private}.engine.network:Network",
                   "{private}.engine.topology:Container")),
    ("get_source_inputs", ("{keras}:utils.get_source_inputs",)),
)

MOVED = {
    "engine": ("{keras}", _TOPOLOGY_EXTRAS + (("Model", ("{keras}:Model",)),)),
    "engine.topology": (None, _TOPOLOGY_EXTRAS),
    "engine.training": (None, (("Model", ("{keras}:Model",)),)),
    "optimizers": ("{keras}:optimizers", (
        # Keras 2.0/2.1 aliases of the optimizer classes.
        ("sgd", ("{keras}:optimizers.SGD",)),
        ("rmsprop", ("{keras}:optimizers.RMSprop",)),
        ("adagrad", ("{keras}:optimizers.Adagrad",)),
        ("adadelta", ("{keras}:optimizers.Adadelta",)),
        ("adam", ("{keras}:optimizers.Adam",)),
        ("adamax", ("{keras}:optimizers.Adamax",)),
        ("nadam", ("{keras}:optimizers.Nadam",)),
        ("TFOptimizer", ("{private}.optimizers.optimizer_v1:TFOptimizer",
                         "{private}.optimizers:TFOptimizer")),
    )),
}
for _name in _LAYER_MODULES:
    MOVED["layers." + _name] = ("{keras}:layers", ())
for _name in _UTIL_MODULES:
    MOVED["utils." + _name] = ("{keras}:utils", ())


def concrete(spec):
    """``@keras`` -> the public Keras module's name, ``@keras.src`` -> its private package."""
    if spec == "@keras":
        return _keras_module().__name__
    if spec == "@keras.src":
        return private_package()
    raise ValueError("unknown Keras target {0!r}".format(spec))


def private_package():
    """Where the installed TensorFlow keeps Keras' own modules (``engine``, ``optimizers``)."""
    from legacy_compat import tfapi
    if tfapi.is_tf2():
        # keras.api._v1.keras -> keras.src; tf_keras (TF 2.16+) -> tf_keras.src
        return _keras_module().__name__.split(".")[0] + ".src"
    import importlib
    for private in ("tensorflow.python.keras._impl.keras", "tensorflow.python.keras"):
        try:
            importlib.import_module(private + ".engine")
            return private
        except ImportError:
            continue
    return "tensorflow.python.keras"


def _keras_module():
    from legacy_compat import tfapi
    return tfapi.keras()


def _load(spec, keras, private):
    import importlib
    module_name, _, attrs = spec.partition(":")
    if module_name == "{keras}":
        obj = keras
    else:
        obj = importlib.import_module(module_name.replace("{private}", private))
    for attr in attrs.split(".") if attrs else ():
        obj = getattr(obj, attr)
    return obj


def build(home, rest):
    """The module ``<home>.<rest>`` for a key of MOVED, built from today's Keras."""
    base_spec, extras = MOVED[rest]
    keras = _keras_module()
    private = private_package()
    module = types.ModuleType(home + "." + rest,
                              "legacy-compat: {0}.{1} of TF 1.x, built from {2}".format(
                                  home, rest, getattr(keras, "__name__", "tf.keras")))
    if base_spec is not None:
        base = _load(base_spec, keras, private)
        for name in dir(base):
            if not name.startswith("_"):
                setattr(module, name, getattr(base, name))
    for name, candidates in extras:
        for spec in candidates:
            try:
                setattr(module, name, _load(spec, keras, private))
                break
            except (ImportError, AttributeError):
                continue
    return module
