"""`legacy-compat train` and a converted script in plain TensorFlow see the same contract.

Every case of tests/fixtures/parity/cases.py runs twice: the legacy script through
`legacy-compat train`, and the script converted by `legacy-compat convert`
started like a SageMaker Script Mode job on TF 2.15 in a process where
legacy_compat cannot be imported. The scripts record every call the contract
makes (tests/fixtures/parity/cases.py); both runs must record the same calls in the same
order with the same hyperparameters (defaults included) and bound arguments, the
same evaluations and exports, reach the same global step, and export the same
SavedModel layout under <model dir>/export/Servo/<timestamp>.

One deliberate difference (docs/convert.md, "Parity with legacy-compat train"):
DEFAULT_CHECKPOINTS below.
"""
import glob
import json
import os
import re
import subprocess
import sys

import pytest

from legacy_compat import contract
from legacy_compat.convert.cli import EXIT_OK
from tests.convert.conftest import (convert_for_installed_tf, installed_target,
                                    without_legacy_compat_env)
from tests.fixtures.parity import cases

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# Where checkpoints go when no checkpoint_path is set. `train` follows the container: the
# model directory, so every export (LatestExporter keeps 5) stays in <model dir>/export/Servo.
# A converted script's --model_dir is the s3:// URI SageMaker passes, which TensorFlow 2
# cannot write: it checkpoints to a local folder and publishes only the newest export into
# SM_MODEL_DIR (what the container did when checkpoint_path was in S3).
DEFAULT_CHECKPOINTS = {"train": "the model directory", "converted": "a local folder"}


def exports_kept(exports, checkpoints_in_model_dir):
    """How many exports <model dir>/export/Servo holds after ``exports`` exports."""
    return min(exports, 5) if checkpoints_in_model_dir else min(exports, 1)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("parity-data")
    (directory / "README").write_text("the scripts generate their data; this is the channel\n")
    return str(directory)


def _write_script(name, root):
    legacy = root / "legacy"
    legacy.mkdir(parents=True, exist_ok=True)
    path = legacy / (name + ".py")
    path.write_text(cases.script(name))
    return path


def run_train(name, root, data):
    script = _write_script(name, root)
    record = root / "record.jsonl"
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="",
               PARITY_RECORD=str(record), **cases.environment(name))
    args = [sys.executable, "-m", "legacy_compat", "train", str(script), "--channel", data,
            "--job-dir", str(root / "job"), "-q",
            "--hyperparameters", json.dumps(cases.hyperparameters(name, str(root)))]
    if cases.trains_only(name):
        args.append("--no-eval")
    result = subprocess.run(args, capture_output=True, text=True, timeout=300, cwd=str(root),
                            env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return record, root / "job" / "model"


def run_converted(name, root, data):
    script = _write_script(name, root)
    converted = root / "converted" / script.name
    assert convert_for_installed_tf([str(script), "-o", str(converted)]) == EXIT_OK
    record = root / "record.jsonl"
    model_dir = root / "opt_ml" / "model"
    env = without_legacy_compat_env(root, target=installed_target(), extra=dict({
        "SM_MODEL_DIR": str(model_dir),
        "SM_OUTPUT_DATA_DIR": str(root / "opt_ml" / "output" / "data"),
        "SM_CHANNELS": json.dumps(["training"]),
        "SM_CHANNEL_TRAINING": data,
        "SM_HPS": json.dumps(cases.hyperparameters(name, str(root))),
        "SM_HOSTS": json.dumps(["algo-1"]),
        "SM_CURRENT_HOST": "algo-1",
        "PARITY_RECORD": str(record),
    }, **cases.environment(name)))
    result = subprocess.run([sys.executable, str(converted), "--model_dir", "s3://bucket/prefix"],
                            capture_output=True, text=True, timeout=300, cwd=str(root), env=env)
    assert result.returncode == 0, result.stderr[-4000:]
    return record, model_dir


def _global_step(root):
    import tensorflow as tf
    found = [os.path.dirname(path) for path in glob.glob(str(root / "**" / "checkpoint"),
                                                         recursive=True)]
    # model_to_estimator keeps the Keras model's own checkpoint in <checkpoints>/keras.
    checkpoint_dir = min(found, key=len)
    assert all(path.startswith(checkpoint_dir) for path in found), found
    return checkpoint_dir, contract.latest_global_step(tf.compat.v1, checkpoint_dir)


def _layout(export_dir):
    """The files of a SavedModel, variable shards folded (how many is TF's business)."""
    return sorted(set(re.sub(r"-\d+-of-\d+$", "-*", os.path.relpath(os.path.join(folder, name),
                                                                 export_dir))
                      for folder, _, names in os.walk(export_dir) for name in names))


def observe(root, record, model_dir):
    """What the run looked like from the script, paths relative to ``root``."""
    text = record.read_text().replace(str(root), "<root>")
    events = [json.loads(line) for line in text.splitlines()]
    checkpoint_dir, step = _global_step(root)
    exports = sorted(os.listdir(contract.export_base(str(model_dir)))) if os.path.isdir(
        contract.export_base(str(model_dir))) else []
    newest = contract.newest_export(str(model_dir))
    return {
        "calls": [(e["event"], e.get("mode")) for e in events],
        "hyperparameters": [e["hyperparameters"] for e in events if "hyperparameters" in e],
        "arguments": {e["event"]: e["arguments"] for e in events if "arguments" in e},
        "estimator_model_dir": [e["model_dir"] for e in events if "model_dir" in e],
        "global_step": step,
        "checkpoints_in_model_dir": os.path.abspath(checkpoint_dir) == os.path.abspath(model_dir),
        "exports": len(exports),
        "export_layout": _layout(newest) if newest else None,
    }


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_train_and_converted_script_see_the_same_contract(name, tmp_path, data_dir):
    train = observe(tmp_path / "train", *run_train(name, tmp_path / "train", data_dir))
    converted = observe(tmp_path / "converted",
                        *run_converted(name, tmp_path / "converted", data_dir))

    hyperparameters = cases.hyperparameters(name, "<root>")
    assert train["hyperparameters"] and all(
        seen == contract.with_defaults(hyperparameters) for seen in train["hyperparameters"])
    for key in ("calls", "hyperparameters", "arguments", "estimator_model_dir", "global_step",
                "export_layout"):
        assert train[key] == converted[key], key
    assert train["global_step"] == hyperparameters["training_steps"]

    evaluations = train["calls"].count(("eval_input_fn", None))
    exports = train["calls"].count(("serving_input_fn", None))
    assert evaluations == (0 if cases.trains_only(name) else _expected_evaluations(name))
    if exports:
        assert "saved_model.pb" in train["export_layout"]
    else:
        assert train["export_layout"] is None
    # DEFAULT_CHECKPOINTS: the one place the two runs differ.
    own_checkpoint_path = "checkpoint_path" in hyperparameters
    assert train["checkpoints_in_model_dir"] == (not own_checkpoint_path)
    assert not converted["checkpoints_in_model_dir"]
    for seen in (train, converted):
        assert seen["exports"] == exports_kept(exports, seen["checkpoints_in_model_dir"])


def _expected_evaluations(name):
    params = cases.hyperparameters(name, "")
    cadence = contract.evaluation_cadence(params)
    if cadence is None or cadence["every_steps"] is None or cadence["delay_secs"]:
        return 1  # one evaluation, after training
    return -(-params["training_steps"] // cadence["every_steps"])  # between chunks, then final
