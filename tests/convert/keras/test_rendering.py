"""The Keras target's rendering rules that keep a converted script near its original's length,
each before -> after: what the converter computes written as its value, one hidden layer as
one line, ``compile``'s arguments aligned, no docstring repeating the code, the subclass's
features made once, the model's output returned where it is computed, dicts wrapped by
wrap.py."""
from tests.convert.keras.test_keras_target import (
    COLUMNS_HELPER, INPUT_LAYER, MODEL_FN, NETWORK_MODEL_FN, PREMADE, _convert, _flat)

C = "tf.feature_column."


def _premade(estimator):
    conversion = _convert(PREMADE.replace("ESTIMATOR", estimator))
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    compile(conversion.output, "train.py", "exec")
    return conversion.output


def test_embedding_stddev_is_written_as_its_value_when_short():
    embedded = C + "embedding_column(" + C + "categorical_column_with_hash_bucket('a', 9), %d)"
    output = _premade("DNNClassifier([8], [%s])" % (embedded % 4))
    assert "keras.initializers.TruncatedNormal(stddev=0.5)" in _flat(output), output
    assert "math" not in output
    # 1 / sqrt(3) = 0.5773502691896258: the expression reads better
    output = _premade("DNNClassifier([8], [%s])" % (embedded % 3))
    assert "TruncatedNormal(stddev=1 / math.sqrt(3))" in _flat(output), output
    assert "import math\n" in output


def test_one_hidden_layer_is_one_dense_line():
    output = _premade("DNNClassifier([8], columns, dropout=0.1)")
    assert '    net = keras.layers.Dense(8, activation="relu")(net)\n' \
           "    net = keras.layers.Dropout(0.1)(net)\n" in output, output
    assert "for units" not in output
    output = _premade("DNNClassifier(hidden_units=[8, 4], feature_columns=columns)")
    assert "    for units in [8, 4]:\n" \
           '        net = keras.layers.Dense(units, activation="relu")(net)\n' in output, output


def test_premade_names_its_estimator_in_the_head_comment_not_a_docstring():
    output = _premade("DNNRegressor([8], columns)")
    assert '"""' not in output
    assert "    # DNNRegressor's head (TF 1.x) sums the training loss over the batch\n" \
           "    model.compile(" in output, output
    # compile's arguments under its bracket: the comment goes after it
    output = _premade("DNNClassifier([8], columns, n_classes=3)")
    assert "    model.compile(  # DNNClassifier's head (TF 1.x) sums the training loss over " \
           "the batch\n        optimizer=" in output, output


def test_an_identity_column_one_hot_is_category_encodings_default():
    """One id per example: CategoryEncoding's default multi-hot is the one-hot vector."""
    column = C + "indicator_column(" + C + "categorical_column_with_identity('rooms', 6))"
    output = _premade("DNNClassifier([8], [%s])" % column)
    assert "keras.layers.CategoryEncoding(num_tokens=6)(inputs['rooms'])" in _flat(output), output


def test_compile_arguments_are_aligned_when_they_fit_else_under_compile():
    output = _premade("DNNRegressor([8], columns)")
    assert """\
    model.compile(optimizer=keras.optimizers.Adagrad(learning_rate=0.05),
                  loss=keras.losses.MeanSquaredError(reduction="sum"),
                  metrics=[keras.metrics.MeanSquaredError(name="average_loss")])
""" in output, output
    # a classifier's loss is 101 columns aligned: each argument on a line of its own, the
    # head's comment after the bracket
    output = _premade("DNNClassifier([8], columns, n_classes=3)")
    assert """\
    model.compile(  # DNNClassifier's head (TF 1.x) sums the training loss over the batch
        optimizer=keras.optimizers.Adagrad(learning_rate=0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum"),
        metrics=[keras.metrics.SparseCategoricalAccuracy("accuracy"),
                 keras.metrics.SparseCategoricalCrossentropy("average_loss", from_logits=True)])
""" in output, output
    output = _convert(MODEL_FN.replace("BODY", "")).output
    assert """\
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name='accuracy')])
""" in output, output


