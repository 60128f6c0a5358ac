"""Scripts converted with `legacy-compat convert --target keras`, run on TensorFlow alone.

This cell installs tensorflow-cpu and pytest only: the scripts train, evaluate, export, stop
on SIGTERM and resume with Keras 3 and tf.data, nothing of legacy-compat, tf-keras or
tensorflow-estimator. Each runs as SageMaker runs an entry point: `python script.py` in a
directory holding it and keras_job.py, the SM_* environment, no PYTHONPATH.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from cases import CASES, GOLDEN, NOT_EXPORTED, ROOT, STEPS

PROBE = r"""
import json, sys
import numpy as np
import tensorflow as tf

def feature(value):
    # a size: that many floats 0.5; a list: those strings, integers or floats
    if isinstance(value, int):
        return tf.train.Feature(float_list=tf.train.FloatList(value=[0.5] * value))
    if isinstance(value[0], str):
        return tf.train.Feature(bytes_list=tf.train.BytesList(
            value=[v.encode("utf-8") for v in value]))
    if isinstance(value[0], int):
        return tf.train.Feature(int64_list=tf.train.Int64List(value=value))
    return tf.train.Feature(float_list=tf.train.FloatList(value=value))


request = json.loads(sys.argv[2])
loaded = tf.saved_model.load(sys.argv[1])
serve = loaded.signatures["serving_default"]
feed = {}
for name, spec in serve.structured_input_signature[1].items():
    shape = [2] + [d or 1 for d in spec.shape.as_list()[1:]]
    if spec.dtype == tf.string and request["example"] is not None:
        # a parsing receiver: serialized tf.train.Example protos
        example = tf.train.Example(features=tf.train.Features(feature={
            key: feature(value) for key, value in request["example"].items()}))
        feed[name] = tf.constant([example.SerializeToString()] * 2)
    elif spec.dtype == tf.string:  # a raw string input: "0.5" too
        feed[name] = tf.constant(np.full(shape, "0.5", dtype=object))
    else:
        feed[name] = tf.constant(np.full(shape, 0.5, dtype=spec.dtype.as_numpy_dtype))
outputs = serve(**feed)
print("RESULT " + json.dumps({
    "inputs": {k: [s.dtype.name, s.shape.as_list()]
               for k, s in serve.structured_input_signature[1].items()},
    "outputs": {k: [v.dtype.name, list(v.shape)] for k, v in outputs.items()},
    "finite": all(bool(np.all(np.isfinite(v.numpy()))) for v in outputs.values()
                  if v.dtype.is_floating)}, sort_keys=True))
