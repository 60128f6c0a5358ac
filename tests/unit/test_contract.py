"""The contract's rules as plain functions (no TensorFlow): what train and convert both run."""

import pytest

from legacy_compat import contract


def test_input_fn_binding_gives_none_to_other_names_even_over_defaults():
    def input_fn(dir, params, channels, batch_size=32, *args, **kwargs):
        pass

    values = {"training_dir": "/data", "hyperparameters": {"a": 1}, "input_channels": {"t": "/d"}}
    assert contract.input_fn_arguments(input_fn, values) == {
        "dir": "/data", "params": {"a": 1}, "channels": {"t": "/d"}, "batch_size": None}


def test_serving_input_fn_gets_the_hyperparameters_only_when_it_takes_them():
    params = {"a": 1}
    assert contract.serving_input_arguments(lambda: None, params) == ()
    assert contract.serving_input_arguments(lambda hp: None, params) == (params,)
    assert contract.serving_input_arguments(lambda *args: None, params) == (params,)


def test_defaults_are_injected_unless_set():
    assert contract.with_defaults({}) == {"training_steps": 1000, "evaluation_steps": 100,
                                          "save_checkpoints_secs": 300}
    assert "save_checkpoints_secs" not in contract.with_defaults({"save_checkpoints_steps": 5})
    assert contract.with_defaults({"training_steps": None})["training_steps"] is None


@pytest.mark.parametrize("path, hyperparameters, job, expected", [
    (None, {}, "job", "/opt/ml/model"),
    ("/ckpt", {}, "job", "/ckpt"),
    (None, {"checkpoint_path": "s3://b/c"}, "job", "s3://b/c"),
    ("/ckpt/", {"_tuning_objective_metric": "loss"}, "trial-1", "/ckpt/trial-1/checkpoints"),
    ("/ckpt/trial-1/checkpoints", {"_tuning_objective_metric": "loss"}, "trial-1",
     "/ckpt/trial-1/checkpoints"),
    ("/ckpt", {"_tuning_objective_metric": "loss"}, None, "/ckpt"),
])
def test_checkpoint_dir_rule(path, hyperparameters, job, expected):
    assert contract.checkpoint_dir(path, "/opt/ml/model", hyperparameters, job) == expected


class Job(object):
    """A fake estimator for run_step_schedule: trains instantly, records evaluations."""

    def __init__(self, input_ends_at=None):
        self.step = 0
        self.evaluations = []
        self.input_ends_at = input_ends_at

    def train(self, stop):
        self.step = stop if self.input_ends_at is None else min(stop or 10 ** 9,
                                                                  self.input_ends_at)
        return self.step

    def evaluate(self, final):
        self.evaluations.append((self.step, final))
        return {"global_step": self.step}


@pytest.mark.parametrize("hyperparameters, expected", [
    ({"min_eval_frequency": 3}, [(3, False), (6, False), (9, False), (10, True)]),
    ({"train_steps_per_iteration": 5, "min_eval_frequency": 3}, [(5, False), (10, True)]),
    ({"min_eval_frequency": 0}, [(10, True)]),
    ({"min_eval_frequency": 2, "eval_delay_secs": 3600}, [(10, True)]),
])
def test_step_schedule_evaluations(hyperparameters, expected):
    job = Job()
    cadence = contract.evaluation_cadence(hyperparameters)
    contract.run_step_schedule(job.train, job.evaluate, cadence, 10, 0, clock=lambda: 0.0)
    assert job.evaluations == expected


def test_step_schedule_stops_when_the_input_ends_and_evaluates_once_more():
    job = Job(input_ends_at=4)
    contract.run_step_schedule(job.train, job.evaluate, {"every_steps": 3, "delay_secs": 0,
                                                         "throttle_secs": 0}, 10, 0)
    assert job.evaluations == [(3, False), (4, True)]


def test_a_job_already_past_training_steps_is_only_evaluated():
    job = Job()
    job.step = 12
    assert contract.trained_past(10, 12) and not contract.trained_past(None, 12)
    contract.run_step_schedule(job.train, job.evaluate, None, 10, 12)
    assert job.evaluations == [(12, True)]


def test_no_cadence_without_step_schedule_keys():
    assert contract.evaluation_cadence({"throttle_secs": 5}) is None
