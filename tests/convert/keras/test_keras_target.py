"""`convert --target keras`: before -> after on the project's scripts, the fallback for each
construct without a faithful Keras translation, the tables, the docs generated from them."""
import ast
import json
import os
import re
import textwrap

import pytest

from legacy_compat.convert.cli import EXIT_FINDINGS, EXIT_OK, main
from legacy_compat.convert.keras import convert_keras, docs
from legacy_compat.convert.keras.convert import SIBLING, sibling_source
from tests.convert.keras import golden

# What a Keras-target script must not contain (the cell proves it also runs without them).
FORBIDDEN = re.compile(r"tf\.estimator|tf\.compat\.v1|tf_keras|legacy_compat|"
                       r"make_one_shot_iterator|tf\.placeholder|tf\.layers\.|tf\.train\.")


@pytest.mark.parametrize("name", sorted(golden.SOURCES))
def test_converts_to_the_golden_keras_script(name):
    conversion = golden.convert(name)
    assert [f.severity for f in conversion.findings] == ["INFO"], conversion.findings
    assert conversion.findings[0].message.startswith("target keras:")
    with open(os.path.join(golden.GOLDEN, name), encoding="utf-8") as handle:
        assert conversion.output == handle.read(), (
            "the converter's output changed: review it, then `PYTHONPATH=. python -m "
            "tests.convert.keras.golden`")
    assert conversion.extra_files == {SIBLING: sibling_source()}
    assert not FORBIDDEN.search(conversion.output), FORBIDDEN.search(conversion.output)
    compile(conversion.output, name, "exec")


def test_sibling_is_golden_and_carries_no_legacy_compat():
    with open(os.path.join(golden.GOLDEN, SIBLING), encoding="utf-8") as handle:
        assert handle.read() == sibling_source()
    assert not re.search(r"tf\.compat|tf_keras|legacy_compat|tf\.estimator", sibling_source())


def _carried_copies_match_their_source(text):
    """Each function of legacy_compat/portable the sibling defines is its source, unchanged;
    each value the same value. Returns the names compared."""
    import importlib
    import inspect

    from legacy_compat import portable
    from legacy_compat.convert import helpers, keras

    with open(os.path.join(os.path.dirname(keras.__file__), SIBLING), encoding="utf-8") as handle:
        imported = [alias.name for node in ast.parse(handle.read()).body
                    if isinstance(node, ast.ImportFrom) and node.module.startswith(
                        "legacy_compat.portable") for alias in node.names]
    carried = set().union(*[s.names for s in helpers.package().closure(imported)])
    tree = ast.parse(text)
    compared = []
    for module_name in portable.MODULES:
        module = importlib.import_module("legacy_compat.portable." + module_name)
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name in carried and \
                    node.name in vars(module) and getattr(
                        vars(module)[node.name], "__module__", None) == module.__name__:
                assert ast.get_source_segment(text, node) == inspect.getsource(
                    vars(module)[node.name]).rstrip("\n"), node.name
                compared.append(node.name)
            elif isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                    node.targets[0], ast.Name) and node.targets[0].id in carried and \
                    node.targets[0].id in vars(module):
                name = node.targets[0].id
                try:
                    assert ast.literal_eval(node.value) == vars(module)[name], name
                except ValueError:  # not a literal (a namedtuple): the same statement
                    source = inspect.getsource(module)
                    assert ast.get_source_segment(text, node) in [
                        ast.get_source_segment(source, statement)
                        for statement in ast.parse(source).body], name
                compared.append(name)
    assert set(compared) == carried, carried - set(compared)
    return compared


def test_sibling_carries_the_portable_hyperparameter_code_unchanged():
    compared = _carried_copies_match_their_source(sibling_source())
    for name in ("read_hyperparameters", "decode_text", "with_defaults", "TRAINING_CHANNEL",
                 "DEFAULT_TRAINING_STEPS", "EXPORTER_NAME", "TUNING_OBJECTIVE_KEY",
                 "evaluation_cadence", "run_step_schedule", "STEP_SCHEDULE_KEYS",
                 "load_csv_with_header", "load_csv_without_header", "_csv_rows", "gfile"):
        assert name in compared, compared
    broken = sibling_source().replace("return text.strip('\"'), True", "return text, True")
    assert broken != sibling_source()
    with pytest.raises(AssertionError):
        _carried_copies_match_their_source(broken)


def test_converted_job_loads_csv_as_train_does(tmp_path):
    """keras_job's CSV loaders (the sibling as written) are the runtime's: a wrong header is a
    clear error, a scheme path is read through tf.io.gfile (TensorFlow's ram:// here)."""
    import numpy as np
    import tensorflow as tf

    namespace = {"__name__": "keras_job"}
    exec(compile(sibling_source(), SIBLING, "exec"), namespace)
    good = tmp_path / "with_header.csv"
    good.write_text("2,3,a,b\n1,2,3,0\n4,5,6,1\n")
    data, target = namespace["load_csv_with_header"](str(good), int, np.float32)
    assert data.tolist() == [[1, 2, 3], [4, 5, 6]] and target.tolist() == [0, 1]
    bad = tmp_path / "names.csv"  # a header of column names: no counts
    bad.write_text("x,y,z,label\n1,2,3,0\n4,5,6,1\n")
    with pytest.raises(ValueError, match="first row of .*names.csv is 'x,y,z,label'; expected "
                       "'n_samples,n_features"):
        namespace["load_csv_with_header"](str(bad), int, np.float32)
    path = "ram://legacy-compat-test/no_header.csv"
    with tf.io.gfile.GFile(path, "w") as handle:
        handle.write("1,2,3,0\n4,5,6,1\n")
    data, target = namespace["load_csv_without_header"](path, int, np.float32)
    assert data.tolist() == [[1, 2, 3], [4, 5, 6]] and target.tolist() == [0, 1]


@pytest.mark.parametrize("argv, sm_hps", [
    (["--learning_rate", "0.1", "--optimizer", '"adam"', "--name", "adam", "--flag",
      "--n=3", "--_tuning_objective_metric", '"loss"', "--list", "[1, 2]"], None),
    (["--save_checkpoints_steps", "50", "--training_steps", '"7"'], None),
    (["--ignored", "1"], '{"training_steps": 5, "lr": "0.1"}'),
])
def test_converted_job_decodes_hyperparameters_as_train_does(argv, sm_hps, monkeypatch):
    """keras_job.Job (the sibling as written) against the runtime's own function."""
    from legacy_compat.portable.script_mode import read_hyperparameters

    monkeypatch.delenv("SM_HPS", raising=False)
    if sm_hps is not None:
        monkeypatch.setenv("SM_HPS", sm_hps)
    namespace = {"__name__": "keras_job"}
    exec(compile(sibling_source(), SIBLING, "exec"), namespace)
    job = namespace["Job"](["--model_dir", "/tmp/unused"] + argv)
    assert job.hyperparameters == read_hyperparameters(argv)
    assert job.training_steps == int(read_hyperparameters(argv)["training_steps"])


@pytest.mark.parametrize("name", [
    "abalone.py", "estimator_fn_dataset.py", "iris_cnn.py", "iris_dnn.py", "iris_towers.py",
    "iris_wide_deep.py", "keras_int_labels.py", "keras_model_fn.py", "keras_regressor.py",
    "model_fn_optimize_loss.py", "queue_reader.py", "vocabulary_columns.py",
    "vocabulary_skip.py", "estimator_fn_columns.py"])
def test_converted_script_stays_near_the_original_length(name):
    """Goal 1.5x, met by every golden whose functions are its own; the scripts whose functions
    are copied in from a helper module are measured against script plus helper
    (docs/convert.md "Output size")."""
    with open(os.path.join(golden.ROOT, golden.SOURCES[name])) as handle:
        original = len(handle.read().splitlines())
    assert len(golden.convert(name).output.splitlines()) <= 1.5 * original


@pytest.mark.parametrize("name", [
    "app_flags.py", "keras_float64.py", "keras_tf1_optimizer.py", "no_serving_input_fn.py",
    "numpy_arrays.py", "py2_syntax.py", "python_keras.py", "raises_in_model_fn.py",
    "returns_callables.py"])
