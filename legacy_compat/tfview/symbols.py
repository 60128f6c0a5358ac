"""The one table of what the TF 1.x view gives user code, and what it refuses.

Everything the view adds on top of ``tf.compat.v1`` is listed here as data, so that
``docs/tf1-view.md`` can be generated from it (``python -m legacy_compat.tfview.docs``)
and so that this module can be read without importing TensorFlow.

A provider is ``"module"`` (import that module) or ``"module:attr.attr"`` (import the
module, then walk the attributes).  Legacy names are full dotted paths as user code
spells them.
"""

from legacy_compat import contract
from legacy_compat.tfapi import ESTIMATOR_PACKAGE

# Legacy dotted name -> (provider, note for the docs).  An exact match always wins over
# ALIASES and UNSUPPORTED, so single names can be carved out of an unsupported package.
PROVIDED = {
    "tensorflow.contrib.learn.datasets.base.Dataset": (
        "legacy_compat.portable.contrib:Dataset",
        "Ours: `namedtuple('Dataset', ['data', 'target'])`.",
    ),
    "tensorflow.contrib.layers.variance_scaling_initializer": (
        "legacy_compat.portable.contrib:variance_scaling_initializer",
        "Ours: contrib's `factor` / `mode` / `uniform` arguments and constants.",
    ),
    "tensorflow.contrib.framework.get_global_step": (
        "tensorflow:compat.v1.train.get_global_step",
        "`tf.compat.v1.train.get_global_step`.",
    ),
    "tensorflow.contrib.framework.get_or_create_global_step": (
        "tensorflow:compat.v1.train.get_or_create_global_step",
        "`tf.compat.v1.train.get_or_create_global_step`.",
    ),
    "tensorflow.contrib.data.map_and_batch": (
        "legacy_compat.portable.contrib:map_and_batch",
        "Ours: `dataset.map(...).batch(...)` as a `Dataset.apply` transformation.",
    ),
    "tensorflow.contrib.data.FixedLengthRecordDataset": (
        "tensorflow:compat.v1.data.FixedLengthRecordDataset",
        "`tf.compat.v1.data.FixedLengthRecordDataset`.",
    ),
    "tensorflow.contrib.data.TFRecordDataset": (
        "tensorflow:compat.v1.data.TFRecordDataset",
        "`tf.compat.v1.data.TFRecordDataset`.",
    ),
    "tensorflow.contrib.data.TextLineDataset": (
        "tensorflow:compat.v1.data.TextLineDataset",
        "`tf.compat.v1.data.TextLineDataset`.",
    ),
    "tensorflow.contrib.data.Dataset": (
        "tensorflow:compat.v1.data.Dataset",
        "`tf.compat.v1.data.Dataset`.",
    ),
    "sagemaker_tensorflow.PipeModeDataset": (
        "legacy_compat.portable.pipemode:PipeModeDataset",
        "Only when the real `sagemaker_tensorflow` is not installed. Ours reads TFRecords: in "
        "Pipe mode (`TrainingInputMode: Pipe` in inputdataconfig.json) record by record from "
        "the FIFOs `<channel>_<epoch>` under `$SM_INPUT_DIR/data`, the next epoch's FIFO for "
        "each new iteration; otherwise the channel's files in sorted order from "
        "`SM_CHANNEL_<NAME>`, `$SM_INPUT_DIR/data/<name>` or `/opt/ml/input/data/<name>`.",
    ),
}

