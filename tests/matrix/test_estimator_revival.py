"""tf.estimator on TF 2.16+ (legacy_compat.estimator), and untouched on the releases before.

Python 2.7 compatible.
"""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLE = os.path.join(ROOT, "examples", "abalone")
INSTALL_HINT = 'pip install "tensorflow-estimator==2.15.0"'

X = np.random.RandomState(0).uniform(0, 1, (64, 3)).astype(np.float32)
Y_CLASS = (X.sum(axis=1) > 1.5).astype(np.int32)
Y_REG = X.sum(axis=1, keepdims=True).astype(np.float32)


@pytest.fixture(scope="module")
def modern(tf_version):
    return tf_version >= (2, 16)


def _python(code, env=None):
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, env=env or dict(os.environ))
    output = proc.communicate()[0].decode("utf-8", "replace")
    return proc.returncode, output


def test_revived_only_where_tf_lacks_estimator(tf, tf_version, modern):
    import legacy_compat.estimator as revival

    assert revival.install() is modern  # idempotent: the conftest already installed it
    assert revival.is_installed() is modern
    if modern:
        assert tf.estimator.__name__.startswith("tensorflow_estimator.python.estimator.api._v2")
        assert tf.compat.v1.estimator.__name__.startswith(
            "tensorflow_estimator.python.estimator.api._v1")
        assert os.environ.get("TF_USE_LEGACY_KERAS") == "1"
        assert tf.keras.Sequential.__module__.startswith("tf_keras.")
    elif tf_version >= (2,):
        from tensorflow.python.distribute import estimator_training
        assert not estimator_training.__name__.startswith("legacy_compat")


@pytest.mark.parametrize("name", ["DNNClassifier", "LinearClassifier",
                                  "DNNLinearCombinedClassifier", "DNNRegressor",
                                  "LinearRegressor"])
def test_premade_estimator_trains_and_evaluates(tf, tf_version, name, tmpdir):
    if tf_version < (1, 13):
        pytest.skip("the premade estimators are also checked by the examples on TF 1.x")
    api = tf.compat.v1
    columns = [api.feature_column.numeric_column("x", shape=(3,))]
    kwargs = {"LinearClassifier": {"feature_columns": columns},
              "LinearRegressor": {"feature_columns": columns},
              "DNNClassifier": {"feature_columns": columns, "hidden_units": [4]},
              "DNNRegressor": {"feature_columns": columns, "hidden_units": [4]},
              "DNNLinearCombinedClassifier": {"linear_feature_columns": columns,
                                              "dnn_feature_columns": columns,
                                              "dnn_hidden_units": [4]}}[name]
    labels = Y_CLASS if "Classifier" in name else Y_REG

    def input_fn():
        return api.data.Dataset.from_tensor_slices(({"x": X}, labels)).repeat().batch(16)

    with tf.Graph().as_default():
        estimator = getattr(api.estimator, name)(model_dir=str(tmpdir), **kwargs)
        estimator.train(input_fn, max_steps=4)
        metrics = estimator.evaluate(input_fn, steps=1)
    assert metrics["global_step"] == 4
    assert np.isfinite(metrics["loss"])


def test_keras_model_to_estimator_uses_the_keras_2_package(tf, tf_version, modern, tmpdir):
    if tf_version < (2,):
        pytest.skip("the keras_regressor example covers TF 1.x")
    api = tf.compat.v1
    model = api.keras.Sequential([api.keras.layers.Dense(1, input_shape=(3,))])
    model.compile(optimizer="sgd", loss="mse")
    if modern:
        assert type(model).__module__.startswith("tf_keras.")
    estimator = api.keras.estimator.model_to_estimator(keras_model=model,
                                                       model_dir=str(tmpdir))
    assert estimator.model_dir == str(tmpdir)