"""


def clean_env():
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SM_", "PYTHON"))}
    env.update({"TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1"})
    return env


def job_env(job):
    env = clean_env()
    env.update({
        "SM_CHANNELS": '["training"]', "SM_MODEL_DIR": str(job / "model"),
        "SM_OUTPUT_DIR": str(job / "output"), "SM_OUTPUT_DATA_DIR": str(job / "output" / "data"),
        "TF_CPP_MIN_LOG_LEVEL": "2", "PYTHONUNBUFFERED": "1",
    })
    return env


def start(tmp_path, name, hyperparameters):
    """The converted script in a fresh directory with keras_job.py, as a Popen."""
    code = tmp_path / "code"
    if not code.exists():
        code.mkdir()
        shutil.copy(os.path.join(GOLDEN, name), str(code / name))
        shutil.copy(os.path.join(GOLDEN, "keras_job.py"), str(code / "keras_job.py"))
    job = tmp_path / "job"
    env = job_env(job)
    env["SM_CHANNEL_TRAINING"] = os.path.join(ROOT, CASES[name][1])
    env["SM_HPS"] = json.dumps(dict(CASES[name][2], **hyperparameters))
    return subprocess.Popen([sys.executable, str(code / name), "--model_dir",
                             str(job / "checkpoints")], cwd=str(tmp_path), env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True), job


def run(tmp_path, name, hyperparameters):
    proc, job = start(tmp_path, name, hyperparameters)
    output, _ = proc.communicate(timeout=600)
    return proc.returncode, output, job


def probe(export, example=None):
    result = subprocess.run([sys.executable, "-c", PROBE, str(export),
                             json.dumps({"example": example})],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, env=clean_env())
    assert result.returncode == 0, result.stdout[-4000:]
    return json.loads(result.stdout.split("RESULT ", 1)[1].splitlines()[0])


def exports_of(model_dir):
    base = os.path.join(str(model_dir), "export", "Servo")
    return [os.path.join(base, n) for n in sorted(os.listdir(base))] if os.path.isdir(base) \
        else []


class Trained(dict):
    """name -> (output, job dir) of the case trained by its converted script, trained once
    when first asked for (``-k`` runs only the cases it selects)."""

    def __init__(self, tmp_path_factory):
        super().__init__()
        self.tmp_path_factory = tmp_path_factory

    def __missing__(self, name):
        tmp = self.tmp_path_factory.mktemp(name.replace(".py", ""))
        code, output, job = run(tmp, name, STEPS)
        assert code == 0, output[-4000:]
        self[name] = (output, job)
        return self[name]


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    return Trained(tmp_path_factory)


@pytest.mark.parametrize("name", sorted(CASES))
def test_converted_script_trains_evaluates_and_exports(trained, name):
    output, job = trained[name]
    assert "trained to step %d" % STEPS["training_steps"] in output, output[-3000:]
    with open(str(job / "output" / "data" / "eval_metrics.json")) as handle:
        metrics = json.load(handle)
    assert "loss" in metrics and all(value == value for value in metrics.values()), metrics
    exports = exports_of(job / "model")
    if name in NOT_EXPORTED:
        assert exports == [], exports
        return
    assert len(exports) == 1 and os.path.basename(exports[0]).isdigit(), exports
    result = probe(exports[0], CASES[name][3])
    assert result["finite"], result


def test_only_tensorflow_and_keras_3_are_installed():
    """What the converted scripts can import here: no legacy-compat, Estimator or Keras 2."""
    check = ("import importlib.util, keras; print(keras.__version__, [m for m in "
             "('legacy_compat', 'tensorflow_estimator', 'tf_keras') if importlib.util.find_spec(m)])")
    result = subprocess.run([sys.executable, "-I", "-c", check], stdout=subprocess.PIPE,
                            universal_newlines=True, cwd="/")
    version, _, found = result.stdout.strip().partition(" ")
    assert version.startswith("3.") and found == "[]", result.stdout


@pytest.mark.parametrize("name", sorted(CASES))
def test_same_request_same_keys_and_shapes_as_the_legacy_export(trained, name):
    legacy_root = os.environ.get("LEGACY_COMPAT_LEGACY_EXPORTS")
    if not legacy_root:
        pytest.skip("LEGACY_COMPAT_LEGACY_EXPORTS unset: noxfile.py makes the legacy exports "
                    "(tests/matrix/keras_cell/legacy_exports.py) before this cell")
    legacy = exports_of(os.path.join(legacy_root, name, "model"))
    if name in NOT_EXPORTED:  # the legacy job trained (its model dir holds checkpoints)
        assert legacy == [] and os.listdir(os.path.join(legacy_root, name, "model")), legacy
        assert exports_of(trained[name][1] / "model") == []
        return
    assert len(legacy) == 1, legacy
    keras_export = exports_of(trained[name][1] / "model")[0]
    example = CASES[name][3]
    got, want = probe(keras_export, example), probe(legacy[0], example)
    assert got["inputs"] == want["inputs"]
    assert got["outputs"] == want["outputs"]
    assert got["finite"] and want["finite"]


# iris_wide_deep.py: a model with two optimizers, whose states both resume; iris_towers.py: a
# keras.Model subclass, built before its checkpoint is loaded; vocabulary_skip.py: one holding
# a functional model of feature columns (a vocabulary file's lookup)
@pytest.mark.parametrize("name", ["abalone.py", "iris_wide_deep.py", "iris_towers.py",
                                  "vocabulary_skip.py"])
def test_sigterm_checkpoints_fails_and_a_rerun_resumes(tmp_path, name):
    proc, job = start(tmp_path, name, {"training_steps": 1000000, "evaluation_steps": 2})
    lines = []
    deadline = time.time() + 300
    for line in proc.stdout:  # the first checkpoint is at step 100
        lines.append(line)
        if line.startswith("step 200:") or time.time() > deadline:
            break
    proc.send_signal(signal.SIGTERM)
    rest, _ = proc.communicate(timeout=300)
    output = "".join(lines) + rest
    assert proc.returncode == 128 + signal.SIGTERM, output[-3000:]
    with open(str(job / "output" / "failure")) as handle:
        failure = handle.read()
    assert failure.startswith("stopped by SIGTERM at step ") and "rerun to resume" in failure
    stopped_at = int(failure.split("at step ")[1].split(";")[0])
    assert stopped_at >= 200
    assert exports_of(job / "model") == [] and "final evaluation" not in output
    assert (job / "checkpoints" / "checkpoint.weights.h5").exists()

    code, output, _ = run(tmp_path, name, {"training_steps": stopped_at + 30,
                                           "evaluation_steps": 2})
    assert code == 0, output[-3000:]
    assert "resumed from %s at step %d" % (job / "checkpoints" / "checkpoint.weights.h5",
                                           stopped_at) in output
    assert "trained to step %d" % (stopped_at + 30) in output
    assert len(exports_of(job / "model")) == 1


# The steps a job evaluates at, as `legacy-compat train` schedules them (keras_job.Job.fit):
# TF 1.4/1.5's min_eval_frequency, fits of N steps with an evaluation between them; else TF
# 1.6+'s, after a checkpoint once throttle_secs have passed since the last evaluation.
@pytest.mark.parametrize("schedule, evaluated", [
    ({"min_eval_frequency": 20}, [20, 40, 60]),
    ({"save_checkpoints_steps": 20, "throttle_secs": 0}, [20, 40, 60]),
    ({"save_checkpoints_steps": 20}, [20, 60]),  # throttle_secs: 600
])
def test_converted_script_evaluates_on_the_legacy_schedule(tmp_path, schedule, evaluated):
    code, output, job = run(tmp_path, "iris_dnn.py", dict(STEPS, **schedule))
    assert code == 0, output[-3000:]
    lines = [line for line in output.splitlines() if line.startswith("evaluation at step ")]
    assert [int(line.split()[3].rstrip(":")) for line in lines] == evaluated, output[-3000:]
    with open(str(job / "output" / "data" / "eval_metrics.json")) as handle:
        assert json.load(handle) == json.loads(lines[-1].split(": ", 1)[1])
    assert len(exports_of(job / "model")) == 1


def test_command_line_hyperparameters_decode_as_train_decodes_them(tmp_path):
    """Outside SageMaker (no SM_HPS) the --name value pairs, each a string of JSON as SageMaker
    encodes it, the tuning objective unencoded, the container's defaults added."""
    shutil.copy(os.path.join(GOLDEN, "keras_job.py"), str(tmp_path / "keras_job.py"))
    argv = ["--model_dir", "/tmp/unused", "--learning_rate", "0.1", "--optimizer", '"adam"',
            "--name", "adam", "--flag", "--n=3", "--_tuning_objective_metric", "loss",
            "--save_checkpoints_steps", "50"]
    code = ("import json, sys, keras_job; "
            "print('RESULT ' + json.dumps(keras_job.Job(sys.argv[1:]).hyperparameters))")
    result = subprocess.run([sys.executable, "-c", code] + argv, cwd=str(tmp_path),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            universal_newlines=True, env=clean_env())
    assert result.returncode == 0, result.stdout[-3000:]
    assert json.loads(result.stdout.split("RESULT ", 1)[1]) == {
        "learning_rate": 0.1, "optimizer": "adam", "name": "adam", "flag": True, "n": 3,
        "_tuning_objective_metric": "loss", "save_checkpoints_steps": 50,
        "training_steps": 1000, "evaluation_steps": 100}
