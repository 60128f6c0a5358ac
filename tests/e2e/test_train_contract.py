"""The Legacy Mode contract through ``legacy-compat train``: binding rules and bad input."""

import json
import os
import subprocess
import sys

import pytest

from conftest import FAST, ROOT, example, run_cli, script

DATA = example("abalone", "data")
PREFIX = "uncaught exception during training: "


def assert_failed(run, error_type, *fragments):
    assert run.returncode != 0, run.output
    assert not os.path.exists(run.path("output", "success"))
    failure = run.failure()
    assert failure.startswith(PREFIX + error_type + ": "), failure
    assert "Traceback" in failure
    for fragment in fragments:
        assert fragment in failure, (fragment, failure)
        assert fragment in run.stderr, (fragment, run.stderr)
    return failure


def tensorflow_imported_when_failing(script_path, tmp_path):
    """Run the CLI in-process and report whether TensorFlow got imported."""
    code = ("import sys; from legacy_compat.cli import main; "
            "code = main(['train', %r, '--channel', %r, '--job-dir', %r]); "
            "print('TF_IMPORTED=%%s' %% ('tensorflow' in sys.modules)); sys.exit(code)"
            % (script_path, DATA, str(tmp_path / "job")))
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT))
    assert proc.returncode != 0
    return "TF_IMPORTED=True" in proc.stdout.decode()


@pytest.mark.parametrize("name, error_type, fragments", [
    ("syntax_error.py", "ScriptContractError",
     ["syntax_error.py:3", "does not parse as Python 3 or Python 2", "no TensorFlow graph"]),
    ("missing_eval_input_fn.py", "ScriptContractError",
     ["missing_eval_input_fn.py", "eval_input_fn is not defined",
      "def eval_input_fn(training_dir, hyperparameters)", "Hint:"]),
    ("no_model_builder.py", "ScriptContractError",
     ["no_model_builder.py", "estimator_fn, keras_model_fn, model_fn",
      "def model_fn(features, labels, mode, hyperparameters)"]),
    ("bad_model_fn_signature.py", "ScriptContractError",
     ["bad_model_fn_signature.py:4", "model_fn(features, labels) takes 2 positional arguments",
      "calls it with 4"]),
])
def test_bad_scripts_fail_before_any_graph(train, tmp_path, name, error_type, fragments):
    run = train(script(name), channels=[DATA])
    assert_failed(run, error_type, *fragments)
    if name != "bad_model_fn_signature.py":  # signatures are checked after import
        assert not tensorflow_imported_when_failing(script(name), tmp_path)


def test_function_missing_after_a_star_import_is_a_contract_error(train):
    run = train(script("star_import.py"), channels=[DATA])
    assert_failed(run, "ScriptContractError", "star_import.py", "eval_input_fn is not defined",
                  "--no-eval")


def test_no_eval_trains_and_exports_without_evaluation(train):
    # train_only.py also has a serving_input_fn() without parameters.
    run = train(script("train_only.py"), channels=[DATA], extra=["--no-eval"])
    assert run.returncode == 0, run.output
    assert len(run.exports()) == 1
    assert not os.path.exists(run.path("model", "eval"))
    assert "model.ckpt-%d.index" % FAST["training_steps"] in os.listdir(run.path("model"))


def test_binary_file_is_refused(train, tmp_path):
    binary = tmp_path / "model.py"
    binary.write_bytes(b"\x00\x01\x02TFRecord")
    run = train(str(binary), channels=[DATA])
    assert_failed(run, "ScriptContractError", "binary file")


def test_user_exception_points_at_the_users_line(train):
    run = train(script("raises_in_model_fn.py"), channels=[DATA])
    assert_failed(run, "KeyError", "scale_that_does_not_exist")
    assert "in your code: %s, line 6, in model_fn" % script("raises_in_model_fn.py") in run.stderr