def test_tf1_view_resolves_estimator_and_keras_names(tf, tf_version, modern):
    if tf_version < (2,):
        pytest.skip("the TF 1.x view is only used on TF 2.x")
    from legacy_compat.tfview import make_scoped_import

    scoped = make_scoped_import()
    view = scoped("tensorflow")
    assert view.estimator.DNNClassifier is tf.compat.v1.estimator.DNNClassifier
    assert view.compat.v1.estimator.Estimator is tf.compat.v1.estimator.Estimator
    module = scoped("tensorflow.python.estimator.estimator", fromlist=["Estimator"])
    assert module.Estimator is tf.compat.v1.estimator.Estimator
    assert callable(view.keras.estimator.model_to_estimator)
    layers = scoped("tensorflow.python.keras", fromlist=["layers"]).layers
    if modern:
        assert layers._tf1view_target.__name__.startswith("tf_keras.")


def test_missing_estimator_fails_at_once_with_the_install_command(modern, tmpdir):
    if not modern:
        pytest.skip("TF <= 2.15 has its own tf.estimator")
    # Hide the installed tensorflow-estimator: a None entry makes its import fail.
    site = tmpdir.mkdir("site")
    site.join("sitecustomize.py").write("import sys\nsys.modules['tensorflow_estimator'] = None\n")
    env = dict(os.environ, PYTHONPATH=str(site), TF_CPP_MIN_LOG_LEVEL="2")
    env.pop("TF_USE_LEGACY_KERAS", None)
    code, output = _python("import legacy_compat.estimator", env)
    assert code != 0 and "EstimatorUnavailable" in output, output[-3000:]
    assert INSTALL_HINT in output and "pip install --no-deps" in output, output[-3000:]

    job = str(tmpdir.join("job"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "legacy_compat", "train", os.path.join(EXAMPLE, "abalone.py"),
         "--channel", os.path.join(EXAMPLE, "data"), "--job-dir", job,
         "--hyperparameters", json.dumps({"training_steps": 5})],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    output = proc.communicate()[0].decode("utf-8", "replace")
    assert proc.returncode != 0, output[-3000:]
    assert INSTALL_HINT in output, output[-3000:]
    with open(os.path.join(job, "output", "failure")) as failure:
        assert INSTALL_HINT in failure.read()
    assert "Saving checkpoints" not in output


def test_tpu_embedding_stand_ins_fail_loudly_when_used(modern):
    if not modern:
        pytest.skip("TF <= 2.15 has the real TPU-embedding modules")
    from legacy_compat.tfapi.standins import UnsupportedTPUFeature
    from tensorflow.python.tpu import tpu_embedding

    with pytest.raises(UnsupportedTPUFeature) as error:
        tpu_embedding.TPUEmbedding
    assert "TensorFlow 2.15 or earlier" in str(error.value)
    with pytest.raises(UnsupportedTPUFeature):
        tpu_embedding.AdagradParameters(learning_rate=0.1)


def test_local_strategy_trains_and_cluster_strategy_is_refused(tf, modern, tmpdir):
    if not modern:
        pytest.skip("the distribute coordinator is TF's own on TF <= 2.15")
    from legacy_compat.tfapi.training import UnsupportedDistribution

    api = tf.compat.v1
    columns = [api.feature_column.numeric_column("x", shape=(3,))]

    def input_fn():
        return api.data.Dataset.from_tensor_slices(({"x": X}, Y_CLASS)).repeat().batch(16)

    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    config = api.estimator.RunConfig(train_distribute=strategy)
    estimator = api.estimator.LinearClassifier(columns, config=config, model_dir=str(tmpdir))
    estimator.train(input_fn, max_steps=3)
    assert estimator.get_variable_value("global_step") == 3

    cluster = {"cluster": {"chief": ["localhost:2222"], "worker": ["localhost:2223"]},
               "task": {"type": "chief", "index": 0}}
    os.environ["TF_CONFIG"] = json.dumps(cluster)
    try:
        with pytest.raises(UnsupportedDistribution) as error:
            api.estimator.RunConfig(train_distribute=strategy)
    finally:
        del os.environ["TF_CONFIG"]
    assert "TF_CONFIG cluster" in str(error.value)
