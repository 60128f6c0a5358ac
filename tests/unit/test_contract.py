"""The contract's rules as plain functions (no TensorFlow): what train and convert both run."""

import os
import types

import pytest

from legacy_compat import contract
from legacy_compat.errors import ScriptContractError


def test_input_fn_binding_gives_none_to_other_names_even_over_defaults():
    def input_fn(dir, params, channels, batch_size=32, *args, **kwargs):
        pass

    values = {"training_dir": "/data", "hyperparameters": {"a": 1}, "input_channels": {"t": "/d"}}
    assert contract.input_fn_arguments(input_fn, values) == {
        "dir": "/data", "params": {"a": 1}, "channels": {"t": "/d"}, "batch_size": None}


def test_input_fn_binding_by_the_canonical_names():
    def input_fn(training_dir, hyperparameters, input_channels):
        pass

    values = {"training_dir": "/data", "hyperparameters": {"a": 1}, "input_channels": {"t": "/d"}}
    assert contract.input_fn_arguments(input_fn, values) == {
        "training_dir": "/data", "hyperparameters": {"a": 1}, "input_channels": {"t": "/d"}}
    assert contract.TRAINING_CHANNEL == "training"


def test_keyword_only_parameters_are_bound_by_the_same_rule():
    # Python 3 only syntax, so compiled here: the module itself also loads on Python 2.
    namespace = {}
    exec("def input_fn(*, training_dir, params, channels=None, batch_size=32): pass", namespace)
    values = {"training_dir": "/data", "hyperparameters": {"a": 1}, "input_channels": {"t": "/d"}}
    assert contract.input_fn_arguments(namespace["input_fn"], values) == {
        "training_dir": "/data", "params": {"a": 1}, "channels": {"t": "/d"}, "batch_size": None}


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
    ("s3://b/X", {"_tuning_objective_metric": "loss"}, "trial-1", "s3://b/X/trial-1/checkpoints"),
    ("s3://b/X/", {"_tuning_objective_metric": "loss"}, "trial-1",
     "s3://b/X/trial-1/checkpoints"),
    ("/ckpt/trial-1/checkpointsX", {"_tuning_objective_metric": "loss"}, "trial-1",
     "/ckpt/trial-1/checkpointsX/trial-1/checkpoints"),
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


def test_step_schedule_waits_throttle_secs_between_evaluations():
    # Every training step takes 5 s: chunks of 2 steps end at 10, 20, 30, 40 and 50 s.
    for key in ("throttle_secs", "continuous_eval_throttle_secs"):
        job = Job()
        cadence = contract.evaluation_cadence({"min_eval_frequency": 2, key: 25})
        contract.run_step_schedule(job.train, job.evaluate, cadence, 10, 0,
                                   clock=lambda: job.step * 5.0)
        assert job.evaluations == [(2, False), (8, False), (10, True)], key


def test_step_schedule_stops_when_the_input_ends_and_evaluates_once_more():
    job = Job(input_ends_at=4)
    contract.run_step_schedule(job.train, job.evaluate, {"every_steps": 3, "delay_secs": 0,
                                                         "throttle_secs": 0}, 10, 0)
    assert job.evaluations == [(3, False), (4, True)]


EVERY_3 = {"every_steps": 3, "delay_secs": 0, "throttle_secs": 0}


@pytest.mark.parametrize("ends_at, cadence, target, evaluations, ran_out", [
    (None, None, 10, [(10, True)], False),
    (None, {"every_steps": 5, "delay_secs": 0, "throttle_secs": 0}, 10,
     [(5, False), (10, True)], False),
    (10, {"every_steps": 5, "delay_secs": 0, "throttle_secs": 0}, 10,
     [(5, False), (10, True)], False),
    (4, None, 10, [(4, True)], True),
    # The input ends exactly at an evaluation: that one was the last.
    (6, EVERY_3, 10, [(3, False), (6, False)], True),
    # No step target (training_steps null): train until the input ends.
    (7, EVERY_3, None, [(3, False), (6, False), (7, True)], None),
])
def test_step_schedule_ends(caplog, ends_at, cadence, target, evaluations, ran_out):
    job = Job(input_ends_at=ends_at)
    with caplog.at_level("WARNING"):
        metrics = contract.run_step_schedule(job.train, job.evaluate, cadence, target, 0,
                                             clock=lambda: 0.0)
    assert job.evaluations == evaluations
    assert metrics == {"global_step": evaluations[-1][0]}
    if ran_out is not None:
        assert ("train_input_fn ran out of data at global step %s, before training_steps=%s"
                % (ends_at, target) in caplog.text) is ran_out


