import ast

import pytest

from legacy_compat.convert import entry_point
from tests.convert.conftest import run_rule

MODEL_FN_SCRIPT = '''\
def model_fn(features, labels, mode, params):
    pass


def train_input_fn(training_dir, params):
    pass


def eval_input_fn(training_dir, params):
    pass


def serving_input_fn(params):
    pass
'''


def test_appends_delimited_entry_point():
    output = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT).output
    assert output.startswith(MODEL_FN_SCRIPT + "\n\n" + entry_point.BEGIN)
    assert output.rstrip().endswith(entry_point.END)
    assert 'if __name__ == "__main__":\n    main()' in output
    for needed in ("parse_known_args", "SM_HPS", "SM_CHANNELS", "SM_MODEL_DIR",
                   '"export", "Servo"', "TF_CONFIG", "positional_model_fn",
                   "tf.estimator.train_and_evaluate", '"training_steps", 1000',
                   '"evaluation_steps", 100', "save_checkpoints_secs"):
        assert needed in output
    assert "legacy_compat" not in output


@pytest.mark.parametrize("builder, expected", [
    ("estimator_fn(run_config, params)", "return estimator_fn(run_config, hyperparameters)"),
    ("keras_model_fn(hyperparameters)", "tf.keras.estimator.model_to_estimator"),
])
def test_builder_specific_code(builder, expected):
    script = MODEL_FN_SCRIPT.replace("model_fn(features, labels, mode, params)", builder)
    output = run_rule("script-mode-entry-point", script).output
    assert expected in output and "positional_model_fn" not in output


def test_no_serving_input_fn_means_no_export():
    script = MODEL_FN_SCRIPT.replace("serving_input_fn", "other_fn")
    conversion = run_rule("script-mode-entry-point", script)
    assert "export_saved_model" not in conversion.output
    assert any("serving_input_fn is missing" in f.message for f in conversion.findings)


def test_generated_code_binds_input_fn_arguments_like_legacy(monkeypatch):
    output = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT).output
    tree = ast.parse(output)
    namespace = {"inspect": __import__("inspect"), "json": __import__("json"),
                 "os": __import__("os"), "tempfile": __import__("tempfile")}
    wanted = {"INPUT_FN_PARAMETERS", "input_fn_arguments", "read_hyperparameters",
              "checkpoint_dir", "call_input_fn"}
    nodes = [n for n in tree.body if getattr(n, "name", None) in wanted or (
        isinstance(n, ast.Assign) and n.targets[0].id in wanted)]
    exec(compile(ast.Module(body=nodes, type_ignores=[]), "x", "exec"), namespace)

    def fn(dir, hyperpameters, channels, other=3):
        pass

    bound = namespace["input_fn_arguments"](fn, {"a": 1}, {"training": "/data", "eval": "/e"})
    assert bound == {"dir": "/data", "hyperpameters": None,
                     "channels": {"training": "/data", "eval": "/e"}, "other": None}
    monkeypatch.delenv("SM_HPS", raising=False)
    hps = namespace["read_hyperparameters"](["--lr", "0.1", "--name=abc", "--flag"])
    assert hps == {"lr": 0.1, "name": "abc", "flag": True, "save_checkpoints_secs": 300}
    assert namespace["checkpoint_dir"]("s3://bucket/prefix", {"checkpoint_path": "/ckpt"}) == "/ckpt"
    assert namespace["call_input_fn"](lambda: (lambda: 5)) == 5


@pytest.mark.parametrize("source", [
    pytest.param("def helper():\n    pass\n", id="not a legacy script"),
    pytest.param("def model_fn(f, l, m, p):\n    pass\n", id="no train_input_fn"),
])
def test_noop_entry_point(source):
    assert run_rule("script-mode-entry-point", source).output == source


def test_rerun_is_noop():
    output = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT).output
    assert run_rule("script-mode-entry-point", output).output == output


def test_name_clash_is_an_error():
    conversion = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT + "\n\ndef main():\n    pass\n")
    assert any("'main'" in f.message for f in conversion.errors)