def test_inputs_dict_is_one_line_wrapped_aligned():
    keys = ["'a_long_feature_name_%d'" % n for n in range(3)]
    columns = "[%s]" % ", ".join(C + "numeric_column(%s)" % k for k in keys)
    output = _premade("DNNRegressor([8], %s)" % columns)
    assert """\
    inputs = {'a_long_feature_name_0': keras.Input(shape=(1,), name='a_long_feature_name_0'),
              'a_long_feature_name_1': keras.Input(shape=(1,), name='a_long_feature_name_1'),
              'a_long_feature_name_2': keras.Input(shape=(1,), name='a_long_feature_name_2')}
""" in output, output


def test_model_fn_has_no_docstring_repeating_its_code():
    output = _convert(MODEL_FN.replace("BODY", "")).output
    assert "def model_fn(params):\n    features = {'x': keras.Input(" in output, output
    assert '"""' not in output


def test_model_output_used_once_is_returned_where_it_is_computed():
    source = MODEL_FN.replace("BODY", "").replace(
        "predictions={'classes': classes}", "predictions={'logits': logits}").replace(
        "        classes = tf.argmax(logits, 1)\n", "").replace(
        "tf.metrics.accuracy(labels, classes)", "tf.metrics.accuracy(labels, logits)")
    output = _convert(source).output
    assert "    def serve(features):\n        return {'logits': model(features)}\n" in output, \
        output
    # used twice, or with statements of its own: named as the script named it
    output = _convert(source.replace("{'logits': logits}", "{'logits': logits, 'l': logits}")
                      ).output
    assert "        logits = model(features)\n" \
           "        return {'logits': logits, 'l': logits}\n" in output, output
    output = _convert(MODEL_FN.replace("BODY", "")).output
    assert "        logits = model(features)\n        classes = tf.argmax(logits, 1)\n" in output


def test_serving_signature_dict_is_one_line_wrapped_aligned():
    source = MODEL_FN.replace("BODY", "").replace(
        "{'x': tf.placeholder(tf.float32, [None, 4])}",
        "{'x': tf.placeholder(tf.float32, [None, 4]), 'a_longer_name': tf.placeholder("
        "tf.float32, [None, 4])}")
    output = _convert(source).output
    assert """\
    @tf.function(input_signature=[{'x': tf.TensorSpec([None, 4], tf.float32, name='x'),
                                   'a_longer_name': tf.TensorSpec(
                                       [None, 4], tf.float32, name='a_longer_name')}])
""" in output, output


def test_subclass_docstring_only_where_call_takes_the_training_flag():
    output = _convert(NETWORK_MODEL_FN).output  # batch norm and dropout: training=training
    assert 'class Network(keras.Model):\n    """model_fn\'s network; call runs with ' \
           'training=True in fit, as in ModeKeys.TRAIN."""\n\n    def __init__' in output, output
    source = INPUT_LAYER.replace("COLUMNS)", "_columns())").replace(
        "\n\n    def serving_input_fn", "\n\n" + COLUMNS_HELPER + "\n\n    def serving_input_fn"
    ).replace("logits = tf.layers.dense(net, 3)",
              "logits = tf.layers.dense(net, 3) + tf.layers.dense(tf.layers.dense(net, 4), 3)")
    output = _convert(source).output
    assert "class Network(keras.Model):\n    def __init__(self, params):\n" in output, output


def test_subclass_over_an_input_layer_makes_its_features_once():
    """The input layer's model is made in __init__ on the keras.Input it needs (after the
    columns' setup statements, which its shapes may read); model_fn builds the subclass on
    that model's own inputs rather than a second dict of them."""
    source = INPUT_LAYER.replace("COLUMNS)", "_columns())").replace(
        "\n\n    def serving_input_fn", "\n\n" + COLUMNS_HELPER.replace(
            "():\n", "():\n        size = 4\n").replace("shape=[4]", "shape=size")
        + "\n\n    def serving_input_fn").replace(
        "logits = tf.layers.dense(net, 3)",
        "logits = tf.layers.dense(net, 3) + tf.layers.dense(tf.layers.dense(net, 4), 3)")
    conversion = _convert(source)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    output = conversion.output
    assert output.count("keras.Input(") == 1, output
    assert "        size = 4\n        features = {'x': keras.Input(shape=(size,), name='x')}\n" \
           "        self.net = keras.Model(features, features['x'])\n" in output, output
    assert "def model_fn(params):\n    model = Network(params)\n" \
           "    model(model.net.input)  # builds the layers" in output, output
    compile(output, "train.py", "exec")
