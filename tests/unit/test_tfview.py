"""The TF 1.x view, exercised the way the runner uses it: user code executed with a scoped
``__import__``, against the real TensorFlow 2.15 / Keras 2.15 / tensorflow-estimator."""

import builtins
import os
import subprocess
import sys
import textwrap

import numpy
import pytest
import tensorflow as real_tf

from legacy_compat.tfview import (
    UnsupportedTF1Attribute, UnsupportedTF1Import, make_scoped_import, scope)
from legacy_compat.tfview.view import View

from conftest import run_user

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.fixture(scope="module", autouse=True)
def import_dispatcher():
    scope.install()
    yield
    scope.uninstall()


@pytest.fixture(autouse=True)
def fresh_graph():
    # The view disables v2 behaviour for the process, so user code builds into the
    # default graph; give every test its own.
    real_tf.compat.v1.reset_default_graph()
    yield


def run_in_session(fetches):
    with real_tf.compat.v1.Session() as session:
        session.run([real_tf.compat.v1.global_variables_initializer(),
                     real_tf.compat.v1.local_variables_initializer()])
        return session.run(fetches)


def test_tensorflow_is_the_v1_api_with_v2_behaviour_disabled():
    g = run_user("""
        import tensorflow as tf
        x = tf.placeholder(tf.float32, [None, 3])
        init = tf.truncated_normal([3, 2], stddev=0.1)
        optimizer = tf.train.AdagradOptimizer(0.1)
        queue = tf.train.string_input_producer(["a", "b"])
        loss = tf.losses.mean_squared_error([1.0], [0.5])
        accuracy = tf.metrics.accuracy([1], [1])
        iterator = tf.data.Dataset.from_tensor_slices([1, 2, 3]).make_one_shot_iterator()
        next_value = iterator.get_next()
        input_fn = tf.estimator.inputs.numpy_input_fn
        to_estimator = tf.keras.estimator.model_to_estimator
        exists = tf.gfile.Exists
        eager = tf.executing_eagerly()
    """)
    tf = g["tf"]
    assert isinstance(tf, View) and tf is not sys.modules["tensorflow"]
    assert g["eager"] is False
    assert isinstance(g["optimizer"], real_tf.compat.v1.train.AdagradOptimizer)
    assert g["input_fn"] is real_tf.compat.v1.estimator.inputs.numpy_input_fn
    assert g["to_estimator"] is real_tf.compat.v1.keras.estimator.model_to_estimator
    assert g["exists"](REPO)
    assert run_in_session(g["next_value"]) == 1


def test_tensorflow_own_modules_keep_the_real_packages():
    real_modules = (sys.modules["tensorflow"], sys.modules["numpy"])
    g = run_user("""
        import tensorflow as tf
        import numpy as np
        import tensorflow.contrib.learn as learn
        from tensorflow.python.estimator.model_fn import ModeKeys
    """)
    assert (sys.modules["tensorflow"], sys.modules["numpy"]) == real_modules
    assert not isinstance(sys.modules["tensorflow"], View)
    assert "tensorflow.contrib" not in sys.modules
    assert g["np"] is not numpy and not hasattr(numpy, "int")
    # TensorFlow's own code still sees v2 names, e.g. tf.data.Dataset is the v2 class.
    assert real_tf.data.Dataset is not g["tf"].data.Dataset
    # And imports outside the handled roots are untouched.
    assert run_user("import json, os.path as p")["p"] is os.path


