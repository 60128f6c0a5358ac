"""Each example trains end to end with real TensorFlow, exports, and its SavedModel predicts."""

import os

import numpy as np
import pytest

from conftest import example

tf = pytest.importorskip("tensorflow")


def load_signature(export_dir, key="serving_default"):
    loaded = tf.saved_model.load(export_dir)
    return loaded.signatures[key]


def assert_success(run):
    assert run.returncode == 0, run.output
    assert os.path.exists(run.path("output", "success"))
    assert not os.path.exists(run.path("output", "failure"))
    exports = run.exports()
    assert len(exports) >= 1 and all(name.isdigit() for name in exports), exports
    return run.path("model", "export", "Servo", exports[-1])


def test_abalone_model_fn(train):
    run = train(example("abalone", "abalone.py"), channels=[example("abalone", "data")],
                hyperparameters={"learning_rate": 0.001})
    export = assert_success(run)
    assert "SavedModel exported to %s" % export in run.output
    predict = load_signature(export)
    out = predict(inputs=tf.constant(np.full((1, 7), 0.5, dtype=np.float32)))
    assert out["ages"].shape == (1,)
    # TF's own "loss = ..." lines survive: hyperparameter tuning parses them.
    assert "loss = " in run.output
    assert "progress: step 10/30" in run.output
    assert "casting the predictions to float64" in run.output


def test_iris_estimator_fn(train):
    run = train(example("iris_estimator", "iris_dnn.py"),
                channels=[example("iris_estimator", "data")])
    export = assert_success(run)
    example_proto = tf.train.Example(features=tf.train.Features(feature={
        "inputs": tf.train.Feature(float_list=tf.train.FloatList(value=[5.0, 3.4, 1.5, 0.2]))}))
    predict = load_signature(export, "predict")
    out = predict(examples=tf.constant([example_proto.SerializeToString()]))
    assert out["probabilities"].shape == (1, 3)


def test_keras_model_fn(train):
    run = train(example("keras_regressor", "keras_regressor.py"),
                channels=[example("keras_regressor", "data")])
    export = assert_success(run)
    predict = load_signature(export)
    out = predict(inputs=tf.constant([[0.1, 0.2, 0.3]], dtype=tf.float32))
    assert list(out.values())[0].shape == (1, 1)


def test_resume_past_target_says_so_and_exports(train, tmp_path):
    script = example("abalone", "abalone.py")
    data = example("abalone", "data")
    first = train(script, channels=[data], hyperparameters={"learning_rate": 0.001})
    assert first.returncode == 0, first.output
    again = train(script, channels=[data], hyperparameters={"learning_rate": 0.001})
    assert again.returncode == 0, again.output
    assert "already at global step 30 and training_steps is 30" in again.output
    assert "nothing to train" in again.output
    assert len(again.exports()) == 2
    more = train(script, channels=[data],
                 hyperparameters={"learning_rate": 0.001, "training_steps": 40})
    assert more.returncode == 0, more.output
    assert "resuming from the checkpoint at global step 30" in more.output
    assert "training finished at global step 40" in more.output


def test_checkpoints_elsewhere_copy_the_newest_export(train, tmp_path):
    checkpoints = str(tmp_path / "checkpoints")
    run = train(example("abalone", "abalone.py"), channels=[example("abalone", "data")],
                hyperparameters={"learning_rate": 0.001},
                extra=["--checkpoint-path", checkpoints])
    export = assert_success(run)
    assert os.path.exists(os.path.join(checkpoints, "checkpoint"))
    assert os.path.basename(export) in os.listdir(os.path.join(checkpoints, "export", "Servo"))
    assert not os.path.exists(run.path("model", "checkpoint"))