def test_a_script_with_copied_helper_functions_stays_near_script_plus_helper(name):
    """What the conversion copies in from the helper module was the original's too: the goal
    1.5x holds against the script plus the helper."""
    original = 0
    source = os.path.join(golden.ROOT, golden.SOURCES[name])
    for path in (source, os.path.join(os.path.dirname(source), "tiny_model.py")):
        with open(path) as handle:
            original += len(handle.read().splitlines())
    output = golden.convert(name).output
    assert "# From tiny_model.py, the helper module beside this script:" in output
    assert len(output.splitlines()) <= 1.5 * original


def _flat(text):
    """The text with its line breaks (a call wrapped to 100 columns) as single spaces."""
    return re.sub(r"\(\s+", "(", re.sub(r"\s+", " ", text))


def _convert(source, path="train.py"):
    return convert_keras(textwrap.dedent(source), path)


KERAS_SCRIPT = '''\
    import numpy as np
    import tensorflow as tf


    def keras_model_fn(hyperparameters):
        inputs = tf.keras.layers.Input(shape=(3,), name='x')
        model = tf.keras.models.Model(inputs, tf.keras.layers.Dense(1)(inputs))
        model.compile(optimizer=OPTIMIZER, loss='mse')
        return model


    def train_input_fn(training_dir, hyperparameters):
        return tf.estimator.inputs.numpy_input_fn(INPUT)()


    def eval_input_fn(training_dir, hyperparameters):
        return train_input_fn(training_dir, hyperparameters)
'''


@pytest.mark.parametrize("tf1, keras3", [
    ("tf.train.GradientDescentOptimizer(0.1)", "keras.optimizers.SGD(learning_rate=0.1)"),
    ("tf.train.MomentumOptimizer(0.1, 0.9, use_nesterov=True)",
     "keras.optimizers.SGD(learning_rate=0.1, momentum=0.9, nesterov=True)"),
    ("tf.train.AdamOptimizer(learning_rate=0.01, beta1=0.8)",
     "keras.optimizers.Adam(learning_rate=0.01, beta_1=0.8, epsilon=1e-08)"),
    ("tf.train.RMSPropOptimizer(0.01, decay=0.8)",
     "keras.optimizers.RMSprop(learning_rate=0.01, rho=0.8, epsilon=1e-10)"),
    ("tf.train.AdagradOptimizer(0.05)", "keras.optimizers.Adagrad(learning_rate=0.05)"),
    ("tf.train.FtrlOptimizer(0.05, l1_regularization_strength=0.1)",
     "keras.optimizers.Ftrl(learning_rate=0.05, l1_regularization_strength=0.1)"),
    ("tf.keras.optimizers.SGD(lr=0.1, momentum=0.5)",
     "keras.optimizers.SGD(learning_rate=0.1, momentum=0.5)"),
])
def test_optimizers_keep_their_hyperparameters(tf1, keras3):
    source = KERAS_SCRIPT.replace("OPTIMIZER", tf1).replace("INPUT", "x=X, y=Y, shuffle=False")
    conversion = _convert(source)
    assert "model.compile(optimizer=%s, loss='mse')" % keras3 in _flat(conversion.output), \
        conversion.output


@pytest.mark.parametrize("arguments, dataset", [
    ("x=X, y=Y, shuffle=False", "tf.data.Dataset.from_tensor_slices((X, Y)).batch(128)"),
    ("x={'x': X}, y=Y, batch_size=8, num_epochs=None, shuffle=True",
     "tf.data.Dataset.from_tensor_slices(({'x': X}, Y)).shuffle(1000).repeat().batch(8)"),
    ("X, Y, 16, 3, True, 500",
     "tf.data.Dataset.from_tensor_slices((X, Y)).shuffle(500).repeat(3).batch(16)"),
])
def test_numpy_input_fn_becomes_the_same_dataset(arguments, dataset):
    source = KERAS_SCRIPT.replace("OPTIMIZER", "'sgd'").replace("INPUT", arguments)
    assert "    return %s\n" % dataset in _convert(source).output


MODEL_FN = '''\
    import tensorflow as tf


    def model_fn(features, labels, mode, params):
        logits = tf.layers.dense(features['x'], 3)
        classes = tf.argmax(logits, 1)
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={'classes': classes})
        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
        optimizer = tf.train.AdamOptimizer(0.01)
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
        BODY
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={
            'accuracy': tf.metrics.accuracy(labels, classes)})


    def serving_input_fn(params):
        return tf.estimator.export.build_raw_serving_input_receiver_fn(
            {'x': tf.placeholder(tf.float32, [None, 4])})()


    def train_input_fn(training_dir, params):
        return tf.data.Dataset.range(3).batch(1)


    def eval_input_fn(training_dir, params):
        return tf.data.Dataset.range(3).batch(1)
'''


def test_model_fn_becomes_a_compiled_functional_model():
    output = _convert(MODEL_FN.replace("BODY", "pass" if False else "")).output
    assert "features = {'x': keras.Input(shape=(4,), dtype=tf.float32, name='x')}" in output
    assert "logits = keras.layers.Dense(units=3)(features['x'])" in output
    assert "model = keras.Model(features, logits)" in output
    assert "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)" in output
    # accuracy of the argmax: the Keras metric that takes the logits
    assert "metrics=[keras.metrics.SparseCategoricalAccuracy(name='accuracy')]" in output
    assert "optimizer=keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08)" in output
    # the PREDICT branch's dict, computed from the model in the serving function
    assert "        logits = model(features)\n        classes = tf.argmax(logits, 1)\n" \
        "        return {'classes': classes}\n" in output


NETWORK = """\
        is_training = mode == tf.estimator.ModeKeys.TRAIN
        # two towers over the same input
        wide = tf.layers.dense(features['x'], 16, activation=tf.nn.relu)
        deep = tf.layers.batch_normalization(tf.layers.dense(features['x'], 16),
                                             training=is_training, fused=True)
        deep = tf.layers.dropout(tf.nn.relu(deep), rate=0.2, training=is_training)
        net = tf.concat(values=[wide, deep], axis=1)
        shortcut = net
        net = tf.layers.dense(net, 32, activation=tf.nn.relu)
        net = net + shortcut  # residual
        net = tf.layers.batch_normalization(net, momentum=0.9,
                                            training=mode == tf.estimator.ModeKeys.TRAIN)
        logits = tf.layers.dense(tf.nn.relu(net), 3)
"""
UPDATE_OPS = """\
        update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
"""
NETWORK_MODEL_FN = MODEL_FN.replace(
    "        logits = tf.layers.dense(features['x'], 3)\n", NETWORK).replace(
    "        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())\n",
    UPDATE_OPS).replace("BODY", "")


def test_model_fn_network_that_is_not_a_chain_becomes_a_keras_model_subclass():
    """Branches, a reused tensor, a residual add, nested calls, tf ops between layers: the
    layers created in __init__ (named after the script's variables), the statements in call in
    the script's order with its comments, the mode's training flag as Keras' own (fit trains,
    evaluate and serving do not); model_fn builds it on the serving inputs and compiles it."""
    conversion = _convert(NETWORK_MODEL_FN)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    expected = """\
class Network(keras.Model):
    \"\"\"model_fn's network; call runs with training=True in fit, as in ModeKeys.TRAIN.\"\"\"

    def __init__(self, params):
        super().__init__()
        self.wide = keras.layers.Dense(units=16, activation=tf.nn.relu)
        self.deep_dense = keras.layers.Dense(units=16)
        self.deep = keras.layers.BatchNormalization()
        self.deep_dropout = keras.layers.Dropout(rate=0.2)
        self.net = keras.layers.Dense(units=32, activation=tf.nn.relu)
        self.net_batch_normalization = keras.layers.BatchNormalization(momentum=0.9)
        self.logits = keras.layers.Dense(units=3)

    def call(self, features, training=False):
        # two towers over the same input
        wide = self.wide(features['x'])
        deep = self.deep(self.deep_dense(features['x']), training=training)
        deep = self.deep_dropout(keras.ops.relu(deep), training=training)
        net = keras.ops.concatenate([wide, deep], 1)
        shortcut = net
        net = self.net(net)
        net = net + shortcut  # residual
        net = self.net_batch_normalization(net, training=training)
        logits = self.logits(keras.ops.relu(net))
        return logits


def model_fn(params):
    features = {'x': keras.Input(shape=(4,), dtype=tf.float32, name='x')}
    model = Network(params)
    model(features)  # builds the layers: a resumed job loads its checkpoint into them
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08),
"""
    assert expected in conversion.output, conversion.output
    assert "keras.Model(features" not in conversion.output
    # serving calls the model as evaluation does: training=False, call's default
    assert "        logits = model(features)\n        classes = tf.argmax(logits, 1)\n" in \
        conversion.output
    assert not re.search(r"is_training|UPDATE_OPS|control_dependencies|\bmode\b", conversion.output)
    assert not FORBIDDEN.search(conversion.output), FORBIDDEN.search(conversion.output)


