"""The older homes of Keras inside TensorFlow, mapped onto the Keras this TensorFlow uses.

Keras lived at ``tensorflow.contrib.keras.python.keras`` (TF 1.0-1.3), then at
``tensorflow.python.keras._impl.keras`` (TF 1.4-1.8), then at ``tensorflow.python.keras``.
Scripts of every era import from whichever home was current, e.g.
``from tensorflow.python.keras._impl.keras.engine.topology import InputLayer``.

The objects handed out are the ones of the Keras that ``model_to_estimator`` accepts here
(``tf.keras`` on TF 1.x, the v1 API of the ``keras`` package on TF 2.x), so a model built
from an old home is an ordinary model of today's Keras.  Modules whose layout changed
(``engine.topology``, ``layers.core``, ``utils.np_utils``...) are built here from the names
they used to hold; ``legacy_compat.tables.keras_moves.MOVED`` is the table (also rendered to
docs/tf1-view.md).

Keras is imported when the first such module is built, i.e. when user code reaches an old home.
"""

import types

from legacy_compat import tfapi
from legacy_compat.tables.keras_moves import MOVED


def concrete(spec):
    """``@keras`` -> the public Keras module's name, ``@keras.src`` -> its private package."""
    if spec == "@keras":
        return _keras_module().__name__
    if spec == "@keras.src":
        return private_package()
    raise ValueError("unknown Keras target {0!r}".format(spec))


def private_package():
    """Where the installed TensorFlow keeps Keras' own modules (``engine``, ``optimizers``)."""
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