# What each stand-in shared with the converter (contract.CONTRIB_STAND_INS) does.
_STAND_IN_NOTES = {
    "load_csv_with_header": "Ours: header row `n_samples,n_features,[target names]`; returns "
                            "`Dataset(data, target)`.",
    "load_csv_without_header": "Ours: no header row, the target is the last column; returns "
                               "`Dataset(data, target)`.",
    "optimize_loss": "Ours: contrib's train op and summaries (a learning-rate summary only when "
                     "it decays); optimizer given as a name, class, instance or callable; "
                     "`clip_gradients`, `gradient_multipliers`, `update_ops` as in contrib.",
    "xavier_initializer": "Ours: Glorot (fan average) with contrib's constants: uniform in "
                          "+-sqrt(3/n), or truncated normal with stddev sqrt(1.3/n).",
    "l2_regularizer": "Ours: `scale * tf.nn.l2_loss(weights)` (half the sum of squares); a "
                      "scale of 0 gives a function returning None, as in contrib.",
    "l1_regularizer": "Ours: `scale * sum(abs(weights))`; a scale of 0 gives a function "
                      "returning None, as in contrib.",
    "local_variable": "Ours: a non-trainable variable in `LOCAL_VARIABLES`.",
}
for _legacy_name, _stand_in in contract.CONTRIB_STAND_INS.items():
    PROVIDED[_legacy_name] = ("legacy_compat.portable.contrib:" + _stand_in,
                              _STAND_IN_NOTES[_stand_in])

# Legacy package prefix -> candidate real targets, tried in order.  ``@keras`` is the Keras
# that model_to_estimator accepts on the running TF (``tfapi.keras()``: keras 2.x's v1 API
# up to TF 2.15, tf_keras's on 2.16+, tf.keras on 1.x) and ``@keras.src`` its private
# package.  Names below the prefix are looked up as attributes of the target first, then
# imported as ``<target>.<rest of the name>`` (only for plain module targets, not
# "module:attr").
ALIASES = {
    "tensorflow": (
        ("tensorflow:compat.v1",),
        "All of `tf.compat.v1`, with v2 behaviour disabled (`tf.estimator` is the v1 "
        "estimator, `tf.keras` is the Keras 2 `tf.compat.v1.keras`).",
    ),
    "tensorflow.python": (
        ("tensorflow.python",),
        "TensorFlow's own private modules, imported for real "
        "(e.g. `tensorflow.python.saved_model.signature_constants`).",
    ),
    "tensorflow.python.estimator": (
        (ESTIMATOR_PACKAGE,),
        "The estimator now lives in the `tensorflow_estimator` package (on TF 2.16+ the "
        "2.15 release revived by `legacy_compat.estimator`, see docs/tf-modern.md).",
    ),
    "tensorflow.python.keras": (
        ("@keras", "@keras.src"),
        "The Keras 2 package that `model_to_estimator` accepts (its v1 API, then its "
        "private modules), not TensorFlow's stale internal copy: `keras` 2.x up to TF 2.15, "
        "`tf_keras` on TF 2.16+ (where `keras` is Keras 3).",
    ),
    "tensorflow.python.keras._impl.keras": (
        ("@keras", "@keras.src"),
        "Keras' home in TF 1.4-1.8: the same objects as `tensorflow.python.keras` (modules "
        "whose layout changed are in [Old Keras homes](#old-keras-homes)).",
    ),
    "tensorflow.contrib.keras.python.keras": (
        ("@keras", "@keras.src"),
        "Keras' home in TF 1.0-1.3: the same objects as `tensorflow.python.keras` (modules "
        "whose layout changed are in [Old Keras homes](#old-keras-homes)).",
    ),
    "tensorflow.keras": (
        ("@keras",),
        "`tf.compat.v1.keras` (Keras 2, legacy optimizers that work in graph mode; "
        "`tf_keras` on TF 2.16+).",
    ),
    "tensorflow.contrib.keras": (
        ("@keras",),
        "`tf.compat.v1.keras`.",
    ),
    "tensorflow.contrib.keras.api.keras": (
        ("@keras",),
        "`tf.compat.v1.keras` (TF 1.4's other spelling of `tf.contrib.keras`).",
    ),
}

