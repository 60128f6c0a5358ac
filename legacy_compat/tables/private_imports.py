"""Private ``tensorflow.python.*`` names -> public TensorFlow 2.15 names (hand-written).

Keys are canonical (``tensorflow.python.x`` is written ``tf.python.x``) and
cover everything below them: ``tf.python.estimator.model_fn`` maps
``...model_fn.ModeKeys`` to ``tf.estimator.ModeKeys``.  Other
``tensorflow.python`` names are reported as ERROR findings.
"""

from legacy_compat.tables import keras_moves

PUBLIC_NAMES = {
    # estimator internals that legacy scripts imported directly
    "tf.python.estimator.model_fn": "tf.estimator",
    "tf.python.estimator.estimator": "tf.estimator",
    "tf.python.estimator.run_config": "tf.estimator",
    "tf.python.estimator.training": "tf.estimator",
    "tf.python.estimator.exporter": "tf.estimator",
    "tf.python.estimator.export.export": "tf.estimator.export",
    "tf.python.estimator.export.export_output": "tf.estimator.export",
    "tf.python.estimator.export.export_lib": "tf.estimator.export",
    "tf.python.estimator.export": "tf.estimator.export",
    "tf.python.estimator.inputs.numpy_io": "tf.compat.v1.estimator.inputs",
    "tf.python.estimator.inputs.pandas_io": "tf.compat.v1.estimator.inputs",
    "tf.python.estimator.inputs": "tf.compat.v1.estimator.inputs",
    "tf.python.estimator.canned.dnn": "tf.compat.v1.estimator",
    "tf.python.estimator.canned.linear": "tf.compat.v1.estimator",
    "tf.python.estimator.canned.dnn_linear_combined": "tf.compat.v1.estimator",
    # SavedModel constants
    "tf.python.saved_model.signature_constants": "tf.compat.v1.saved_model.signature_constants",
    "tf.python.saved_model.tag_constants": "tf.compat.v1.saved_model.tag_constants",
    "tf.python.saved_model.signature_def_utils": "tf.compat.v1.saved_model.signature_def_utils",
    "tf.python.saved_model.builder": "tf.compat.v1.saved_model.builder",
    "tf.python.saved_model.loader": "tf.compat.v1.saved_model.loader",
    # Keras lived under tensorflow.python.keras (TF 1.9+), and before that in the two older
    # homes below; their moved submodules are added from keras_moves.MOVED at the end.
    "tf.python.keras": "tf.keras",
    "tf.python.keras._impl.keras": "tf.keras",
    "tf.contrib.keras.python.keras": "tf.keras",
    # training
    "tf.python.training.adam": "tf.compat.v1.train",
    "tf.python.training.adagrad": "tf.compat.v1.train",
    "tf.python.training.ftrl": "tf.compat.v1.train",
    "tf.python.training.gradient_descent": "tf.compat.v1.train",
    "tf.python.training.momentum": "tf.compat.v1.train",
    "tf.python.training.rmsprop": "tf.compat.v1.train",
    "tf.python.training.training_util": "tf.compat.v1.train",
    "tf.python.training.basic_session_run_hooks": "tf.compat.v1.train",
    "tf.python.training.session_run_hook": "tf.compat.v1.train",
    # platform
    "tf.python.platform.tf_logging": "tf.compat.v1.logging",
    "tf.python.platform.gfile": "tf.compat.v1.gfile",
}


def _keras_home_entries():
    """``<old home>.engine.topology`` -> ``tf.keras.layers`` ...: the table the view builds
    these modules from, rewritten to public ``tf.keras`` names."""
    entries = {}
    for home in ("tf.python.keras", "tf.python.keras._impl.keras", "tf.contrib.keras.python.keras"):
        for rest, (base, extras) in keras_moves.MOVED.items():
            if base is not None:
                entries[home + "." + rest] = _public(base)
            for name, candidates in extras:
                public = [c for c in candidates if c.startswith("{keras}:")]
                if public:
                    entries[home + "." + rest + "." + name] = _public(public[0])
    entries["tf.contrib.keras.optimizers"] = _public("{keras}:optimizers")
    for home in ("tf.python.keras", "tf.python.keras._impl.keras", "tf.contrib.keras.python.keras",
                 "tf.contrib.keras"):
        for name in ("get", "serialize", "deserialize"):  # not in optimizers.legacy
            entries[home + ".optimizers." + name] = "tf.keras.optimizers." + name
    return entries


def _public(spec):
    name = "tf.keras" + spec[len("{keras}"):].replace(":", ".")
    # Keras 2.11+'s new optimizers refuse the Keras 2.0 arguments (lr=, decay=) old homes'
    # scripts pass; its legacy optimizers are those, and what the view gives on TF 2.x.
    if name == "tf.keras.optimizers" or name.startswith("tf.keras.optimizers."):
        name = "tf.keras.optimizers.legacy" + name[len("tf.keras.optimizers"):]
    return name


PUBLIC_NAMES.update(_keras_home_entries())