def test_two_builders_follow_precedence_and_warn(train):
    # keras_model_fn and model_fn raise in this script: only estimator_fn may be used.
    run = train(script("two_builders.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "defines estimator_fn and keras_model_fn and model_fn" in run.output
    assert "estimator_fn is used and keras_model_fn, model_fn ignored" in run.output
    assert "invoking the user-provided estimator_fn" in run.output


def test_keras_model_fn_takes_precedence_over_model_fn(train):
    run = train(script("keras_over_model_fn.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "keras_model_fn is used and model_fn ignored" in run.output
    assert len(run.exports()) == 1


def test_two_builders_strict_is_an_error(train):
    run = train(script("two_builders.py"), channels=[DATA], extra=["--strict"])
    assert_failed(run, "ScriptContractError", "estimator_fn and keras_model_fn and model_fn",
                  "--strict")


def test_py2_script_runs_on_python3_without_touching_the_file(train):
    path = script("py2_syntax.py")
    with open(path, "rb") as handle:
        before = handle.read()
    run = train(path, channels=[DATA], hyperparameters={"learning_rate": 0.01})
    assert run.returncode == 0, run.output
    assert "is Python 2 code: translated it in memory" in run.output
    assert "FixPrint" in run.output and "FixExcept" in run.output and "FixDict" in run.output
    assert "learning rate is 0.01" in run.output
    with open(path, "rb") as handle:
        assert handle.read() == before


def test_input_fn_binding_by_parameter_name(train, tmp_path):
    record = tmp_path / "record"
    record.mkdir()
    run = train(script("binding.py"), channels=["train=" + DATA],
                hyperparameters={"record_dir": str(record)})
    assert run.returncode == 0, run.output
    got_train = json.loads((record / "train.json").read_text())
    assert got_train["input_channels"] == {"train": DATA}
    # Like the legacy container: None for any other name, even over a default.
    assert got_train["batch"] is None and got_train["other"] is None
    assert got_train["unknown_thing"] is None
    # Every hyperparameter is visible, the injected defaults included.
    for key in ("training_steps", "evaluation_steps", "save_checkpoints_secs", "record_dir"):
        assert key in got_train["keys"]
    got_eval = json.loads((record / "eval.json").read_text())
    assert got_eval["dir"] is None  # no 'training' channel: legacy gives None
    assert got_eval["channels"] == {"train": DATA}
    assert got_eval["mystery"] is None
    assert "parameter 'mystery' is not one Legacy Mode fills" in run.output
    assert "parameter 'batch' is not one Legacy Mode fills" in run.output


def test_no_serving_input_fn_keeps_checkpoints_and_warns(train):
    run = train(script("no_serving_input_fn.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "serving_input_fn is not defined, so no model is exported" in run.output
    assert run.exports() == []
    assert os.path.exists(run.path("model", "checkpoint"))
    assert os.path.exists(run.path("output", "success"))


def test_functions_returning_callables_are_called(train):
    run = train(script("returns_callables.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "train_input_fn returned a function instead of its result" in run.output
    assert len(run.exports()) == 1


def test_input_fn_returning_numpy_arrays(train):
    run = train(script("numpy_arrays.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "returned numpy arrays" in run.output


def test_save_checkpoints_steps_alone_works(train):
    run = train(script("no_serving_input_fn.py"), channels=[DATA],
                hyperparameters={"save_checkpoints_steps": 10})
    assert run.returncode == 0, run.output
    assert "model.ckpt-10.index" in os.listdir(run.path("model"))


def test_both_checkpoint_cadences_is_a_clear_error(train):
    run = train(script("no_serving_input_fn.py"), channels=[DATA],
                hyperparameters={"save_checkpoints_steps": 10, "save_checkpoints_secs": 60})
    assert_failed(run, "ConfigError", "save_checkpoints_steps=10 and save_checkpoints_secs=60")


def test_container_mode_reads_opt_ml(tmp_path):
    base = tmp_path / "opt_ml"
    config = base / "input" / "config"
    config.mkdir(parents=True)
    code = base / "code"
    code.mkdir()
    for name in ("abalone.py",):
        (code / name).write_text(open(example("abalone", name)).read())
    channel = base / "input" / "data" / "training"
    channel.mkdir(parents=True)
    for name in os.listdir(DATA):
        (channel / name).write_text(open(os.path.join(DATA, name)).read())
    params = dict(FAST, sagemaker_program="abalone.py", learning_rate=0.001)
    (config / "hyperparameters.json").write_text(
        json.dumps(dict((k, json.dumps(v)) for k, v in params.items())))
    (config / "resourceconfig.json").write_text(
        json.dumps({"current_host": "algo-1", "hosts": ["algo-1"]}))
    (config / "inputdataconfig.json").write_text(json.dumps({"training": {}}))
    run = run_cli(["train"], str(base), env={"LEGACY_COMPAT_BASE_DIR": str(base)})
    assert run.returncode == 0, run.output
    assert os.path.exists(str(base / "output" / "success"))
    assert run.exports()