@pytest.mark.parametrize("key", ["min_eval_frequency", "train_steps_per_iteration",
                                 "eval_delay_secs", "start_delay_secs",
                                 "continuous_eval_throttle_secs"])
def test_each_step_schedule_key_alone_starts_the_schedule(key):
    assert contract.evaluation_cadence({key: 7}) is not None
    assert contract.evaluation_cadence({key: None}) is None


def test_a_job_already_past_training_steps_is_only_evaluated():
    job = Job()
    job.step = 12
    assert contract.trained_past(10, 12) and not contract.trained_past(None, 12)
    contract.run_step_schedule(job.train, job.evaluate, None, 10, 12)
    assert job.evaluations == [(12, True)]


def test_no_cadence_without_step_schedule_keys():
    assert contract.evaluation_cadence({"throttle_secs": 5}) is None


# -- the checks legacy-compat train runs before training (ScriptContractError) -------------------

def contract_error(check, *args):
    with pytest.raises(ScriptContractError) as caught:
        check(*args)
    return caught.value


def test_a_script_without_a_model_builder_is_refused_with_what_to_define():
    error = contract_error(contract.require_functions, "train.py", lambda name: False)
    assert (error.path, error.function) == ("train.py", "model_fn")
    assert error.problem == ("no model builder: the script defines none of estimator_fn, "
                             "keras_model_fn, model_fn")
    assert error.expected.startswith("def model_fn(features, labels, mode, hyperparameters) "
                                     "returning an EstimatorSpec, or def keras_model_fn(")
    assert error.hint == "define one of them at module level"


@pytest.mark.parametrize("builder", contract.BUILDER_PRECEDENCE)
def test_any_one_builder_will_do(builder):
    defined = {builder, "train_input_fn", "eval_input_fn"}
    assert contract.require_functions("train.py", defined.__contains__) is None


@pytest.mark.parametrize("missing, data, extra_hint", [
    ("train_input_fn", "training", ""),
    ("eval_input_fn", "evaluation",
     " (or pass --no-eval to train and export without evaluation)"),
])
def test_a_missing_input_function_is_named_with_its_signature(missing, data, extra_hint):
    defined = {"model_fn", "train_input_fn", "eval_input_fn"} - {missing}
    error = contract_error(contract.require_functions, "train.py", defined.__contains__)
    assert (error.function, error.problem) == (
        missing, "required function %s is not defined" % missing)
    assert error.expected == ("def %s(training_dir, hyperparameters) returning (features, "
                              "labels) or a tf.data.Dataset" % missing)
    assert error.hint == "define %s at module level; it reads the %s data%s" % (
        missing, data, extra_hint)


def test_a_train_only_run_needs_no_eval_input_fn():
    defined = {"model_fn", "train_input_fn"}
    assert contract.require_functions("train.py", defined.__contains__, evaluate=False) is None
    error = contract_error(contract.require_functions, "train.py", {"model_fn"}.__contains__,
                           False)
    assert error.function == "train_input_fn"


def test_on_an_imported_module_only_callables_count():
    module = types.ModuleType("train")
    module.model_fn = lambda features, labels, mode, params: None
    module.train_input_fn = "not a function"
    module.eval_input_fn = lambda: None
    error = contract_error(contract.require_module_functions, "train.py", module)
    assert error.function == "train_input_fn"
    module.train_input_fn = lambda: None
    assert contract.require_module_functions("train.py", module) is None