def test_private_tensorflow_paths():
    from legacy_compat import tfapi
    keras = tfapi.keras()  # Keras 2: `keras` up to TF 2.15, `tf_keras` on TF 2.16+
    keras_package = keras.layers.Dense.__module__.split(".")[0]
    from tensorflow.python.saved_model import signature_constants
    from tensorflow_estimator.python.estimator.export import export
    g = run_user("""
        from tensorflow.python.estimator.export.export import build_raw_serving_input_receiver_fn
        from tensorflow.python.estimator.model_fn import ModeKeys as Modes
        from tensorflow.python.saved_model.signature_constants import (
            PREDICT_INPUTS, DEFAULT_SERVING_SIGNATURE_DEF_KEY)
        from tensorflow.python.keras.layers import Dense
        from tensorflow.python.keras import models
        import tensorflow.python.keras.layers.core as core
        from tensorflow.keras.layers import Flatten
        from tensorflow.contrib.keras import layers as contrib_layers
        import tensorflow as tf
        contrib_sequential = tf.contrib.keras.models.Sequential
    """)
    assert g["build_raw_serving_input_receiver_fn"] is export.build_raw_serving_input_receiver_fn
    assert g["Modes"].TRAIN == "train" and g["Modes"].PREDICT == "infer"
    assert g["PREDICT_INPUTS"] == signature_constants.PREDICT_INPUTS
    assert g["DEFAULT_SERVING_SIGNATURE_DEF_KEY"] == "serving_default"
    assert g["Dense"] is keras.layers.Dense and g["Flatten"] is keras.layers.Flatten
    assert g["models"].Sequential is keras.models.Sequential
    assert g["contrib_layers"].Dense is keras.layers.Dense
    assert g["contrib_sequential"] is keras.models.Sequential
    assert g["core"]._tf1view_target.__name__ == keras_package + ".src.layers.core"


def _train_one_step(estimator, feature_name):
    input_fn = real_tf.compat.v1.estimator.inputs.numpy_input_fn(
        {feature_name: numpy.ones((4, 3), numpy.float32)}, numpy.ones((4, 2), numpy.float32),
        batch_size=4, num_epochs=1, shuffle=False)
    estimator.train(input_fn, steps=1)
    return estimator.get_variable_value("global_step")


def test_private_keras_model_is_accepted_by_model_to_estimator(tmp_path):
    g = run_user("""
        import tensorflow as tf
        from tensorflow.python.keras.layers import Dense
        from tensorflow.python.keras.models import Sequential
        model = Sequential([Dense(2, input_shape=(3,), name="dense")])
        model.compile(optimizer=tf.keras.optimizers.SGD(lr=0.1), loss="mse")
        estimator = tf.keras.estimator.model_to_estimator(keras_model=model, model_dir=model_dir)
    """, model_dir=str(tmp_path))
    assert _train_one_step(g["estimator"], "dense_input") == 1


def test_legacy_model_fn_script_trains_and_exports(tmp_path):
    g = run_user("""
        import numpy as np
        import tensorflow as tf
        from tensorflow.python.estimator.model_fn import ModeKeys as Modes
        tf.logging.set_verbosity(tf.logging.ERROR)

        def model_fn(features, labels, mode, params):
            logits = tf.layers.dense(features["x"], 2)
            predictions = {"classes": tf.argmax(logits, 1)}
            if mode == Modes.PREDICT:
                return tf.estimator.EstimatorSpec(mode, predictions=predictions, export_outputs={
                    "serving_default": tf.estimator.export.PredictOutput(predictions)})
            loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
            train_op = tf.train.MomentumOptimizer(0.1, 0.9).minimize(
                loss, global_step=tf.train.get_or_create_global_step())
            return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op, eval_metric_ops={
                "accuracy": tf.metrics.accuracy(labels, predictions["classes"])})

        def serving_input_fn(params):
            x = tf.placeholder(tf.float32, [None, 3])
            return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})

        input_fn = tf.estimator.inputs.numpy_input_fn(
            {"x": np.ones((8, 3), dtype=np.float32)}, np.ones(8, dtype=np.int),
            batch_size=4, num_epochs=None, shuffle=False)
        estimator = tf.estimator.Estimator(model_fn, model_dir=model_dir)
        estimator.train(input_fn, steps=2)
        metrics = estimator.evaluate(input_fn, steps=1)
        export_dir = estimator.export_savedmodel(model_dir + "/export/Servo",
                                                 lambda: serving_input_fn({}))
    """, model_dir=str(tmp_path))
    assert g["metrics"]["global_step"] == 2 and "accuracy" in g["metrics"]
    assert os.path.exists(os.path.join(g["export_dir"], b"saved_model.pb"))