@pytest.mark.parametrize("change, attributes", [
    # Keras model attributes and call's parameters are never a layer's attribute
    (("logits = tf.layers.dense(tf.nn.relu(net), 3)",
      "output = tf.layers.dense(net, 3)\n        training = tf.layers.dense(output, 3)\n"
      "        logits = tf.layers.dense(tf.nn.relu(training + output), 3)"),
     ["self.output_dense = ", "self.training_dense = "]),
    # a layer's name= names its attribute too
    (("tf.layers.dense(net, 32, activation=tf.nn.relu)",
      "tf.layers.dense(net, 32, activation=tf.nn.relu, name='hidden-1')"),
     ["self.hidden_1 = keras.layers.Dense(units=32, activation=tf.nn.relu, name='hidden-1')"]),
    # a constructor too long for a line: its arguments under it, TF 1.x's initializer kept
    (("tf.layers.dense(features['x'], 16, activation=tf.nn.relu)",
      "tf.layers.dense(features['x'], 16, activation=tf.nn.relu, kernel_initializer="
      "tf.truncated_normal_initializer(stddev=0.1), name='wide_tower')"),
     ["        self.wide_tower = keras.layers.Dense(\n"
      "            units=16, activation=tf.nn.relu,\n"
      "            kernel_initializer=keras.initializers.TruncatedNormal(stddev=0.1), "
      "name='wide_tower')\n"]),
])
def test_subclass_layer_attributes_are_the_scripts_names_when_free(change, attributes):
    old, new = change
    assert old in NETWORK_MODEL_FN, old
    conversion = _convert(NETWORK_MODEL_FN.replace(old, new))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    if "training = " in new:  # a network variable named like call's flag: refused
        assert errors and "a network variable named `training`" in errors[0].message, errors
        return
    assert not errors, errors
    for attribute in attributes:
        assert attribute in conversion.output, conversion.output


@pytest.mark.parametrize("change, words", [
    # __init__ creates the layers before the network runs: settings from it cannot be read there
    (("net = tf.layers.dense(net, 32, activation=tf.nn.relu)",
      "units = net.shape[1]\n        net = tf.layers.dense(net, units, activation=tf.nn.relu)"),
     "a layer setting `units` computed in the model_fn"),
    (("net = net + shortcut  # residual", "net = net + shortcut * params['scale']"),
     "the network reads `params` other than in a layer's settings"),
    (("net = net + shortcut  # residual",
      "dense = tf.keras.layers.Dense(32)\n        net = dense(net) + dense(shortcut)"),
     "a Keras layer `tf.keras.layers.Dense(32)` not called where it is created"),
])
def test_subclass_parts_not_translated_fall_back(change, words):
    old, new = change
    assert old in NETWORK_MODEL_FN, old
    conversion = _convert(NETWORK_MODEL_FN.replace(old, new))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors
    assert "import legacy_compat.estimator" in conversion.output


TUTORIAL = '''\
    import tensorflow as tf


    def model_fn(features, labels, mode, params):
        logits = tf.layers.dense(features['x'], 3)
        predictions = {
            "classes": tf.argmax(input=logits, axis=1),
            "probabilities": tf.nn.softmax(logits, name="softmax_tensor")
        }
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)
        loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
        if mode == tf.estimator.ModeKeys.TRAIN:
            optimizer = tf.train.GradientDescentOptimizer(learning_rate=0.001)
            train_op = optimizer.minimize(loss=loss, global_step=tf.train.get_global_step())
            return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)
        eval_metric_ops = {
            "accuracy": tf.metrics.accuracy(labels=labels, predictions=predictions["classes"])}
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


    def serving_input_fn(params):
        inputs = {'x': tf.placeholder(tf.float32, [None, 4])}
        return tf.estimator.export.ServingInputReceiver(inputs, inputs)


    def train_input_fn(training_dir, params):
        return tf.data.Dataset.range(3).batch(1)


    def eval_input_fn(training_dir, params):
        return tf.data.Dataset.range(3).batch(1)
'''


def test_mode_branches_after_predict_are_one_compiled_model():
    """TensorFlow's own tutorial layout: `if mode == TRAIN: ... return` then the EVAL spec;
    the metric on `predictions["classes"]` (the argmax) takes the logits."""
    conversion = _convert(TUTORIAL)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    output = _flat(conversion.output)
    assert "optimizer=keras.optimizers.SGD(learning_rate=0.001)" in output
    assert 'metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")]' in output
    assert (
        '        logits = model(features)\n'
        '        predictions = {\n'
        '            "classes": tf.argmax(input=logits, axis=1),\n'
        '            "probabilities": tf.nn.softmax(logits, name="softmax_tensor")\n'
        '        }\n'
        '        return predictions\n') in conversion.output, conversion.output


@pytest.mark.parametrize("change, words", [
    (("tf.argmax(input=logits, axis=1)", "tf.argmax(logits)"), "tf.metrics.accuracy on"),
    (("            return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)",
      "            loss = loss + 1.0\n            return tf.estimator.EstimatorSpec("
      "mode=mode, loss=loss, train_op=train_op)"), "model_fn statement `loss = loss + 1.0`"),
    (("            optimizer = tf.train", "            total = tf.losses.mean_squared_error("
      "labels, logits)\n            optimizer = tf.train"), "a second tf.losses loss"),
    (("if mode == tf.estimator.ModeKeys.TRAIN:", "if mode != tf.estimator.ModeKeys.EVAL:"),
     "model_fn statement `if mode != "),
])
def test_mode_branches_that_are_not_one_model_fall_back(change, words):
    old, new = change
    assert old in TUTORIAL, old
    conversion = _convert(TUTORIAL.replace(old, new))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors


@pytest.mark.parametrize("tf1, keras3", [
    ("tf.glorot_uniform_initializer(seed=1)", "keras.initializers.GlorotUniform(seed=1)"),
    ("tf.contrib.layers.xavier_initializer(seed=2)", "keras.initializers.GlorotUniform(seed=2)"),
    ("tf.zeros_initializer()", "keras.initializers.Zeros()"),
    # Keras' defaults differ (stddev 0.05, uniform in +-0.05): TF 1.x's written out
    ("tf.truncated_normal_initializer(stddev=0.1)",
     "keras.initializers.TruncatedNormal(stddev=0.1)"),
    ("tf.random_normal_initializer(seed=3)",
     "keras.initializers.RandomNormal(seed=3, stddev=1.0)"),
    ("tf.random_uniform_initializer(-1.0)",
     "keras.initializers.RandomUniform(minval=-1.0, maxval=1.0)"),
])
def test_layer_initializers_become_keras_initializers(tf1, keras3):
    source = MODEL_FN.replace("tf.layers.dense(features['x'], 3)",
                              "tf.layers.dense(features['x'], 3, kernel_initializer=%s)" % tf1)
    conversion = _convert(source.replace("BODY", ""))
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    assert "kernel_initializer=%s" % keras3 in _flat(conversion.output), conversion.output


