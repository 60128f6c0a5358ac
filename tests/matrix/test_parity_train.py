"""The parity table (tests/fixtures/parity/cases.py) through ``legacy-compat train`` on this cell's TF.

The default suite compares train with a converted script on TF 2.15
(tests/convert/test_parity.py); here the same scripts check that train applies
the contract on every TensorFlow: the hyperparameters dict every function sees
(defaults included), the arguments bound to the input functions, the step
schedule's evaluations, the final global step and the export layout.
Python 2.7 compatible.
"""
import json
import os
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests", "fixtures"))

from legacy_compat import contract  # noqa: E402
from parity import cases  # noqa: E402


def run_train(name, root, data):
    legacy = os.path.join(root, "legacy")
    os.makedirs(legacy)
    script = os.path.join(legacy, name + ".py")
    with open(script, "w") as handle:
        handle.write(cases.script(name))
    record = os.path.join(root, "record.jsonl")
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", PARITY_RECORD=record)
    env.update(cases.environment(name))
    args = [sys.executable, "-m", "legacy_compat", "train", script, "--channel", data,
            "--job-dir", os.path.join(root, "job"), "-q",
            "--hyperparameters", json.dumps(cases.hyperparameters(name, root))]
    if cases.trains_only(name):
        args.append("--no-eval")
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    output = proc.communicate()[0].decode("utf-8", "replace")
    assert proc.returncode == 0, output[-4000:]
    with open(record) as handle:
        return [json.loads(line) for line in handle]


def _expected_evaluations(params, tf_version):
    if tf_version < (1, 6) and "min_eval_frequency" not in params:
        params = dict(params, min_eval_frequency=contract.LEGACY_MIN_EVAL_FREQUENCY)
    cadence = contract.evaluation_cadence(params)
    if cadence is None:
        return None  # TensorFlow's own train_and_evaluate: its checkpoint listener decides
    if cadence["every_steps"] is None or cadence["delay_secs"] or \
            cadence["every_steps"] >= params["training_steps"]:
        return 1
    return -(-params["training_steps"] // cadence["every_steps"])


@pytest.mark.parametrize("name", sorted(cases.CASES))
def test_train_applies_the_contract(name, tmpdir, tf, tf_version):
    root = str(tmpdir)
    data = str(tmpdir.mkdir("data"))
    events = run_train(name, root, data)
    params = cases.hyperparameters(name, root)
    expected = contract.with_defaults(params)

    seen = [event["hyperparameters"] for event in events if "hyperparameters" in event]
    assert seen and all(hyperparameters == expected for hyperparameters in seen)
    values = {"training_dir": data, "hyperparameters": expected,
              "input_channels": {"training": data}}
    for event in events:
        if event["event"].endswith("_input_fn") and event["event"] != "serving_input_fn":
            assert event["arguments"] == dict(
                (key, values.get(contract.INPUT_FN_PARAMETERS.get(key)))
                for key in event["arguments"]), event
    model_fns = [event for event in events if event["event"] == "estimator_fn"]
    for event in model_fns:
        assert event["model_dir"] == contract.checkpoint_dir(
            None, os.path.join(root, "job", "model"), params,
            cases.environment(name).get("TRAINING_JOB_NAME"))

    evaluations = sum(1 for event in events if event["event"] == "eval_input_fn")
    if cases.trains_only(name):
        assert evaluations == 0
    else:
        wanted = _expected_evaluations(params, tf_version)
        assert evaluations == wanted if wanted is not None else evaluations >= 1

    model_dir = os.path.join(root, "job", "model")
    checkpoints = contract.checkpoint_dir(None, model_dir, params,
                                          cases.environment(name).get("TRAINING_JOB_NAME"))
    v1 = tf.compat.v1 if hasattr(getattr(tf, "compat", None), "v1") else tf
    assert contract.latest_global_step(v1, checkpoints) == params["training_steps"]
    newest = contract.newest_export(model_dir)
    if any(event["event"] == "serving_input_fn" for event in events):
        assert newest and os.path.isfile(os.path.join(newest, "saved_model.pb"))
        assert os.path.isdir(os.path.join(newest, "variables"))
    else:
        assert newest is None
