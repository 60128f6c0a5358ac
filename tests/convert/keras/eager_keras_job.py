"""keras_job (the sibling as written beside a converted script) on real Keras models and
tensors: Job.fit trains and evaluates on `legacy-compat train`'s schedule (real checkpoints,
the evaluation steps read from what it prints); the premade estimators' Examples and export
outputs.

Keras runs eagerly, and other tests of the suite switch TensorFlow to graph mode for the rest
of their process, so test_eager.py runs this file in a Python process of its own."""
import re

import numpy as np
import pytest

from legacy_compat.convert.keras.convert import SIBLING, sibling_source


@pytest.fixture
def fit(tmp_path, monkeypatch, capsys):
    """fit(hyperparameters) -> (steps evaluated at, output): one job in ``tmp_path``."""
    import json

    import tensorflow as tf

    namespace = {"__name__": "keras_job"}
    exec(compile(sibling_source(), SIBLING, "exec"), namespace)
    for name in ("SM_MODEL_DIR", "SM_OUTPUT_DIR", "SM_OUTPUT_DATA_DIR"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("SM_CHANNELS", "[]")
    features = np.random.RandomState(0).rand(64, 3).astype("float32")
    data = tf.data.Dataset.from_tensor_slices((features, features.sum(axis=1))).repeat().batch(8)

    def train_input_fn(training_dir, params):
        assert params["evaluation_steps"] == 2  # bound as Legacy Mode bound them
        return data

    def run(hyperparameters, eval_input_fn=train_input_fn):
        monkeypatch.setenv("SM_HPS", json.dumps(hyperparameters))
        job = namespace["Job"](["--model_dir", str(tmp_path / "checkpoints")])
        inputs = tf.keras.Input(shape=(3,))
        model = tf.keras.Model(inputs, tf.keras.layers.Dense(1)(inputs))
        model.compile(optimizer=tf.keras.optimizers.SGD(0.01), loss="mse")
        job.fit(model, train_input_fn, eval_input_fn)
        output = capsys.readouterr().out
        return [int(s) for s in re.findall(r"^evaluation at step (\d+):", output, re.M)], output

    return run


STEPS = {"training_steps": 30, "evaluation_steps": 2}


@pytest.mark.parametrize("schedule, evaluated", [
    # TF 1.4/1.5's keys (any of them): fits of N steps, an evaluation between them
    ({"min_eval_frequency": 10}, [10, 20, 30]),
    ({"train_steps_per_iteration": 15}, [15, 30]),
    ({"min_eval_frequency": 0}, [30]),  # 0: only after training
    # TF 1.6+: after a checkpoint once throttle_secs passed since the last evaluation (600)
    ({"save_checkpoints_steps": 10, "throttle_secs": 0}, [10, 20, 30]),
    ({"save_checkpoints_steps": 10}, [10, 30]),
    ({}, [30]),  # the first checkpoint after 300 s
])
def test_evaluates_on_the_legacy_schedule(fit, schedule, evaluated):
    steps, output = fit(dict(STEPS, **schedule))
    assert steps == evaluated, output
    assert "trained to step 30" in output
    assert output.count("final evaluation:") == 1


def test_a_rerun_resumes_and_keeps_the_schedule(fit, tmp_path):
    assert fit(dict(STEPS, min_eval_frequency=10))[0] == [10, 20, 30]
    steps, output = fit({"training_steps": 50, "evaluation_steps": 2, "min_eval_frequency": 10})
    assert "at step 30" in output and steps == [40, 50], output
    # already at training_steps: evaluated, not trained
    steps, output = fit({"training_steps": 20, "evaluation_steps": 2, "min_eval_frequency": 10})
    assert steps == [50] and "trained to step 50" in output, output


def test_without_eval_input_fn_trains_without_evaluating(fit, tmp_path):
    steps, output = fit(dict(STEPS, min_eval_frequency=10), eval_input_fn=None)
    assert steps == [] and "trained to step 30" in output and "final evaluation" not in output


def test_premade_examples_and_export_outputs_are_the_estimators():
    """keras_job.Examples and classes_and_scores (the sibling as written) on real tensors."""
    import numpy as np
    import tensorflow as tf

    namespace = {"__name__": "keras_job"}
    exec(compile(sibling_source(), SIBLING, "exec"), namespace)
    features = {"a": tf.constant([[1.0], [2.0]]), "w": tf.constant([[0.5], [2.0]])}
    labels = tf.constant([["y"], ["x"]])
    examples = namespace["Examples"](label_vocabulary=["x", "y"], weight_column="w")
    mapped, ids, weights = examples(features, labels)
    assert sorted(mapped) == ["a"] and sorted(features) == ["a", "w"]  # the input kept
    assert ids.numpy().tolist() == [[1], [0]] and weights.numpy().tolist() == [[0.5], [2.0]]
    assert len(namespace["Examples"](label_vocabulary=["x", "y"])(features, labels)) == 2
    with pytest.raises(Exception):  # an unknown label was the estimator's error too
        namespace["Examples"](label_vocabulary=["x"])(features, labels)

    outputs = namespace["classes_and_scores"](tf.constant([[0.0, np.log(3.0)]]), 2)
    assert outputs["classes"].numpy().tolist() == [[b"0", b"1"]]
    np.testing.assert_allclose(outputs["scores"].numpy(), [[0.25, 0.75]], rtol=1e-6)
    outputs = namespace["classes_and_scores"](tf.constant([[np.log(3.0)], [0.0]]), ["n", "p"])
    assert outputs["classes"].numpy().tolist() == [[b"n", b"p"], [b"n", b"p"]]
    np.testing.assert_allclose(outputs["scores"].numpy(), [[0.25, 0.75], [0.5, 0.5]], rtol=1e-6)