@pytest.mark.parametrize("layer, words", [
    # TF 1.x left a layer's regularizer out of the loss unless the script added it
    ("tf.layers.dense(features['x'], 3, kernel_regularizer=tf.keras.regularizers.l2(0.1))",
     "regularization the TF 1.x loss did not include"),
    ("tf.layers.dense(features['x'], 3, kernel_regularizer=tf.contrib.layers.l2_regularizer("
     "0.1))", "regularization the TF 1.x loss did not include"),
    ("tf.keras.layers.Dense(3, bias_regularizer=tf.keras.regularizers.l1(0.1))(features['x'])",
     "regularization the TF 1.x loss did not include (bias_regularizer=)"),
    ("tf.layers.dense(features['x'], 3, kernel_initializer=tf.contrib.layers."
     "xavier_initializer(uniform=False))", "xavier_initializer(uniform=...)"),
    # a tf.contrib stand-in left anywhere: the Keras script has no legacy_mode.py
    ("tf.layers.dense(features['x'], 3)\n        scale = tf.contrib.layers.l1_regularizer(0.1)",
     "tf.contrib.layers.l1_regularizer (no Keras translation)"),
])
def test_layer_arguments_without_a_faithful_translation_fall_back(layer, words):
    source = MODEL_FN.replace("tf.layers.dense(features['x'], 3)", layer).replace("BODY", "")
    conversion = _convert(source)
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors


SAGEMAKER_EXAMPLE = MODEL_FN.replace(
    "        if mode == tf.estimator.ModeKeys.PREDICT:\n"
    "            return tf.estimator.EstimatorSpec(mode, predictions={'classes': classes})\n"
    "        loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)\n",
    "        if mode == tf.estimator.ModeKeys.PREDICT:\n"
    "            predictions = {'classes': classes, 'probabilities': tf.nn.softmax(logits)}\n"
    "            export_outputs = {tf.saved_model.signature_constants."
    "DEFAULT_SERVING_SIGNATURE_DEF_KEY:\n"
    "                              tf.estimator.export.PredictOutput(predictions)}\n"
    "            return tf.estimator.EstimatorSpec(mode, predictions=predictions,\n"
    "                                              export_outputs=export_outputs)\n"
    "        onehot = tf.one_hot(tf.cast(labels, tf.int32), depth=3)\n"
    "        loss = tf.losses.softmax_cross_entropy(onehot, logits)\n").replace(
    "global_step=tf.train.get_global_step()",
    "global_step=tf.contrib.framework.get_global_step()").replace("BODY", "")


def test_predict_branch_with_the_default_export_and_one_hot_labels():
    """The SageMaker Legacy Mode examples' model_fn: the predictions computed in the PREDICT
    branch with the default signature's export_outputs, a loss on one-hot labels."""
    assert "export_outputs" in SAGEMAKER_EXAMPLE and "one_hot" in SAGEMAKER_EXAMPLE
    conversion = _convert(SAGEMAKER_EXAMPLE)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    output = conversion.output
    assert "loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True)" in output
    assert "        predictions = {'classes': classes, 'probabilities': tf.nn.softmax(logits)}\n" \
        "        return predictions\n" in output, output
    assert "one_hot" not in output and "export_outputs" not in output


@pytest.mark.parametrize("change, words", [
    (("tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY:", "'other':"),
     "export_outputs other than the default"),
    (("PredictOutput(predictions)", "PredictOutput({'classes': classes})"),
     "export_outputs other than the default"),
    (("tf.metrics.accuracy(labels, classes)", "tf.metrics.accuracy(onehot, logits)"),
     "one-hot labels used other than by the loss"),
    (("tf.losses.softmax_cross_entropy(onehot, logits)",
      "tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.1)"),
     "tf.losses.softmax_cross_entropy with label_smoothing"),
])
def test_predict_branch_and_one_hot_variants_fall_back(change, words):
    old, new = change
    assert old in SAGEMAKER_EXAMPLE, old
    conversion = _convert(SAGEMAKER_EXAMPLE.replace(old, new))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors


SERVING_ONLY = MODEL_FN.replace(
    "        classes = tf.argmax(logits, 1)\n",
    "        is_training = mode == tf.estimator.ModeKeys.TRAIN\n"
    "        classes = tf.argmax(logits, 1)\n"
    "        scaled = tf.nn.softmax(logits) * SCALE\n").replace(
    "predictions={'classes': classes}", "predictions={'classes': classes, 'scaled': scaled}"
).replace("import tensorflow as tf\n", "import tensorflow as tf\n    SCALE = 2.0\n", 1).replace(
    "BODY", "")


def test_statements_only_the_predictions_use_run_in_the_serving_function():
    output = _convert(SERVING_ONLY).output
    assert "        logits = model(features)\n        classes = tf.argmax(logits, 1)\n" \
        "        scaled = tf.nn.softmax(logits) * SCALE\n" \
        "        return {'classes': classes, 'scaled': scaled}\n" in output, output


@pytest.mark.parametrize("change, words", [
    # serve(features) has no hyperparameters, training flag or model_fn's name of features
    (("tf.nn.softmax(logits) * SCALE", "tf.nn.softmax(logits) * params['scale']"),
     "a prediction computed from `params` (`scaled = tf.nn.softmax(logits) * params["),
    (("scale = SCALE", None), "a prediction computed from `params` (`scale = params"),
    (("tf.nn.softmax(logits) * SCALE", "tf.nn.softmax(logits) * tf.cast(is_training, "
                                       "tf.float32)"),
     "a prediction computed from `is_training`"),
    (("'scaled': scaled}", "'scaled': scaled * params['scale']}"),
     "a prediction computed from `params` (`return tf.estimator.EstimatorSpec("),
    (("'scaled': scaled}", "'scaled': scaled, 'id': features['id']}"),
     "a prediction computed from `feats`"),
])
def test_serving_statements_reading_what_serving_lacks_fall_back(change, words):
    old, new = change
    source = SERVING_ONLY
    if new is None:  # a serving-only name assigned from the hyperparameters
        source = source.replace("        scaled = tf.nn.softmax(logits) * SCALE\n",
                                "        scale = params['scale']\n"
                                "        scaled = tf.nn.softmax(logits) * scale\n")
    else:
        assert old in source, old
        source = source.replace(old, new)
    if "'id'" in (new or ""):
        source = source.replace("(features,", "(feats,").replace("features[", "feats[")
    conversion = _convert(source)
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors


def test_network_names_assigned_again_keep_their_order():
    """Each use of a name reads its latest assignment: the serving-only statement after the
    output is not in the model, the earlier ones are."""
    source = MODEL_FN.replace("        logits = tf.layers.dense(features['x'], 3)\n", """\
        net = tf.layers.dense(features['x'], 8)
        net = tf.layers.dense(net, 8)
        logits = tf.layers.dense(net, 3)
        net = tf.nn.softmax(logits)
""").replace("predictions={'classes': classes}", "predictions={'classes': classes, "
             "'p': net}").replace("BODY", "")
    output = _convert(source).output
    assert "    net = keras.layers.Dense(units=8)(features['x'])\n    net = keras.layers.Dense" \
        "(units=8)(net)\n    logits = keras.layers.Dense(units=3)(net)\n\n" in output, output
    assert "        logits = model(features)\n        net = tf.nn.softmax(logits)\n" in output


