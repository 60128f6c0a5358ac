"""Before -> after of the model_fn constructs of tests/fixtures/scripts/tiny_model.py: the
features taken as a dict or a tensor, labels cast and reshaped into a name, tf.cast in the
network, and a layer call inside an op wrapped to 100 columns."""
import pytest

from legacy_compat.convert.keras import convert_keras

TINY = '''\
import numpy as np
import tensorflow as tf


def model_fn(features, labels, mode, params):
    PICK
    predictions = tf.reshape(tf.layers.dense(tf.cast(x, tf.float32), 1, name='a_linear_layer'), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'ages': predictions})
    LABELS
    loss = tf.losses.mean_squared_error(labels, predictions)
    optimizer = tf.train.GradientDescentOptimizer(0.01)
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metric_ops={'rmse': tf.metrics.root_mean_squared_error(labels, predictions)})


def serving_input_fn(params):
    placeholder = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({'x': placeholder})()


def train_input_fn(training_dir, params):
    INPUT


def eval_input_fn(training_dir, params):
    return train_input_fn(training_dir, params)
'''
PICK = "x = features['x'] if isinstance(features, dict) else features"
LABELS = "labels = tf.cast(tf.reshape(labels, [-1]), tf.float32)"
DICT_INPUT = ("return tf.estimator.inputs.numpy_input_fn(x={'x': np.zeros((4, 7))}, "
              "y=np.zeros(4), shuffle=False)()")


def _convert(pick=PICK, labels=LABELS, input_fn=DICT_INPUT):
    source = TINY.replace("PICK", pick).replace("LABELS", labels).replace("INPUT", input_fn)
    return convert_keras(source, "train.py")


def _errors(conversion):
    return [f for f in conversion.findings if f.severity == "ERROR"]


@pytest.mark.parametrize("pick", [
    PICK,
    "x = features if not isinstance(features, dict) else features['x']",
    "if isinstance(features, dict):\n        x = features['x']\n    else:\n        x = features",
    "if not isinstance(features, dict):\n        x = features\n    else:\n"
    "        x = features['x']",
])
@pytest.mark.parametrize("input_fn", [
    DICT_INPUT,
    # a tuple of a dict and labels; a dataset mapped to one; a variable holding the dict
    "return {'x': np.zeros((4, 7))}, np.zeros(4)",
    "return tf.data.Dataset.from_tensor_slices((np.zeros((4, 7)), np.zeros(4))).map(\n"
    "        lambda x, y: ({'x': x}, y)).batch(2)",
    "x = {'x': np.zeros((4, 7))}\n    return tf.estimator.inputs.numpy_input_fn(\n"
    "        x, np.zeros(4), shuffle=False)()",
    # gated_input.py: a generator's types (positional, with its shapes)
    "return tf.data.Dataset.from_generator(\n        lambda: iter([]), ({'x': tf.float32}, "
    "tf.float32),\n        ({'x': tf.TensorShape([2, 7])}, tf.TensorShape([2])))",
])
def test_features_of_a_dict_are_the_dict_entry(pick, input_fn):
    conversion = _convert(pick=pick, input_fn=input_fn)
    if "return {'x'" in input_fn:  # the numpy tuple itself is not a dataset (yet)
        assert "isinstance" not in "".join(f.message for f in _errors(conversion))
        return
    assert not _errors(conversion), _errors(conversion)
    output = conversion.output
    assert "    features = {'x': keras.Input(shape=(7,), dtype=tf.float32, name='x')}\n" \
        "    x = features['x']\n    predictions = keras.ops.reshape(" in output, output
    assert "isinstance" not in output