@pytest.mark.parametrize("name, fn", [
    ("model_fn", lambda features, labels, mode, params: None),
    ("model_fn", lambda features, labels, mode, params, config=None: None),
    ("model_fn", lambda *args: None),
    ("keras_model_fn", lambda hyperparameters: None),
    ("estimator_fn", lambda run_config, params: None),
    ("serving_input_fn", lambda params: None),
    ("serving_input_fn", lambda: None),
    ("model_fn", max),  # a builtin without a signature: the call itself decides
])
def test_signatures_legacy_mode_can_call(name, fn):
    assert contract.check_positional("train.py", name, fn) is None


def test_a_model_fn_with_too_few_parameters_is_refused_at_its_line():
    def model_fn(features, labels):
        pass
    error = contract_error(contract.check_positional, "train.py", "model_fn", model_fn)
    assert error.problem == ("model_fn(features, labels) takes 2 positional arguments, but "
                             "Legacy Mode calls it with 4")
    assert error.expected == "def model_fn(features, labels, mode, hyperparameters)"
    assert error.hint == "change the signature; parameter names do not matter, the order does"
    assert error.line == model_fn.__code__.co_firstlineno
    assert str(error).startswith("train.py:%d: model_fn(features, labels)" % error.line)


def test_a_builder_with_too_many_required_parameters_is_refused():
    error = contract_error(contract.check_positional, "train.py", "keras_model_fn",
                           lambda hyperparameters, extra: None)
    assert "takes 2 positional arguments, but Legacy Mode calls it with 1" in error.problem
    assert contract.check_positional("train.py", "keras_model_fn",
                                     lambda hyperparameters, extra=1: None) is None


@pytest.mark.parametrize("name, signature", [
    ("model_fn", "model_fn(features, labels, mode, hyperparameters)"),
    ("keras_model_fn", "keras_model_fn(hyperparameters)"),
    ("estimator_fn", "estimator_fn(run_config, hyperparameters)"),
    ("serving_input_fn", "serving_input_fn(hyperparameters)"),
])
def test_each_refusal_shows_the_documented_signature(name, signature):
    error = contract_error(contract.check_positional, "train.py", name,
                           lambda a, b, c, d, e: None)
    assert error.expected == "def " + signature


def test_a_builder_that_is_not_a_function_is_refused():
    error = contract_error(contract.check_positional, "train.py", "estimator_fn", 3)
    assert (error.function, error.problem, error.expected) == (
        "estimator_fn", "estimator_fn is not a function",
        "def estimator_fn(run_config, hyperparameters)")


def builders(*names):
    module = types.ModuleType("train")
    for name in names:
        count = contract.POSITIONAL_SIGNATURES[name][0]
        setattr(module, name, eval("lambda %s: None" % ", ".join("a%d" % i for i in range(count))))
    return module


def test_the_builder_follows_the_legacy_precedence_with_a_warning(caplog):
    with caplog.at_level("WARNING", logger="legacy_compat"):
        assert contract.choose_builder("train.py", builders("model_fn")) == "model_fn"
    assert caplog.text == ""
    module = builders("model_fn", "keras_model_fn", "estimator_fn")
    with caplog.at_level("WARNING", logger="legacy_compat"):
        assert contract.choose_builder("train.py", module) == "estimator_fn"
    assert ("train.py: the script defines estimator_fn and keras_model_fn and model_fn; "
            "following the Legacy Mode precedence (estimator_fn > keras_model_fn > model_fn) "
            "estimator_fn is used and keras_model_fn, model_fn ignored") in caplog.text
    assert [record.name for record in caplog.records] == ["legacy_compat"]
    assert contract.choose_builder("train.py", builders("keras_model_fn", "model_fn")) == (
        "keras_model_fn")


def test_strict_refuses_two_builders():
    error = contract_error(contract.choose_builder, "train.py",
                           builders("keras_model_fn", "model_fn"), True)
    assert error.function == "keras_model_fn"
    assert error.expected == "exactly one of estimator_fn, keras_model_fn, model_fn"
    assert error.hint.startswith("remove or rename the builders you do not use")
    assert contract.choose_builder("train.py", builders("model_fn"), True) == "model_fn"


