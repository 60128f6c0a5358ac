"""The hyperparameter type rule through the command line (README: "Hyperparameter types")."""

import argparse
import json

import pytest

from conftest import FAST, example, run_cli, script
from legacy_compat import cli
from legacy_compat.environment import Environment

MIXED = {"run_name": "123", "opt": "adam"}


def local(value, tmp_path):
    return Environment.local("t.py", hyperparameters=cli._hyperparameters(value),
                             job_dir=str(tmp_path)).hyperparameters


@pytest.mark.parametrize("given", [MIXED, dict(MIXED, learning_rate=0.1)],
                         ids=["all strings", "one number"])
def test_inline_json_and_json_file_are_taken_as_written(tmp_path, given):
    path = tmp_path / "params.json"
    path.write_text(json.dumps(given))
    assert local(json.dumps(given), tmp_path) == given
    assert local(str(path), tmp_path) == given


def test_file_marked_sagemaker_is_decoded_value_by_value(tmp_path):
    path = tmp_path / "hyperparameters.json"
    path.write_text(json.dumps({"run_name": "123", "opt": '"adam"', "layers": "[8, 4]"}))
    assert local(str(path), tmp_path) == {"run_name": "123", "opt": '"adam"', "layers": "[8, 4]"}
    assert local("sagemaker:" + str(path), tmp_path) == {
        "run_name": 123, "opt": "adam", "layers": [8, 4]}


def test_file_with_a_sagemaker_key_is_decoded_without_the_mark(tmp_path):
    path = tmp_path / "hyperparameters.json"
    path.write_text(json.dumps({"sagemaker_region": '"us-west-2"', "run_name": "123"}))
    assert local(str(path), tmp_path) == {"sagemaker_region": "us-west-2", "run_name": 123}


def test_missing_sagemaker_file_names_the_path(tmp_path):
    missing = str(tmp_path / "nope.json")
    with pytest.raises(argparse.ArgumentTypeError, match="nope.json"):
        cli._hyperparameters("sagemaker:" + missing)


@pytest.mark.parametrize("sagemaker", [False, True], ids=["inline JSON", "sagemaker file"])
def test_the_user_script_receives_the_types_of_the_rule(tmp_path, sagemaker):
    record = tmp_path / "record"
    record.mkdir()
    params = dict(FAST, record_dir=str(record), **MIXED)
    if sagemaker:
        path = tmp_path / "hyperparameters.json"
        path.write_text(json.dumps(dict((k, json.dumps(v)) for k, v in params.items())))
        argument = "sagemaker:" + str(path)
    else:
        argument = json.dumps(params)
    job = str(tmp_path / "job")
    run = run_cli(["train", script("records_hyperparameters.py"), "--channel",
                   example("abalone", "data"), "--job-dir", job, "--hyperparameters", argument],
                  job)
    assert run.returncode == 0, run.output
    received = json.loads((record / "hyperparameters.json").read_text())
    assert received["run_name"] == "123" and received["opt"] == "adam"
    assert received["training_steps"] == FAST["training_steps"]