NETWORK_FALLBACKS = [
    (("training=is_training, fused=True", "fused=True"), "without training= from the mode"),
    (("rate=0.2, training=is_training", "rate=0.2"), "tf.layers.dropout without training="),
    (("rate=0.2, training=is_training", "rate=0.2, training=True"), "training=`True`"),
    (("momentum=0.9,", "momentum=0.9, renorm=True,"), "batch renormalization (renorm=)"),
    (("activation=tf.nn.relu)\n        deep", "reuse=True)\n        deep"), "reuse="),
    ((UPDATE_OPS, "        train_op = optimizer.minimize(loss, "
                  "global_step=tf.train.get_global_step())\n"), "never updated the moving"),
    (("with tf.control_dependencies(update_ops)", "with tf.control_dependencies([loss])"),
     "explicit control dependencies"),
    (("tf.nn.relu(net), 3", "tf.nn.softmax(net, dim=1), 3"), "tf.nn.softmax(dim=...)"),
    (("tf.nn.relu(net), 3", "tf.nn.dropout(net, 0.5), 3"), "tf.nn.dropout on the network"),
    (("net = net + shortcut", "net = net + tf.layers.dense(net, 32, name=str(mode))"),
     "the network uses `mode`"),


    # tf.keras layers in a model_fn ran in the learning phase the Estimator left at 0
    (("tf.nn.relu(net), 3", "tf.keras.layers.Dropout(0.5)(net), 3"),
     "tf.keras.layers.Dropout in a model_fn without training="),
    (("tf.nn.relu(net), 3", "Noise(0.1)(net), 3"), "tf.keras.layers.GaussianNoise in a model_fn"),
    (("tf.nn.relu(net), 3", "tf.keras.layers.BatchNormalization()(net, training=is_training)"
                            ", 3"), "TF 1.9+ never"),
]


def test_keras_layers_in_a_model_fn_take_the_mode_training_flag():
    source = NETWORK_MODEL_FN.replace("tf.nn.relu(net), 3", "tf.keras.layers.Dropout(0.5)(\n"
                                      "            net, training=mode == 'train'), 3")
    output = _convert(source).output
    assert "self.logits_dropout = keras.layers.Dropout(0.5)\n" in output, output
    assert "logits = self.logits(self.logits_dropout(net, training=training))" in \
        _flat(output), output
    # in a chain (a functional model) Keras' fit passes the flag itself
    output = _convert(MODEL_FN.replace("tf.layers.dense(features['x'], 3)", (
        "tf.layers.dense(tf.keras.layers.Dropout(0.5)(features['x'], training=mode == "
        "tf.estimator.ModeKeys.TRAIN), 3)")).replace("BODY", "")).output
    assert "logits = keras.layers.Dense(units=3)(keras.layers.Dropout(0.5)(features['x']))" \
        in output, output


@pytest.mark.parametrize("change, words", NETWORK_FALLBACKS)
def test_network_parts_without_a_faithful_translation_fall_back(change, words):
    old, new = change
    source = NETWORK_MODEL_FN if old in NETWORK_MODEL_FN else NETWORK_MODEL_FN.replace(
        textwrap.indent(UPDATE_OPS, ""), UPDATE_OPS)
    assert old in source, old
    source = source.replace(old, new)
    if "Noise(" in new:  # a module-level alias of the layer class
        source = source.replace("import tensorflow as tf\n", "import tensorflow as tf\n"
                                "    Noise = tf.keras.layers.GaussianNoise\n", 1)
    conversion = _convert(source)
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors
    assert "import legacy_compat.estimator" in conversion.output


def test_model_fn_over_input_layer_of_a_helpers_columns():
    """tests/fixtures/scripts/vocabulary_file.py: input_layer over the columns a helper
    returns, its vocabulary file's path read from the environment when the model is built."""
    with open(os.path.join(golden.ROOT, "tests", "fixtures", "scripts", "vocabulary_file.py"),
              encoding="utf-8") as handle:
        conversion = _convert(handle.read(), "vocabulary_file.py")
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    output = conversion.output
    assert """\
def model_fn(hyperparameters):
    vocabulary = os.path.join(os.environ['SM_CHANNEL_TRAINING'], 'colors.txt')
    features = {'color': keras.Input(shape=(1,), dtype="string", name='color'),
                'x': keras.Input(shape=(1,), name='x')}
    color_indicator = keras.layers.StringLookup(
        vocabulary=vocabulary, num_oov_indices=1, output_mode="one_hot")(features['color'])[:, 1:]
    # the columns in the order of their names, as TF 1.x's input layer
    net = keras.layers.Concatenate()([color_indicator, features['x']])
    predictions = keras.ops.reshape(keras.layers.Dense(units=1)(net), [-1])

    model = keras.Model(features, predictions)
""" in output, output
    assert "loss=keras.losses.MeanSquaredError()" in output
    # the helper only the network used is gone with its TF 1.x columns
    assert "_columns" not in output and "feature_column" not in output
    assert not FORBIDDEN.search(output), FORBIDDEN.search(output)


INPUT_LAYER = MODEL_FN.replace(
    "logits = tf.layers.dense(features['x'], 3)",
    "net = tf.feature_column.input_layer(features, COLUMNS)\n"
    "        logits = tf.layers.dense(net, 3)").replace("BODY", "")


@pytest.mark.parametrize("columns, module, expected", [
    ("[tf.feature_column.numeric_column('x', shape=[4])]", "",
     ["features = {'x': keras.Input(shape=(4,), name='x')}", "net = features['x']\n"]),
    ("COLUMNS", "COLUMNS = [tf.feature_column.numeric_column('x', shape=(4,)),\n"
                "           tf.feature_column.numeric_column('a')]\n",
     ["'a': keras.Input(shape=(1,), name='a')", "'x': keras.Input(shape=(4,), name='x')",
      "net = keras.layers.Concatenate()([features['a'], features['x']])"]),
])
def test_input_layer_columns_in_the_call_or_at_module_level(columns, module, expected):
    source = INPUT_LAYER.replace("net = tf.feature_column.input_layer(features, COLUMNS)",
                                 "net = tf.feature_column.input_layer(features, %s)" % columns)
    source = source.replace("import tensorflow as tf\n", "import tensorflow as tf\n" +
                            textwrap.indent(module, "    "), 1)
    conversion = _convert(source)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    for text in expected:
        assert text in conversion.output, conversion.output


COLUMNS_HELPER = """\
    def _columns():
        return [tf.feature_column.numeric_column('x', shape=[4])]
"""


def test_input_layer_in_a_network_that_is_not_a_chain_is_a_model_of_its_own():
    """In a keras.Model subclass the columns are a functional model made in __init__ (after
    the helper's statements), called on the features in call."""
    source = INPUT_LAYER.replace("COLUMNS)", "_columns())").replace(
        "\n\n    def serving_input_fn", "\n\n" + COLUMNS_HELPER.replace(
            "():\n", "():\n        size = 4\n").replace("shape=[4]", "shape=size")
        + "\n\n    def serving_input_fn").replace(
        "logits = tf.layers.dense(net, 3)", "logits = tf.layers.dense(net, 3) + tf.layers.dense("
        "tf.layers.dense(net, 4), 3)")
    conversion = _convert(source)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    assert """\
    def __init__(self, params):
        super().__init__()
        size = 4
        features = {'x': keras.Input(shape=(size,), name='x')}
        self.net = keras.Model(features, features['x'])
""" in conversion.output, conversion.output
    assert "        net = self.net(features)\n" in conversion.output
    assert "_columns" not in conversion.output


@pytest.mark.parametrize("change, words", [
    (("logits = tf.layers.dense(net, 3)",
      "logits = tf.layers.dense(tf.concat([net, features['x']], 1), 3)"),
     "features['x'] read both by tf.feature_column.input_layer and directly"),
    # __init__ and model_fn run the helper's statements: their names must be free there
    (("return [tf", "model = 'x'\n        return [tf"),
     "feature-columns helper variable `model`"),
    (("input_layer(features, COLUMNS)", "input_layer(features, COLUMNS, trainable=False)"),
     "tf.feature_column.input_layer(trainable=...)"),
    (("input_layer(features, COLUMNS)", "input_layer(features, _columns(params))"),
     "a helper function with arguments"),
    (("loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)",
      "loss = tf.losses.sparse_softmax_cross_entropy(tf.reshape(labels, [-1, 1]), logits)"),
     "labels transformed in the model_fn"),
])
def test_input_layer_parts_not_translated_fall_back(change, words):
    old, new = change
    source = INPUT_LAYER.replace("COLUMNS)", "_columns())").replace(
        "\n\n    def serving_input_fn", "\n\n" + COLUMNS_HELPER + "\n\n    def serving_input_fn")
    old, new = old.replace("COLUMNS)", "_columns())"), new.replace("COLUMNS", "_columns()")
    assert old in source, old
    conversion = _convert(source.replace(old, new))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors


ADAM_STEP = """\
        optimizer = tf.train.AdamOptimizer(0.01)
        train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
"""


@pytest.mark.parametrize("training, expected", [
    ("        rate = tf.train.exponential_decay(0.1, tf.train.get_global_step(), 100, 0.96,\n"
     "                                          staircase=True)\n"
     "        train_op = tf.train.GradientDescentOptimizer(rate).minimize(loss)\n", [
         "rate = keras.optimizers.schedules.ExponentialDecay(\n        initial_learning_rate=0.1, "
         "decay_steps=100, decay_rate=0.96, staircase=True)\n",
         "optimizer=keras.optimizers.SGD(learning_rate=rate)"]),
    ("        rate = tf.train.piecewise_constant(tf.train.get_or_create_global_step(), [10], "
     "[0.1, 0.01])\n        optimizer = tf.train.AdamOptimizer(rate, 0.8)\n"
     "        train_op = optimizer.minimize(loss)\n", [
         "rate = keras.optimizers.schedules.PiecewiseConstantDecay(boundaries=[10], "
         "values=[0.1, 0.01])",
         "keras.optimizers.Adam(learning_rate=rate, beta_1=0.8, epsilon=1e-08)"]),
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "0.01, 'Adam',\n                                                   clip_gradients=params"
     "['clip'])\n", [
         "optimizer=keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08, "
         "global_clipnorm=params['clip'])"]),
    ("        train_op = tf.contrib.layers.optimize_loss(\n            loss, None, None, "
     "optimizer=tf.train.RMSPropOptimizer(0.1))\n", [
         "optimizer=keras.optimizers.RMSprop(learning_rate=0.1, epsilon=1e-10)"]),
])
def test_optimize_loss_and_learning_rate_decay_become_keras_optimizers(training, expected):
    source = MODEL_FN.replace(ADAM_STEP, training).replace("BODY", "")
    conversion = _convert(source)
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    for text in expected:
        assert _flat(text) in _flat(conversion.output), (text, conversion.output)
    assert "optimize_loss" not in conversion.output and "tf.train" not in conversion.output


@pytest.mark.parametrize("training, expected", [
    # optimize_loss's names (contrib's OPTIMIZER_CLS_NAMES): Momentum is momentum 0.9 (TF 1.5+)
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "0.1, 'Momentum')\n", "optimizer=keras.optimizers.SGD(learning_rate=0.1, momentum=0.9)"),
    # an optimizer function, called with the learning rate
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "params['lr'], lambda lr: tf.train.MomentumOptimizer(lr, momentum=0.5))\n",
     "optimizer=keras.optimizers.SGD(learning_rate=params['lr'], momentum=0.5)"),
    # learning_rate_decay_fn: the schedule, computed from the optimizer's step counter
    ("        train_op = tf.contrib.layers.optimize_loss(\n            loss, "
     "tf.train.get_global_step(), 0.1, 'Adam',\n            learning_rate_decay_fn=lambda lr, "
     "step: tf.train.exponential_decay(lr, step, 100, 0.96, staircase=True))\n",
     "learning_rate = keras.optimizers.schedules.ExponentialDecay(\n        "
     "initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96, staircase=True)\n"
     "    model.compile(optimizer=keras.optimizers.Adam(learning_rate=learning_rate, "
     "epsilon=1e-08),"),
    # hand-written clipping by the global norm, two spellings
    ("        optimizer = tf.train.AdamOptimizer(0.1)\n"
     "        gradients, variables = zip(*optimizer.compute_gradients(loss))\n"
     "        gradients, _ = tf.clip_by_global_norm(gradients, params['clip'])\n"
     "        train_op = optimizer.apply_gradients(zip(gradients, variables),\n"
     "                                             global_step=tf.train.get_global_step())\n",
     "optimizer=keras.optimizers.Adam(learning_rate=0.1, epsilon=1e-08, "
     "global_clipnorm=params['clip'])"),
    ("        params_ = tf.trainable_variables()\n"
     "        grads = tf.gradients(loss, params_)\n"
     "        clipped, _ = tf.clip_by_global_norm(grads, 1.0)\n"
     "        optimizer = tf.train.GradientDescentOptimizer(0.5)\n"
     "        train_op = optimizer.apply_gradients(zip(clipped, params_), "
     "global_step=tf.train.get_or_create_global_step())\n",
     "optimizer=keras.optimizers.SGD(learning_rate=0.5, global_clipnorm=1.0)"),
])
def test_optimizer_names_functions_decay_and_clipping(training, expected):
    conversion = _convert(MODEL_FN.replace(ADAM_STEP, training).replace("BODY", ""))
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    assert _flat(expected) in _flat(conversion.output), conversion.output
    assert not FORBIDDEN.search(conversion.output), FORBIDDEN.search(conversion.output)
    compile(conversion.output, "train.py", "exec")


@pytest.mark.parametrize("training, words", [
    ("        rate = tf.train.exponential_decay(0.1, step, 100, 0.96)\n"
     "        train_op = tf.train.GradientDescentOptimizer(rate).minimize(loss)\n",
     "a step other than the global step"),
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "0.1, 'SGD', learning_rate_decay_fn=decay)\n", "optimize_loss(learning_rate_decay_fn"),
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "0.1, 'SGD', clip_gradients=clip_fn)\n", "clip_gradients `clip_fn`"),
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "0.1, 'Adam', learning_rate_decay_fn=lambda lr, step: tf.train.exponential_decay(\n"
     "            lr, step + 10, 100, 0.9))\n", "a tf.train learning-rate decay of its two"),
    # Keras' SGD scales the velocity by each step's rate: not TF 1.x's momentum under decay
    ("        train_op = tf.contrib.layers.optimize_loss(loss, tf.train.get_global_step(), "
     "0.1, 'Momentum', learning_rate_decay_fn=lambda lr, step: tf.train.exponential_decay(\n"
     "            lr, step, 100, 0.9))\n", "MomentumOptimizer with a decaying learning rate"),
    ("        rate = tf.train.piecewise_constant(tf.train.get_global_step(), [10], [0.1, 0.01])\n"
     "        optimizer = tf.train.MomentumOptimizer(rate, 0.9)\n"
     "        train_op = optimizer.minimize(loss)\n",
     "MomentumOptimizer with a decaying learning rate"),
    # clipping other than by the global norm of all gradients, or not applied as clipped
    ("        pairs = [(tf.clip_by_norm(g, 5.0), v) for g, v in tf.train.AdamOptimizer(0.1)"
     ".compute_gradients(loss)]\n        train_op = tf.train.AdamOptimizer(0.1).apply_gradients("
     "pairs)\n", "model_fn statement `pairs = "),
    ("        optimizer = tf.train.AdamOptimizer(0.1)\n"
     "        grads, variables = zip(*optimizer.compute_gradients(loss))\n"
     "        clipped, _ = tf.clip_by_global_norm(grads, 5.0)\n"
     "        train_op = optimizer.apply_gradients(zip(grads, variables), "
     "global_step=tf.train.get_global_step())\n", "model_fn statement `train_op = "),
    ("        optimizer = tf.train.AdamOptimizer(0.1)\n"
     "        grads, variables = zip(*optimizer.compute_gradients(loss))\n"
     "        clipped, norm = tf.clip_by_global_norm(grads, 5.0)\n"
     "        train_op = optimizer.apply_gradients(zip(clipped, variables), "
     "global_step=tf.train.get_global_step())\n", "model_fn statement `clipped, norm = "),
    ("        optimizer = tf.train.AdamOptimizer(0.1)\n"
     "        grads, variables = zip(*optimizer.compute_gradients(loss))\n"
     "        clipped, _ = tf.clip_by_global_norm(grads, 5.0)\n"
     "        train_op = optimizer.minimize(loss)\n", "gradients computed but not applied"),
])
def test_optimize_loss_parts_not_translated_fall_back(training, words):
    conversion = _convert(MODEL_FN.replace(ADAM_STEP, training).replace("BODY", ""))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors


# construct -> (the line holding it, the words the ERROR must contain)
FALLBACKS = {
    "py_func": (MODEL_FN, "        logits = tf.py_func(np.abs, [features['x']], tf.float32)\n",
                "tf.py_func"),
    "variable_scope": (MODEL_FN, "        with tf.variable_scope('shared'):\n            x = 1\n",
                       "variable scopes"),
    "cond_on_mode": (MODEL_FN, "        rate = tf.cond(tf.equal(mode, 'train'), lambda: 0.5, "
                     "lambda: 0.0)\n", "tf.cond"),
    "hooks": (MODEL_FN, "        hooks = [tf.train.LoggingTensorHook({'loss': loss}, 10)]\n",
              "session hooks"),
    "keras2_decay": (KERAS_SCRIPT.replace("OPTIMIZER", "tf.keras.optimizers.SGD(lr=0.1, "
                                          "decay=1e-6)").replace("INPUT", "x=X, shuffle=False"),
                     None, "decay="),
}


@pytest.mark.parametrize("name", sorted(FALLBACKS))
def test_untranslatable_construct_falls_back_to_the_estimator_target(name, tmp_path):
    source, line, words = FALLBACKS[name]
    if line is not None:
        lines = source.splitlines(True)
        at = next(i for i, text in enumerate(lines) if "BODY" in text)
        if name in ("py_func",):  # replaces the network's first line
            at = next(i for i, text in enumerate(lines) if "logits = tf.layers" in text)
        lines[at] = line
        source = "".join(lines)
    source = textwrap.dedent(source.replace("        BODY\n", ""))
    src = tmp_path / "train.py"
    src.write_text(source)
    out = tmp_path / "out" / "train.py"
    report = tmp_path / "report.json"
    assert main([str(src), "--target", "keras", "-o", str(out), "--report", str(report)]) == \
        EXIT_FINDINGS
    text = out.read_text()
    assert text.startswith("# legacy-compat convert --target keras: written for the Estimator")
    assert "import legacy_compat.estimator" in text  # the Estimator target, complete
    assert not (tmp_path / "out" / SIBLING).exists()
    errors = [f for f in json.loads(report.read_text())["findings"]
              if f["severity"] == "ERROR" and f["rule"] == "keras-target"]
    assert len(errors) == 1 and words in errors[0]["message"], errors
    assert "written for the Estimator target instead" in errors[0]["message"]
    if line is not None:  # the finding points at the construct in the written file
        token = re.search(r"tf\.(\w+\.)?(\w+)", line).group(2)  # py_func, variable_scope ...
        assert token in text.splitlines()[errors[0]["line"] - 1], token


def test_cli_writes_the_script_and_its_support_module(tmp_path):
    out = tmp_path / "out"
    source = os.path.join(golden.ROOT, golden.SOURCES["abalone.py"])
    assert main([source, "--target", "keras", "-o", str(out) + os.sep]) == EXIT_OK
    with open(os.path.join(golden.GOLDEN, "abalone.py")) as handle:
        assert (out / "abalone.py").read_text() == handle.read()
    assert (out / SIBLING).read_text() == sibling_source()


def test_helper_module_keeps_the_estimator_rules():
    conversion = _convert("import tensorflow as tf\n\ndef helper():\n    return tf.ones([1])\n")
    assert any("not a training script" in f.message for f in conversion.findings)


def test_docs_show_the_tables_the_converter_uses():
    with open(docs.PAGE, encoding="utf-8") as handle:
        page = handle.read()
    assert docs.BEGIN in page and docs.END in page
    assert page == docs.page_with_tables(page), \
        "docs/convert.md is stale: python -m legacy_compat.convert.keras.docs --write"


PREMADE = '''\
    import tensorflow as tf


    def estimator_fn(run_config, params):
        columns = [tf.feature_column.numeric_column('a'), tf.feature_column.numeric_column('b')]
        return tf.estimator.ESTIMATOR


    def train_input_fn(training_dir, params):
        return tf.data.Dataset.range(3).batch(1)


    def eval_input_fn(training_dir, params):
        return tf.data.Dataset.range(3).batch(1)
'''


@pytest.mark.parametrize("estimator, expected", [
    ("DNNRegressor(hidden_units=[8], feature_columns=columns, label_dimension=2)", [
        "net = keras.layers.Concatenate()([inputs['a'], inputs['b']])",
        'net = keras.layers.Dense(8, activation="relu")(net)',
        "model = keras.Model(inputs, keras.layers.Dense(2)(net))",
        "optimizer=keras.optimizers.Adagrad(learning_rate=0.05)",
        'loss=keras.losses.MeanSquaredError(reduction="sum")']),
    ("DNNClassifier([8, 4], columns, dropout=0.1, optimizer='Adam')", [
        "for units in [8, 4]:", "net = keras.layers.Dropout(0.1)(net)",
        "keras.layers.Dense(1)(net)",  # n_classes defaults to 2: one logit
        "optimizer=keras.optimizers.Adam(learning_rate=0.05)",
        'loss=keras.losses.BinaryCrossentropy(from_logits=True, reduction="sum")']),
    ("LinearClassifier(columns, n_classes=4)", [
        'model = keras.Model(inputs, keras.layers.Dense(4, kernel_initializer="zeros")(net))',
        # min(0.2, 1 / sqrt(number of columns)) with the number known: the rate it chose
        "optimizer=keras.optimizers.Ftrl(learning_rate=0.2)"]),
    ("LinearClassifier([tf.feature_column.numeric_column(k) for k in 'abcdefghijklmnopqrstuvwxy'])",
     ["import math\n", "learning_rate=min(0.2, 1 / math.sqrt(len('abcdefghijklmnopqrstuvwxy')))"]),
])
def test_premade_estimators_keep_tf1_architecture_and_defaults(estimator, expected):
    output = _convert(PREMADE.replace("ESTIMATOR", estimator)).output
    for text in expected:
        assert text in output, (text, output)
    compile(output, "train.py", "exec")


@pytest.mark.parametrize("estimator, words", [
    ("DNNClassifier([8], [tf.feature_column.weighted_categorical_column(tf.feature_column."
     "categorical_column_with_identity('a', 3), 'w')])", "weighted_categorical_column"),
    ("DNNClassifier([8], [tf.feature_column.embedding_column(tf.feature_column."
     "categorical_column_with_vocabulary_list('a', ['x']), 2)])", "embedded unknown values"),
    ("DNNClassifier([8], [tf.feature_column.categorical_column_with_hash_bucket('a', 3)])",
     "without indicator_column"),
    ("DNNRegressor([8], columns, label_vocabulary=['x', 'y'])", "label_vocabulary of a regressor"),
    ("DNNClassifier([8], columns, weight_column=tf.feature_column.numeric_column('w', "
     "shape=2))", "weight_column numeric_column with settings"),
    ("DNNLinearCombinedClassifier(linear_feature_columns=[tf.feature_column.embedding_column("
     "tf.feature_column.categorical_column_with_identity('c', 3), 2)], dnn_feature_columns="
     "columns, dnn_hidden_units=[4])", "embedding_column in linear_feature_columns"),
    ("DNNLinearCombinedRegressor(dnn_feature_columns=columns, dnn_hidden_units=[4])",
     "without both linear_feature_columns and dnn_feature_columns"),
    ("DNNLinearCombinedClassifier(None, columns, 'Ftrl', columns)", "with arguments not "
     "translated"),
])
def test_premade_parts_not_translated_yet_fall_back(estimator, words):
    conversion = _convert(PREMADE.replace("ESTIMATOR", estimator))
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and words in errors[0].message, errors
    assert "import legacy_compat.estimator" in conversion.output


C = "tf.feature_column."