def test_no_builder_at_all_and_a_wrong_signature_are_refused():
    assert contract_error(contract.choose_builder, "train.py",
                          builders()).function == "model_fn"
    module = builders()
    module.keras_model_fn = lambda: None
    error = contract_error(contract.choose_builder, "train.py", module)
    assert error.problem.startswith("keras_model_fn() takes 0 positional arguments")


def test_binding_for_train_warns_about_each_parameter_it_passes_none(caplog):
    def train_input_fn(training_dir, batch_size=32, extra=None):
        pass
    values = {"training_dir": "/data", "hyperparameters": {}, "input_channels": {}}
    with caplog.at_level("WARNING", logger="legacy_compat"):
        kwargs = contract.bind_input_fn("train.py", "train_input_fn", train_input_fn, values)
    assert kwargs == {"training_dir": "/data", "batch_size": None, "extra": None}
    assert caplog.text.count("is not one Legacy Mode fills") == 2
    assert ("train.py: train_input_fn parameter 'batch_size' is not one Legacy Mode fills "
            "(training_dir/dir, hyperparameters/params, input_channels/channels); passing "
            "None, as the legacy container did (even over a default)") in caplog.text
    error = contract_error(contract.bind_input_fn, "train.py", "eval_input_fn", None, values)
    assert (error.problem, error.expected) == (
        "eval_input_fn is not a function", "def eval_input_fn(training_dir, hyperparameters)")


def test_methods_are_bound_without_self():
    class Inputs(object):
        def train_input_fn(self, training_dir, params):
            pass

        def serving_input_fn(self, params):
            pass

        def model_fn(self, features, labels, mode, params):
            pass
    inputs = Inputs()
    assert contract.parameter_names(inputs.train_input_fn) == ["training_dir", "params"]
    assert contract.serving_input_arguments(inputs.serving_input_fn, {"a": 1}) == ({"a": 1},)
    assert contract.check_positional("train.py", "model_fn", inputs.model_fn) is None


# -- exports ------------------------------------------------------------------------------------

def make_export(base, timestamp, complete=True):
    path = os.path.join(contract.export_base(base), timestamp)
    os.makedirs(os.path.join(path, "variables"))
    if complete:
        with open(os.path.join(path, "saved_model.pb"), "w") as handle:
            handle.write(timestamp)
    return path


def test_the_newest_complete_export_is_found_by_number(tmp_path):
    base = str(tmp_path / "ckpt")
    assert contract.export_base(base) == os.path.join(base, "export", "Servo")
    assert contract.newest_export(base) is None
    make_export(base, "999")
    newest = make_export(base, "1000")
    make_export(base, "2000", complete=False)  # still being written
    os.makedirs(os.path.join(contract.export_base(base), "temp-3000"))
    assert contract.newest_export(base) == newest


def test_the_newest_export_is_published_into_the_model_directory(tmp_path):
    checkpoints, model = str(tmp_path / "ckpt"), str(tmp_path / "model")
    assert contract.publish_export(checkpoints, model) is None
    make_export(checkpoints, "100")
    source = make_export(checkpoints, "200")
    target = contract.publish_export(checkpoints, model)
    assert target == os.path.join(model, "export", "Servo", "200")
    assert sorted(os.listdir(target)) == ["saved_model.pb", "variables"]
    assert os.listdir(os.path.dirname(target)) == ["200"]
    with open(os.path.join(source, "saved_model.pb"), "w") as handle:
        handle.write("newer")
    assert contract.publish_export(checkpoints, model) == target  # replaced, not merged
    with open(os.path.join(target, "saved_model.pb")) as handle:
        assert handle.read() == "newer"
    # Checkpoints in the model directory itself: nothing to copy.
    assert contract.publish_export(model, model) == target


def test_running_out_of_data_is_one_warning_with_the_numbers(caplog):
    with caplog.at_level("WARNING"):
        contract.warn_data_ran_out(40, 100)
    assert caplog.records[0].getMessage().startswith(
        "train_input_fn ran out of data at global step 40, before training_steps=100: "
        "training stops here and the model is evaluated and exported once.")