def test_contrib_csv_loaders(tmp_path):
    with_header = tmp_path / "with_header.csv"
    with_header.write_text("3,2,setosa,versicolor\n1.5,2.0,0\n3.0,4.5,1\n5.0,6.0,1\n")
    without_header = tmp_path / "without_header.csv"
    without_header.write_text("1.5,2.0,0\n3.0,4.5,1\n")
    g = run_user("""
        import numpy as np
        import tensorflow as tf
        import tensorflow.contrib.learn as learn
        from tensorflow.contrib.learn.datasets import base
        train = tf.contrib.learn.datasets.base.load_csv_with_header(
            filename=with_header, target_dtype=np.int, features_dtype=np.float32)
        test = learn.datasets.base.load_csv_without_header(
            filename=without_header, target_dtype=np.int, features_dtype=np.float32)
        first_column_target = base.load_csv_without_header(
            without_header, target_dtype=np.float32, features_dtype=np.float32, target_column=0)
    """, with_header=str(with_header), without_header=str(without_header))
    train, test = g["train"], g["test"]
    assert type(train).__name__ == "Dataset" and train._fields == ("data", "target")
    assert train.data.dtype == numpy.float32 and train.data.shape == (3, 2)
    assert train.target.tolist() == [0, 1, 1]
    assert test.data.tolist() == [[1.5, 2.0], [3.0, 4.5]] and test.target.tolist() == [0, 1]
    assert g["first_column_target"].target.tolist() == [1.5, 3.0]


def test_contrib_csv_with_header_rejects_wrong_sample_count(tmp_path):
    csv_file = tmp_path / "short.csv"
    csv_file.write_text("5,2,a,b\n1,2,0\n")
    with pytest.raises(ValueError, match="says 5 samples, the file has 1"):
        run_user("""
            import tensorflow as tf
            tf.contrib.learn.datasets.base.load_csv_with_header(path, int, float)
        """, path=str(csv_file))


def test_contrib_optimize_loss_trains_a_step():
    g = run_user("""
        import tensorflow as tf
        from tensorflow.contrib.framework import get_global_step, local_variable
        global_step = tf.train.get_or_create_global_step()
        w = tf.Variable(1.0, name="w")
        loss = tf.square(w - 3.0)
        train_op = tf.contrib.layers.optimize_loss(
            loss, get_global_step(), learning_rate=0.1, optimizer="SGD", clip_gradients=10.0)
        counter = local_variable(0, name="counter")
    """)
    tf1 = real_tf.compat.v1
    with tf1.Session() as session:
        session.run([tf1.global_variables_initializer(), tf1.local_variables_initializer()])
        loss_before = session.run(g["loss"])
        session.run(g["train_op"])
        assert session.run(g["global_step"]) == 1
        assert session.run(g["w"]) == pytest.approx(1.0 + 0.1 * 2 * 2.0)
        assert session.run(g["loss"]) < loss_before
    assert g["counter"] in tf1.get_collection(tf1.GraphKeys.LOCAL_VARIABLES)
    assert g["counter"] not in tf1.trainable_variables()


@pytest.mark.parametrize("name", ["Momentum", "Adam", "RMSProp"])
def test_contrib_optimize_loss_knows_every_optimizer_name(name):
    g = run_user("""
        import tensorflow as tf
        w = tf.Variable(1.0, name="w")
        train_op = tf.contrib.layers.optimize_loss(
            tf.square(w), tf.train.get_or_create_global_step(), 0.1, optimizer)
    """, optimizer=name)
    assert g["train_op"] is not None


def test_contrib_initializer_and_regularizers_match_the_converters_helpers():
    # The converter adds helpers of the same names (contract.CONTRIB_STAND_INS).
    g = run_user("""
        import tensorflow as tf
        from tensorflow.contrib.layers import xavier_initializer, l2_regularizer
        w = tf.get_variable("w", [200, 300], initializer=xavier_initializer(seed=1))
        l2 = l2_regularizer(0.5)(tf.constant([1.0, 2.0]))
        l1 = tf.contrib.layers.l1_regularizer(0.5)(tf.constant([1.0, -2.0]))
    """)
    tf1 = real_tf.compat.v1
    with tf1.Session() as session:
        session.run(tf1.global_variables_initializer())
        w, l2, l1 = session.run([g["w"], g["l2"], g["l1"]])
    limit = (6.0 / (200 + 300)) ** 0.5
    assert abs(w).max() <= limit and abs(w).max() > 0.9 * limit
    assert l2 == pytest.approx(0.5 * (1 + 4) / 2) and l1 == pytest.approx(1.5)