@pytest.mark.parametrize("column, expected", [
    (C + "numeric_column('a')", "net = inputs['a']"),
    (C + "bucketized_column(" + C + "numeric_column('a'), [1.0, 2.0])",
     'net = keras.layers.Discretization(bin_boundaries=[1.0, 2.0], output_mode="one_hot")'
     "(inputs['a'])"),
    (C + "indicator_column(" + C + "categorical_column_with_vocabulary_list('a', ['x', 'y']))",
     "keras.layers.StringLookup(vocabulary=['x', 'y'], num_oov_indices=1, "
     "output_mode=\"one_hot\")(inputs['a'])[:, 1:]"),
    (C + "indicator_column(" + C + "categorical_column_with_vocabulary_list('a', [3, 4], "
     "num_oov_buckets=2))", "keras.layers.IntegerLookup(vocabulary=[3, 4], num_oov_indices=2, "
     "output_mode=\"one_hot\")(inputs['a'])\n"),
    (C + "indicator_column(" + C + "categorical_column_with_identity('a', 5))",
     "keras.layers.CategoryEncoding(num_tokens=5)(inputs['a'])"),
    (C + "embedding_column(" + C + "categorical_column_with_hash_bucket('a', 9), 3)",
     "net = keras.ops.mean(keras.layers.Embedding(9, 3, embeddings_initializer="
     "keras.initializers.TruncatedNormal(stddev=1 / math.sqrt(3)))(keras.layers.Hashing("
     "num_bins=9)(inputs['a'])), axis=1)"),
    (C + "indicator_column(" + C + "crossed_column(['b', 'a'], 7))",
     "net = keras.layers.HashedCrossing(num_bins=7, output_mode=\"one_hot\")"
     "((inputs['b'], inputs['a']))"),
])
def test_feature_columns_become_preprocessing_layers(column, expected):
    conversion = _convert(PREMADE.replace("ESTIMATOR", "DNNClassifier([8], [%s])" % column))
    assert not [f for f in conversion.findings if f.severity == "ERROR"], conversion.findings
    assert _flat(expected) in _flat(conversion.output), conversion.output  # wrapped or not
    compile(conversion.output, "train.py", "exec")


@pytest.mark.parametrize("keywords, expected, absent", [
    ("label_vocabulary=['x', 'y']", [
        "examples=keras_job.Examples(label_vocabulary=['x', 'y']))"],
     ["weighted_metrics", "weight_column"]),
    ("weight_column=tf.feature_column.numeric_column('w')", [
        'weighted_metrics=[keras.metrics.BinaryAccuracy("accuracy", threshold=0.0)',
        "job.fit(model, train_input_fn, eval_input_fn, examples=keras_job.Examples("
        "weight_column='w'))"],
     ["label_vocabulary"]),
])
def test_label_vocabulary_and_weight_column_map_the_datasets(keywords, expected, absent):
    output = _convert(PREMADE.replace("ESTIMATOR", "DNNClassifier([8], columns, %s)"
                                      % keywords)).output
    for text in expected:
        assert text in output, (text, output)
    for text in absent:
        assert text not in output, (text, output)
    compile(output, "train.py", "exec")


@pytest.mark.parametrize("setup, columns, expected", [
    # before: (SHAPE,) whatever SHAPE held, a list giving keras.Input(shape=([2, 3],))
    ("SHAPE = [2, 3]", "[tf.feature_column.numeric_column('a', shape=SHAPE)]",
     "keras.Input(shape=tuple(SHAPE), name='a')"),
    ("SHAPE = (2, 3)", "[tf.feature_column.numeric_column(k, shape=SHAPE) for k in 'ab']",
     "keras.Input(shape=tuple(SHAPE), name=k)"),
    ("SHAPE = 4", "[tf.feature_column.numeric_column('a', shape=SHAPE)]",
     "keras.Input(shape=(SHAPE,), name='a')"),
    ("SHAPE = [2, 3]", "[tf.feature_column.numeric_column('a', shape=[4])]",
     "keras.Input(shape=(4,), name='a')"),
    ("SHAPE = [2]\nSHAPE = 2", "[tf.feature_column.numeric_column('a', shape=SHAPE)]", None),
    ("SHAPE = len('ab')", "[tf.feature_column.numeric_column('a', shape=SHAPE)]", None),
])
def test_numeric_column_shape_given_by_a_name_keeps_its_value(setup, columns, expected):
    source = PREMADE.replace("ESTIMATOR", "DNNClassifier([8], %s)" % columns).replace(
        "import tensorflow as tf\n", "import tensorflow as tf\n    %s\n"
        % setup.replace("\n", "\n    "))
    conversion = _convert(source)
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    if expected is None:  # a value the converter cannot read: the Estimator target
        assert errors and "numeric_column(shape=SHAPE)" in errors[0].message, errors
        return
    assert not errors and expected in conversion.output, conversion.output


def test_parsing_serving_spec_over_lines_keeps_its_alignment():
    # before: the dict's continuation lines took four more columns than they had
    serving = (
        "\n\n    def serving_input_fn(params):\n"
        "        spec = {'a': tf.FixedLenFeature([1], tf.float32),\n"
        "                'b': tf.FixedLenFeature([1], tf.float32)}\n"
        "        return tf.estimator.export.build_parsing_serving_input_receiver_fn(spec)()\n")
    output = _convert(PREMADE.replace("ESTIMATOR", "DNNClassifier([8], columns)") + serving).output
    assert "    spec = {'a': tf.io.FixedLenFeature([1], tf.float32),\n" \
        "            'b': tf.io.FixedLenFeature([1], tf.float32)}\n" in output, output


def test_linear_model_weighs_categorical_columns_one_hot():
    column = C + "categorical_column_with_hash_bucket('a', 9)"
    output = _convert(PREMADE.replace("ESTIMATOR", "LinearClassifier([%s])" % column)).output
    assert "net = keras.layers.Hashing(num_bins=9, output_mode=\"one_hot\")(inputs['a'])" \
        in output, output


def test_feature_columns_concatenate_in_the_order_of_their_names():
    columns = "[%snumeric_column('z'), %sindicator_column(%scategorical_column_with_identity(" \
        "'a', 2))]" % (C, C, C)
    output = _convert(PREMADE.replace("ESTIMATOR", "DNNClassifier([8], %s)" % columns)).output
    assert "net = keras.layers.Concatenate()([a_indicator, inputs['z']])" in output, output


def test_damaged_scripts_convert_or_are_refused_never_crash():
    """Random line deletions over the project's scripts: a Conversion (Keras or the fallback)
    or a ConvertError for input that is no longer Python, never another exception."""
    import glob
    import random

    from legacy_compat.convert.errors import ConvertError

    rng = random.Random(16)
    scripts = sorted(glob.glob(os.path.join(golden.ROOT, "examples", "*", "*.py")) +
                     glob.glob(os.path.join(golden.ROOT, "tests", "fixtures", "convert", "*",
                                            "*.py")))
    for path in scripts:
        with open(path, encoding="utf-8") as handle:
            lines = handle.read().splitlines(True)
        for _ in range(8):
            damaged = list(lines)
            for _ in range(rng.randint(1, 4)):
                del damaged[rng.randrange(len(damaged))]
            try:
                conversion = convert_keras("".join(damaged), path)
            except ConvertError:
                continue
            assert conversion.output.strip()


def test_tf_app_flags_become_absl_flags_at_their_defaults():
    from tests.convert.keras.test_model_fn_constructs import DICT_INPUT, LABELS, PICK, TINY

    source = TINY.replace("PICK", PICK).replace("LABELS", LABELS).replace("INPUT", DICT_INPUT)
    source += "\n\ntf.app.flags.DEFINE_float('rate', 0.1, 'the rate')\n"
    output = convert_keras(source, "train.py").output
    assert "import keras\nfrom absl import flags\n" in output, output
    assert "\nflags.DEFINE_float('rate', 0.1, 'the rate')\n" in output, output
    # as in the container, whose argv had no options (SageMaker's are hyperparameters here)
    assert 'if __name__ == "__main__":\n    # the container\'s argv held no options: the ' \
        'flags keep their defaults\n    flags.FLAGS.mark_as_parsed()\n' in output, output
    # absl's module takes the name `flags`: a script with its own falls back
    conversion = convert_keras(source + "flags = ['a']\n", "train.py")
    errors = [f for f in conversion.findings if f.severity == "ERROR"]
    assert errors and "a name `flags` of its own" in errors[0].message, errors
