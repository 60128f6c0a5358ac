"""The modules of TF 1.x's old Keras homes whose layout changed, and what they held.

Data only (no TensorFlow, no Keras): the TF 1.x view builds these modules from today's Keras
(``legacy_compat/tfview/keras_homes.py``) and the converter rewrites them to public
``tf.keras`` names (``private_imports.py``). Python 2.7 compatible.
"""

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
