"""Each converted fixture trains and exports in a plain Script Mode run on the installed TF.

The converted script runs in a subprocess started like SageMaker starts a
Script Mode entry point (SM_* variables, ``--model_dir s3://...``), in an
environment where ``import legacy_compat`` fails.
"""
import json
import os
import re
import subprocess
import sys

import pytest

from legacy_compat.convert.cli import EXIT_OK
from tests.convert.conftest import (SCRIPT_FIXTURES, convert_for_installed_tf,
                                    legacy_compat_imports, load_and_predict, run_script_mode,
                                    without_legacy_compat_env, write_iris_data)

# About 55 s in total on 2 cores, so not marked slow.
HYPERPARAMETERS = {"training_steps": 20, "evaluation_steps": 3, "learning_rate": 0.1}

# Metric tolerance between `legacy-compat train` on the original script and the
# converted script in Script Mode: one of the 30 evaluation samples for
# accuracy, 2 % for the loss (both runs use the same seeded initialisers and
# unshuffled input; in practice the numbers are identical).
ACCURACY_TOLERANCE = 1.0 / 30 + 1e-6
LOSS_RELATIVE_TOLERANCE = 0.02


def _convert(name, tmp_path):
    source = SCRIPT_FIXTURES[name]
    if name == "source_dir":
        out_dir = tmp_path / "converted"
        assert convert_for_installed_tf([os.path.dirname(source), "-o", str(out_dir)]) == EXIT_OK
        return out_dir / "train.py"
    out = tmp_path / "converted" / "train.py"
    assert convert_for_installed_tf([source, "-o", str(out)]) == EXIT_OK
    return out


def _assert_no_legacy_compat(path):
    assert not legacy_compat_imports(path), path


@pytest.mark.parametrize("name", sorted(SCRIPT_FIXTURES))
def test_converted_fixture_trains_and_exports(name, tmp_path):
    script = _convert(name, tmp_path)
    for path in script.parent.glob("*.py"):
        _assert_no_legacy_compat(path)
    data = write_iris_data(str(tmp_path / "data" / "training"))
    result, model_dir, output_dir = run_script_mode(script, data, tmp_path, HYPERPARAMETERS)
    assert result.returncode == 0, result.stderr[-4000:]
    exports = list((model_dir / "export" / "Servo").iterdir())
    assert len(exports) == 1 and re.fullmatch(r"\d+", exports[0].name), exports
    assert (exports[0] / "saved_model.pb").is_file()
    metrics = json.loads((output_dir / "eval_metrics.json").read_text())
    assert metrics["global_step"] == 20 and "loss" in metrics
    assert not list(tmp_path.glob("cwd/*")), "the script wrote into its working directory"
    outputs = load_and_predict(exports[0], tmp_path)
    assert all(shape[0] == 2 for shape in outputs.values()), outputs


def test_single_file_conversion_trains_and_exports_alone(tmp_path):
    out = tmp_path / "converted" / "train.py"
    source = SCRIPT_FIXTURES["estimator_fn_dataset"]
    assert convert_for_installed_tf([source, "-o", str(out), "--single-file"]) == EXIT_OK
    assert sorted(path.name for path in out.parent.iterdir()) == ["train.py"]
    _assert_no_legacy_compat(out)
    data = write_iris_data(str(tmp_path / "data" / "training"))
    result, model_dir, output_dir = run_script_mode(out, data, tmp_path, HYPERPARAMETERS)
    assert result.returncode == 0, result.stderr[-4000:]
    assert (next((model_dir / "export" / "Servo").iterdir()) / "saved_model.pb").is_file()
    assert json.loads((output_dir / "eval_metrics.json").read_text())["global_step"] == 20


def test_inference_py_is_generated_for_serving_hooks(tmp_path):
    script = _convert("iris_model_fn", tmp_path)
    inference = (script.parent / "inference.py").read_text()
    compile(inference, "inference.py", "exec")
    assert "def input_handler(data, context)" in inference
    assert "def output_handler(response, context)" in inference


READ_EVAL = r'''
import glob, json, sys
import tensorflow as tf
latest = {}
for path in sorted(glob.glob(sys.argv[1] + "/events.out.tfevents.*")):
    for event in tf.compat.v1.train.summary_iterator(path):
        for value in event.summary.value:
            if value.HasField("simple_value"):
                latest[value.tag] = value.simple_value
print(json.dumps(latest))
'''


def _legacy_compat_train():
    """The command that runs ``legacy-compat train``, or None when the runtime is not installed.

    Only a missing runtime skips the parity test; a runtime that is there but broken (fails
    to import, crashes) fails it.
    """
    import importlib.util
    if importlib.util.find_spec("legacy_compat.runner") is None:
        return None
    import legacy_compat.runner  # noqa: F401  (an import error here is a failure, not a skip)
    return [sys.executable, "-m", "legacy_compat"]


@pytest.mark.parametrize("name", sorted(SCRIPT_FIXTURES))
def test_metrics_match_legacy_compat_train(name, tmp_path):
    command = _legacy_compat_train()
    if command is None:
        pytest.skip("legacy_compat.runner is not installed, so there is nothing to compare with")
    hyperparameters = dict(HYPERPARAMETERS, shuffle=False, seed=7)
    data = write_iris_data(str(tmp_path / "data" / "training"))
    job_dir = tmp_path / "legacy-job"
    legacy = subprocess.run(
        command + ["train", SCRIPT_FIXTURES[name], "--channel", data,
         "--hyperparameters", json.dumps(hyperparameters), "--job-dir", str(job_dir), "-q"],
        capture_output=True, text=True, timeout=300, cwd=str(tmp_path),
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    assert legacy.returncode == 0, legacy.stderr[-4000:]
    read = subprocess.run([sys.executable, "-c", READ_EVAL, str(job_dir / "model" / "eval")],
                          capture_output=True, text=True, timeout=120,
                          env=without_legacy_compat_env(tmp_path))
    assert read.returncode == 0, read.stderr[-2000:]
    expected = json.loads(read.stdout.strip().splitlines()[-1])

    script = _convert(name, tmp_path)
    result, _, output_dir = run_script_mode(script, data, tmp_path, hyperparameters)
    assert result.returncode == 0, result.stderr[-4000:]
    actual = json.loads((output_dir / "eval_metrics.json").read_text())
    assert abs(actual["loss"] - expected["loss"]) <= LOSS_RELATIVE_TOLERANCE * expected["loss"], \
        (actual, expected)
    if "accuracy" in expected:
        assert abs(actual["accuracy"] - expected["accuracy"]) <= ACCURACY_TOLERANCE, \
            (actual, expected)