@pytest.mark.parametrize("input_fn", [
    # features a bare tensor: the script's else branch, which the Keras model has not
    "return tf.estimator.inputs.numpy_input_fn(np.zeros((4, 7)), np.zeros(4), shuffle=False)()",
    # not known
    "return tf.data.Dataset.from_tensor_slices((np.zeros((4, 7)), np.zeros(4))).batch(2)",
    "return tf.data.Dataset.from_generator(lambda: iter([]), (tf.float32, tf.float32))",
])
def test_features_not_known_to_be_a_dict_fall_back(input_fn):
    conversion = _convert(input_fn=input_fn)
    errors = _errors(conversion)
    assert errors and "`x = features['x'] if isinstance(features, dict) else features` where " \
        "the input functions are not known to give a dict" in errors[0].message, errors
    # the finding's line: the construct's in the file written for the Estimator target
    assert "import legacy_compat.estimator" in conversion.output
    assert errors[0].line == _line_of(conversion.output, "    " + PICK)


def _line_of(text, line):
    return text.splitlines().index(line) + 1


def test_findings_after_a_rewritten_if_statement_keep_their_lines():
    pick = "if isinstance(features, dict):\n        x = features['x']\n    else:\n" \
        "        x = features\n    x = tf.layers.dense(x, 7, name=str(mode))"
    conversion = _convert(pick=pick)
    errors = _errors(conversion)
    assert errors and "the network uses `mode`" in errors[0].message, errors
    assert errors[0].line == _line_of(conversion.output, "    x = tf.compat.v1.layers.dense("
                                      "x, 7, name=str(mode))")


def test_other_isinstance_branches_stay_refused():
    errors = _errors(_convert(pick="x = features['x'] if isinstance(features, list) else "
                              "features"))
    assert errors and "in the network" in errors[0].message, errors


@pytest.mark.parametrize("labels", [
    LABELS, "labels = tf.reshape(labels, [-1])", "targets = tf.cast(labels, tf.float32)"])
def test_labels_cast_and_reshaped_into_a_name_are_what_keras_gives_the_loss(labels):
    conversion = _convert(labels=labels.replace("targets", "labels") if "targets" not in
                          labels else labels)
    if "targets" in labels:  # the loss and metric read the new name
        source = TINY.replace("PICK", PICK).replace("LABELS", labels).replace(
            "INPUT", DICT_INPUT).replace("(labels, predictions)", "(targets, predictions)")
        conversion = convert_keras(source, "train.py")
    assert not _errors(conversion), _errors(conversion)
    output = conversion.output
    assert "loss=keras.losses.MeanSquaredError()" in output
    assert "metrics=[keras.metrics.RootMeanSquaredError(name='rmse')]" in output
    assert "labels = " not in output and "targets" not in output


@pytest.mark.parametrize("labels", [
    "labels = labels * 2.0", "labels = tf.cast(tf.reshape(labels, [-1, 2]), tf.float32)"])
def test_labels_transformed_otherwise_fall_back(labels):
    errors = _errors(_convert(labels=labels))
    assert errors and errors[0].message.startswith(
        "not converted to Keras: model_fn statement `%s`" % labels), errors


def test_cast_in_the_network_and_an_op_around_a_long_layer_call_kept():
    output = _convert().output
    # the reshape around the layer: the legacy export's [batch] output, not [batch, 1]
    assert "    predictions = keras.ops.reshape(\n        keras.layers.Dense(units=1, " \
        "name='a_linear_layer')(keras.ops.cast(x, tf.float32)), [-1])\n" in output, output


def test_serving_input_fn_returning_the_receiver_function_uncalled():
    """returns_callables.py: train calls the returned function (TF 1.4/1.5 did)."""
    source = TINY.replace("PICK", PICK).replace("LABELS", LABELS).replace(
        "INPUT", DICT_INPUT).replace("{'x': placeholder})()", "{'x': placeholder})")
    conversion = convert_keras(source, "train.py")
    assert not _errors(conversion), _errors(conversion)
    assert "@tf.function(input_signature=[{'x': tf.TensorSpec([None, 7], tf.float32, " \
        "name='x')}])" in conversion.output


def test_features_without_a_serving_input_fn_fall_back_saying_so():
    source = TINY.replace("PICK", PICK).replace("LABELS", LABELS).replace("INPUT", DICT_INPUT)
    source = source[:source.index("def serving_input_fn")] + source[source.index(
        "def train_input_fn"):]
    errors = _errors(convert_keras(source, "train.py"))
    assert errors and "features['x'] without a serving_input_fn" in errors[0].message, errors