def test_contrib_data_fixed_length_records_and_map_and_batch(tmp_path):
    records = tmp_path / "records.bin"
    records.write_bytes(bytes(range(12)))
    g = run_user("""
        import tensorflow as tf
        from tensorflow.contrib.data import map_and_batch
        dataset = tf.contrib.data.FixedLengthRecordDataset([path], record_bytes=2)
        dataset = dataset.apply(map_and_batch(
            lambda r: tf.reduce_sum(tf.cast(tf.decode_raw(r, tf.uint8), tf.int32)),
            batch_size=4, num_parallel_batches=1))
        batch = dataset.make_one_shot_iterator().get_next()
    """, path=str(records))
    assert run_in_session(g["batch"]).tolist() == [1, 5, 9, 13]


def test_numpy_aliases_are_scoped_to_user_code():
    g = run_user("""
        import numpy as np
        from numpy import float as np_float
        import numpy.random as npr
        names = (np.int, np_float, np.bool, np.object, np.str, np.long, np.unicode)
        array = np.zeros(2, dtype=np.int)
    """)
    assert g["names"] == (int, float, bool, object, str, int, str)
    assert g["array"].dtype == numpy.zeros(2, dtype=int).dtype
    assert g["npr"] is numpy.random and g["np"].random is numpy.random
    assert not hasattr(numpy, "float") and not hasattr(numpy, "object")


@pytest.mark.parametrize("code, symbol, replacement", [
    ("import tensorflow.contrib.slim as slim", "tensorflow.contrib.slim", "tf_slim"),
    ("import tensorflow as tf\ntf.contrib.rnn.LSTMCell", "tensorflow.contrib.rnn",
     "tf.compat.v1.nn.rnn_cell"),
    ("from tensorflow.contrib.learn import Experiment", "tensorflow.contrib.learn.Experiment",
     "train_and_evaluate"),
    ("import tensorflow as tf\ntf.contrib.nccl", "tensorflow.contrib.nccl", "tf.compat.v1"),
    ("from tensorflow.contrib.layers import fully_connected",
     "tensorflow.contrib.layers.fully_connected", "tf.keras.layers"),
    ("import tensorflow as tf\ntf.no_such_function", "tensorflow.no_such_function",
     "tensorflow.compat.v1"),
], ids=["import-slim", "attr-rnn", "from-learn", "catch-all", "contrib-layers", "not-in-v1"])
def test_unsupported_names_say_what_to_use(code, symbol, replacement):
    expected = UnsupportedTF1Import if "import" in code.splitlines()[-1] else UnsupportedTF1Attribute
    with pytest.raises(expected) as raised:
        run_user(code)
    message = str(raised.value)
    assert symbol + " is not available" in message and replacement in message
    assert raised.value.symbol == symbol


def test_unsupported_attribute_keeps_hasattr_working():
    g = run_user("import tensorflow as tf\nfound = hasattr(tf.contrib, 'slim')")
    assert g["found"] is False


def test_python2_style_import_returns_the_top_package_and_walks_attributes():
    scoped_import = make_scoped_import()
    top = scoped_import("tensorflow.contrib.learn", {}, {}, None, 0)
    assert top.contrib.learn.datasets.base.load_csv_with_header.__module__ == (
        "legacy_compat.portable.contrib")
    with pytest.raises(UnsupportedTF1Import, match="tensorflow.contrib.slim.nets"):
        scoped_import("tensorflow.contrib.slim.nets", {}, {}, None, 0)


def test_relative_imports_go_to_the_real_import():
    calls = []

    def recording_import(*args):
        calls.append(args)
        return builtins.__import__("json")

    scoped_import = make_scoped_import(recording_import)
    scoped_import("tensorflow", {"__name__": "pkg.mod", "__package__": "pkg"}, {}, ("x",), 1)
    scoped_import("yaml_or_anything", None, None, (), 0)
    assert [c[0] for c in calls] == ["tensorflow", "yaml_or_anything"]


def _write_tfrecords(path, values):
    with real_tf.io.TFRecordWriter(str(path)) as writer:
        for value in values:
            writer.write(value)