# Legacy name -> what to use instead.  A key matches itself and every name below it;
# a key ending in ".*" matches only the names below it (the package itself is a
# namespace the view provides).  The longest matching key in ALIASES or here wins.
UNSUPPORTED = {
    "tensorflow.contrib.*": (
        "nothing in TensorFlow 2; rewrite with the tf.compat.v1 / tf.keras equivalent "
        "(see `tf_upgrade_v2`'s report for hints)"
    ),
    "tensorflow.contrib.slim": (
        "tf.compat.v1.layers / tf.keras.layers (or the standalone `tf_slim` package)"
    ),
    "tensorflow.contrib.rnn": (
        "tf.compat.v1.nn.rnn_cell (LSTMCell, GRUCell, MultiRNNCell, ...) with "
        "tf.compat.v1.nn.dynamic_rnn, or tf.keras.layers.LSTM / GRU"
    ),
    "tensorflow.contrib.learn.*": "tf.estimator (tf.compat.v1.estimator)",
    "tensorflow.contrib.learn.Experiment": (
        "tf.estimator.train_and_evaluate(estimator, TrainSpec, EvalSpec)"
    ),
    "tensorflow.contrib.learn.learn_runner": (
        "tf.estimator.train_and_evaluate(estimator, TrainSpec, EvalSpec)"
    ),
    "tensorflow.contrib.learn.RunConfig": "tf.estimator.RunConfig",
    "tensorflow.contrib.learn.datasets.*": (
        "load_csv_with_header / load_csv_without_header (provided), or numpy / tf.data"
    ),
    "tensorflow.contrib.layers.*": "tf.layers (tf.compat.v1.layers) or tf.keras.layers",
    "tensorflow.contrib.framework.*": "tf.train / tf.compat.v1 equivalents",
    "tensorflow.contrib.data.*": "tf.data / tf.data.experimental",
    "tensorflow.contrib.training.HParams": "a plain dict (the hyperparameters are already one)",
    "tensorflow.contrib.metrics": "tf.metrics (tf.compat.v1.metrics)",
    "tensorflow.contrib.losses": "tf.losses (tf.compat.v1.losses)",
    "tensorflow.contrib.predictor": (
        "tf.compat.v1.saved_model.loader.load in a tf.Session, or tf.saved_model.load"
    ),
    "tensorflow.contrib.tpu": "tf.compat.v1.estimator.tpu",
    "tensorflow.python.keras.wrappers.scikit_learn": (
        "the scikeras package (KerasClassifier / KerasRegressor); Keras 2.15 has no scikit-learn "
        "wrappers"
    ),
    "tensorflow.contrib.keras.wrappers.scikit_learn": (
        "the scikeras package (KerasClassifier / KerasRegressor); Keras 2.15 has no scikit-learn "
        "wrappers"
    ),
    "sagemaker_tensorflow.*": (
        "the real package: pip install the sagemaker-tensorflow release matching your "
        "TensorFlow version (the stand-in only has PipeModeDataset)"
    ),
}

# Keras homes whose moved submodules (keys of tables.keras_moves.MOVED: ``engine.topology``,
# ``layers.core``, ``optimizers`` with its lowercase aliases...) are built by
# ``legacy_compat.tfview.keras_homes.build`` from the Keras this TensorFlow uses.  On TF 1.x
# only the homes the installed release lacks go through the view (``TF1_ALIASES``).
KERAS_HOMES = (
    "tensorflow.contrib.keras.python.keras",
    "tensorflow.python.keras._impl.keras",
    "tensorflow.python.keras",
)

# On a real TF 1.x the script gets the real ``tensorflow``; an import that fails there and
# starts with one of these keys is resolved with these aliases instead (first target that
# loads), so one script imports Keras the same way on every release.
TF1_ALIASES = {
    "tensorflow": (("tensorflow",), "The real TensorFlow 1.x."),
    "tensorflow.contrib.keras.python.keras": (
        ("tensorflow.python.keras._impl.keras", "tensorflow.python.keras"),
        "TF 1.0-1.3's Keras home: TF 1.4-1.8's `tensorflow.python.keras._impl.keras`, "
        "later `tensorflow.python.keras`.",
    ),
    "tensorflow.python.keras._impl.keras": (
        ("tensorflow.python.keras",),
        "TF 1.4-1.8's Keras home: `tensorflow.python.keras` from TF 1.9 on.",
    ),
}
