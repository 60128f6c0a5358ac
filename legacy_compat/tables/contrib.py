"""tf.contrib uses found in Legacy Mode scripts -> TensorFlow 2.15 code (hand-written).

Keys are canonical names (``tf.contrib....``); a key also covers everything
below it (``tf.contrib.keras`` covers ``tf.contrib.keras.layers.Dense``).
Values are one of:

* a string: the replacement name (same call signature);
* ``Helper(name)``: ``legacy-compat train``'s own stand-in of that name
  (``legacy_compat/portable/contrib.py``), which the converted script imports from
  its support module (see ``legacy_compat/convert/helpers.py``), because no
  drop-in name exists;
* ``Unconvertible(message, suggestion)``: reported as an ERROR and marked
  in the output.

Any other ``tf.contrib`` name is an ERROR.  The generated
``tf_renames.SYMBOL_RENAMES`` also holds some ``tf.contrib`` renames taken
from ``tf_upgrade_v2``; entries here take precedence.
"""
import collections

from legacy_compat import contract

Helper = collections.namedtuple("Helper", "name")
Unconvertible = collections.namedtuple("Unconvertible", "message suggestion")

REPLACEMENTS = {
    # tf.contrib.learn: input helpers, mode keys (dataset loaders: contract.CONTRIB_STAND_INS)
    "tf.contrib.learn.ModeKeys": "tf.estimator.ModeKeys",
    "tf.contrib.learn.io.numpy_input_fn": "tf.compat.v1.estimator.inputs.numpy_input_fn",
    "tf.contrib.learn.io.pandas_input_fn": "tf.compat.v1.estimator.inputs.pandas_input_fn",
    "tf.contrib.learn.learn_io.numpy_input_fn": "tf.compat.v1.estimator.inputs.numpy_input_fn",
    "tf.contrib.learn.learn_io.pandas_input_fn": "tf.compat.v1.estimator.inputs.pandas_input_fn",
    "tf.contrib.learn.Estimator": Unconvertible(
        "tf.contrib.learn.Estimator has no TensorFlow 2 equivalent",
        "return a tf.estimator.Estimator built from a model_fn instead"),
    "tf.contrib.learn.Experiment": Unconvertible(
        "tf.contrib.learn.Experiment has no TensorFlow 2 equivalent",
        "the generated main() already runs tf.estimator.train_and_evaluate"),
    # tf.contrib.layers
    "tf.contrib.layers.flatten": "tf.compat.v1.layers.flatten",
    "tf.contrib.layers.real_valued_column": "tf.feature_column.numeric_column",
    "tf.contrib.layers.fully_connected": Unconvertible(
        "tf.contrib.layers.fully_connected cannot be converted automatically",
        "tf.compat.v1.layers.dense(inputs, units, activation=tf.nn.relu) "
        "(fully_connected defaults to a ReLU activation)"),
    "tf.contrib.layers.conv2d": Unconvertible(
        "tf.contrib.layers.conv2d cannot be converted automatically",
        "tf.compat.v1.layers.conv2d(inputs, filters, kernel_size, padding='same', "
        "activation=tf.nn.relu)"),
    # tf.contrib.framework
    "tf.contrib.framework.get_global_step": "tf.compat.v1.train.get_global_step",
    "tf.contrib.framework.get_or_create_global_step": "tf.compat.v1.train.get_or_create_global_step",
    "tf.contrib.framework.get_variables": "tf.compat.v1.get_collection",
    # tf.contrib.data
    "tf.contrib.data.map_and_batch": "tf.data.experimental.map_and_batch",
    "tf.contrib.data.FixedLengthRecordDataset": "tf.data.FixedLengthRecordDataset",
    "tf.contrib.data.TFRecordDataset": "tf.data.TFRecordDataset",
    "tf.contrib.data.TextLineDataset": "tf.data.TextLineDataset",
    "tf.contrib.data.Dataset": "tf.data.Dataset",
    "tf.contrib.data.Iterator": "tf.compat.v1.data.Iterator",
    "tf.contrib.data.shuffle_and_repeat": "tf.data.experimental.shuffle_and_repeat",
    "tf.contrib.data.parallel_interleave": "tf.data.experimental.parallel_interleave",
    # tf.contrib.keras was tf.keras under an older name
    "tf.contrib.keras": "tf.keras",
    "tf.contrib.keras.api.keras": "tf.keras",
    # things legacy scripts used that need a person
    "tf.contrib.metrics.streaming_accuracy": Unconvertible(
        "tf.contrib.metrics.streaming_accuracy cannot be converted automatically",
        "tf.compat.v1.metrics.accuracy(labels, predictions) -- note the swapped argument order"),
    "tf.contrib.slim": Unconvertible(
        "tf.contrib.slim does not exist in TensorFlow 2",
        "use tf.compat.v1.layers, or install the tf-slim package and import tf_slim"),
    "tf.contrib.rnn": Unconvertible(
        "tf.contrib.rnn does not exist in TensorFlow 2",
        "use tf.compat.v1.nn.rnn_cell or tf.keras.layers RNN cells"),
}

# The stand-ins `legacy-compat train` provides too: the same helper on both paths.
REPLACEMENTS.update(("tf." + name[len("tensorflow."):], Helper(helper))
                    for name, helper in contract.CONTRIB_STAND_INS.items())