def test_pipe_mode_dataset_stand_in_reads_channel_files_in_order(tmp_path, monkeypatch):
    try:
        import sagemaker_tensorflow  # noqa: F401
        pytest.skip("the real sagemaker_tensorflow is installed")
    except ImportError:
        pass
    channel = tmp_path / "train_data"
    channel.mkdir()
    _write_tfrecords(channel / "part-b.tfrecord", [b"b1", b"b2"])
    _write_tfrecords(channel / "part-a.tfrecord", [b"a1"])
    monkeypatch.setenv("SM_CHANNEL_TRAINING", str(channel))
    g = run_user("""
        from sagemaker_tensorflow import PipeModeDataset
        dataset = PipeModeDataset(channel="training", record_format="TFRecord")
        next_record = dataset.make_one_shot_iterator().get_next()
    """)
    fetched = []
    with real_tf.compat.v1.Session() as session:
        for _ in range(3):
            fetched.append(session.run(g["next_record"]))
    assert fetched == [b"a1", b"b1", b"b2"]


def test_pipe_mode_dataset_stand_in_names_a_missing_channel(monkeypatch, tmp_path):
    monkeypatch.delenv("SM_CHANNEL_EVAL", raising=False)
    monkeypatch.setenv("SM_INPUT_DIR", str(tmp_path))
    with pytest.raises(EnvironmentError) as raised:
        run_user("""
            import sagemaker_tensorflow
            sagemaker_tensorflow.PipeModeDataset("eval")
        """)
    assert "'eval'" in str(raised.value) and "SM_CHANNEL_EVAL" in str(raised.value)
    # Without SM_CHANNEL_EVAL the channel is looked for under $SM_INPUT_DIR/data.
    (tmp_path / "data" / "eval").mkdir(parents=True)
    _write_tfrecords(tmp_path / "data" / "eval" / "only.tfrecord", [b"e1"])
    g = run_user("""
        from sagemaker_tensorflow import PipeModeDataset
        record = PipeModeDataset("eval").make_one_shot_iterator().get_next()
    """)
    assert run_in_session(g["record"]) == b"e1"
    with pytest.raises(UnsupportedTF1Import, match="sagemaker_tensorflow.PipeModeDatasetV2"):
        run_user("from sagemaker_tensorflow import PipeModeDatasetV2")


def test_the_pipe_mode_stand_in_alone_puts_user_code_in_graph_mode(tmp_path):
    # Graph mode is process-wide and cannot be undone: a fresh interpreter, where nothing
    # imported tensorflow through the view before (the pipe tests above once relied on that).
    (tmp_path / "part.tfrecord").write_bytes(b"")
    code = textwrap.dedent("""
        import sys
        sys.path.insert(0, sys.argv[1])
        from conftest import run_user
        g = run_user("from sagemaker_tensorflow import PipeModeDataset\\n"
                     "dataset = PipeModeDataset('training')\\n")
        import tensorflow as tf
        assert not tf.executing_eagerly(), "user code runs eagerly"
        assert isinstance(g["dataset"], tf.compat.v1.data.Dataset), type(g["dataset"])
    """)
    env = dict(os.environ, SM_CHANNEL_TRAINING=str(tmp_path), TF_CPP_MIN_LOG_LEVEL="3")
    result = subprocess.run([sys.executable, "-c", code, os.path.join(REPO, "tests")], cwd=REPO,
                            env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]


def test_docs_page_is_generated_from_the_table():
    from legacy_compat.tfview import docs
    with open(os.path.join(REPO, "docs", "tf1-view.md")) as page:
        assert page.read() == docs.render(), (
            "docs/tf1-view.md is stale: run python -m legacy_compat.tfview.docs > docs/tf1-view.md")


def test_making_the_import_does_not_import_tensorflow():
    code = ("import sys; from legacy_compat.tfview import make_scoped_import, docs; "
            "f = make_scoped_import(); f('json', None, None, (), 0); docs.render(); "
            "assert 'tensorflow' not in sys.modules, 'tensorflow imported'; "
            "assert 'numpy' not in sys.modules, 'numpy imported'")
    subprocess.check_call([sys.executable, "-c", code], cwd=REPO)
