import json
import os

import pytest

from legacy_compat.environment import Environment
from legacy_compat.errors import ConfigError


def make_opt_ml(root, hyperparameters, resources=None, channels=("training",)):
    config = root / "input" / "config"
    config.mkdir(parents=True)
    (config / "hyperparameters.json").write_text(json.dumps(
        dict((k, json.dumps(v)) for k, v in hyperparameters.items())))
    (config / "resourceconfig.json").write_text(json.dumps(
        resources or {"current_host": "algo-1", "hosts": ["algo-1"]}))
    (config / "inputdataconfig.json").write_text(json.dumps(
        dict((name, {"TrainingInputMode": "File"}) for name in channels)))
    for name in channels:
        (root / "input" / "data" / name).mkdir(parents=True)
    (root / "code").mkdir()
    return root


def test_container_contract(tmp_path):
    root = make_opt_ml(tmp_path, {"sagemaker_program": "train.py", "learning_rate": 0.1},
                       channels=("training", "eval"))
    env = Environment.from_base_dir(str(root))
    assert env.script_path == str(root / "code" / "train.py")
    assert env.hyperparameters["learning_rate"] == 0.1
    assert env.channel_dirs == {"training": str(root / "input" / "data" / "training"),
                                "eval": str(root / "input" / "data" / "eval")}
    assert env.model_dir == str(root / "model")
    assert env.checkpoint_dir == env.model_dir
    assert env.failure_file == str(root / "output" / "failure")
    assert env.mode == "container"


def test_base_dir_from_environment_variable(tmp_path, monkeypatch):
    root = make_opt_ml(tmp_path, {"sagemaker_program": "train"})
    monkeypatch.setenv("LEGACY_COMPAT_BASE_DIR", str(root))
    env = Environment.from_base_dir()
    assert env.script_path.endswith(os.path.join("code", "train.py"))


def test_missing_program_is_a_config_error(tmp_path):
    root = make_opt_ml(tmp_path, {"learning_rate": 0.1})
    with pytest.raises(ConfigError) as info:
        Environment.from_base_dir(str(root))
    assert "sagemaker_program" in str(info.value)


def test_broken_json_names_the_file(tmp_path):
    root = make_opt_ml(tmp_path, {"sagemaker_program": "train.py"})
    (root / "input" / "config" / "resourceconfig.json").write_text("{nope")
    with pytest.raises(ConfigError) as info:
        Environment.from_base_dir(str(root))
    assert "resourceconfig.json" in str(info.value)


def test_checkpoint_path_for_tuning_jobs(tmp_path, monkeypatch):
    monkeypatch.setenv("TRAINING_JOB_NAME", "job-7")
    root = make_opt_ml(tmp_path, {"sagemaker_program": "t.py", "checkpoint_path": "s3://b/ckpt",
                                  "_tuning_objective_metric": "loss"})
    assert Environment.from_base_dir(str(root)).checkpoint_dir == "s3://b/ckpt/job-7/checkpoints"


def test_local_environment(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    env = Environment.local("train.py", channels={"training": str(data)},
                            hyperparameters={"a": 1}, job_dir=str(tmp_path / "job"))
    assert env.training_dir == str(data)
    assert env.model_dir == str(tmp_path / "job" / "model")
    assert env.hyperparameters == {"a": 1}
    assert env.to_env_vars()["SM_CHANNEL_TRAINING"] == str(data)


@pytest.mark.parametrize("given", [{"run_name": "123", "opt": "adam"},
                                   {"run_name": "123", "opt": "adam", "learning_rate": 0.1}])
def test_local_hyperparameters_are_taken_as_written(tmp_path, given):
    env = Environment.local("t.py", hyperparameters=given, job_dir=str(tmp_path))
    assert env.hyperparameters == given


def test_local_copy_of_a_sagemaker_hyperparameters_json_is_decoded(tmp_path):
    copy = {"sagemaker_program": '"t.py"', "run_name": "123", "opt": '"adam"'}
    env = Environment.local("t.py", hyperparameters=copy, job_dir=str(tmp_path))
    assert env.hyperparameters == {"sagemaker_program": "t.py", "run_name": 123, "opt": "adam"}


def test_local_missing_channel_dir(tmp_path):
    with pytest.raises(ConfigError) as info:
        Environment.local("t.py", channels={"training": str(tmp_path / "nope")})
    assert "--channel training=DIR" in str(info.value)


def test_legacy_container_variables(tmp_path):
    root = make_opt_ml(tmp_path, {"sagemaker_program": "t.py", "sagemaker_job_name": "job-3",
                                  "sagemaker_region": "eu-west-1"})
    variables = Environment.from_base_dir(str(root)).to_env_vars()
    assert (variables["CURRENT_HOST"], variables["JOB_NAME"], variables["SAGEMAKER_REGION"]) == (
        "algo-1", "job-3", "eu-west-1")
