import json
import multiprocessing
import os
import re

import pytest

from legacy_compat import hyperparameters
from legacy_compat.portable import cluster
from legacy_compat.convert import entry_point, helpers
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


def test_appends_a_short_main_block_and_writes_the_support_module():
    conversion = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT)
    output = conversion.output
    assert output.startswith(MODEL_FN_SCRIPT + "\n\n" + entry_point.BEGIN)
    assert output.rstrip().endswith(entry_point.END)
    assert len(output.splitlines()) - len(MODEL_FN_SCRIPT.splitlines()) <= 12
    assert ('if __name__ == "__main__":\n' in output and "    import legacy_mode\n" in output
            and "    legacy_mode.main(train_input_fn=train_input_fn, eval_input_fn=eval_input_fn,"
            in output)
    assert "legacy_compat" not in output
    support = conversion.extra_files[helpers.SUPPORT_FILE]
    assert helpers.is_support_module(support)
    for needed in ("parse_known_args", "SM_HPS", "SM_CHANNELS", "SM_MODEL_DIR",
                   "TF_CONFIG", "positional_model_fn", "tf.estimator.train_and_evaluate",
                   "tf.estimator.LatestExporter", "run_step_schedule(", "publish_export("):
        assert needed in support
    assert not conversion.errors


def test_single_file_carries_what_main_needs_into_the_script():
    conversion = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT, single_file=True)
    output = conversion.output
    assert not conversion.extra_files and not conversion.errors
    assert output.startswith(MODEL_FN_SCRIPT + "\n\n" + entry_point.BEGIN)
    assert output.rstrip().endswith('main(train_input_fn=train_input_fn, '
                                    'eval_input_fn=eval_input_fn,\n'
                                    '         serving_input_fn=serving_input_fn, '
                                    'model_fn=model_fn)\n' + entry_point.END)
    for needed in ("def main(", "def legacy_tf_config(", "def decode_text(", "def with_defaults(",
                   "def run_step_schedule(", "def publish_export(", "\nimport json\n"):
        assert needed in output
    # Only what main() uses: no tf.contrib or PipeModeDataset stand-ins.
    assert "def optimize_loss(" not in output and "PipeModeDataset" not in output
    assert not re.search(r"^\s*(from|import) legacy_compat", output, re.M)
    compile(output, "train.py", "exec")
    assert run_rule("script-mode-entry-point", output, single_file=True).output == output


@pytest.mark.parametrize("head, first_lines", [
    ("", []),
    ('#!/usr/bin/env python\n# -*- coding: utf-8 -*-\n"""Doc."""\nfrom __future__ import '
     'print_function\nimport os\n',
     ["#!/usr/bin/env python", "# -*- coding: utf-8 -*-", '"""Doc."""',
      "from __future__ import print_function", ""]),
    ("#!/usr/bin/env python\nimport os\n", ["#!/usr/bin/env python"]),
])
def test_revived_estimator_is_imported_first_for_tf_2_16_and_later(head, first_lines):
    script = head + "import tensorflow as tf\n\n\n" + MODEL_FN_SCRIPT
    for target in ("2.16", "2.21"):
        conversion = run_rule("script-mode-entry-point", script, target=target)
        lines = conversion.output.splitlines()
        revival = lines.index(entry_point.REVIVAL_MARKER + "  # noqa: F401  (see "
                              "docs/tf-modern.md of legacy-compat)")
        assert lines[:len(first_lines)] == first_lines
        assert all(line.startswith("#") or not line for line in lines[len(first_lines):revival])
        assert revival < lines.index("import tensorflow as tf")
        header = "\n".join(lines[len(first_lines):revival])
        assert "TensorFlow %s, which has no tf.estimator" % target in header
        for command in ('pip install "legacy-compat[tf-modern]" "tensorflow~=%s.0"',
                        'pip install --no-deps "tf-keras~=%s.0"'):
            assert command % target in header
        assert conversion.output.count("legacy_compat") == 1 + header.count("legacy_compat")
        compile(conversion.output, "train.py", "exec")
        assert any("needs legacy-compat[tf-modern]" in f.message for f in conversion.findings)
        assert run_rule("script-mode-entry-point", conversion.output,
                        target=target).output == conversion.output
    plain = run_rule("script-mode-entry-point", script, target="2.15").output
    assert "legacy_compat" not in plain


def _generated_namespace(output=None, extra=()):
    """The support module a converted script imports, executed (TensorFlow is imported only
    when a function asks for it)."""
    namespace = {"__name__": helpers.SUPPORT_MODULE}
    exec(compile(helpers.support_module(), helpers.SUPPORT_FILE, "exec"), namespace)
    return namespace


def _idle_parameter_server(spec, index):
    """Stands in for the TensorFlow server the converted script starts: this test is about
    the TF_CONFIG it writes, not about TensorFlow."""


@pytest.mark.parametrize("count", [1, 2, 3])
def test_converted_tf_config_is_the_runtimes(count, monkeypatch):
    output = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT).output
    namespace = _generated_namespace(output, ("start_parameter_servers",))
    namespace["run_parameter_server"] = _idle_parameter_server
    hosts = ["algo-%d" % (i + 1) for i in range(count)]
    # setenv records the variable's absence for teardown (delenv of a missing one does not),
    # so the TF_CONFIG written here cannot leak into later tests' training processes.
    monkeypatch.setenv("TF_CONFIG", "")
    for current_host in hosts:
        expected = cluster.legacy_tf_config(hosts, current_host)
        assert namespace["legacy_tf_config"](hosts, current_host) == expected
        if count == 1:
            continue  # one host trains without parameter servers, in both
        os.environ.pop("TF_CONFIG")
        namespace["start_parameter_servers"](hosts, current_host)
        for child in multiprocessing.active_children():
            child.join(10)
        assert json.loads(os.environ["TF_CONFIG"]) == expected
    assert "port=TASK_PORT" in helpers.support_module()


@pytest.mark.parametrize("builder, expected", [
    ("estimator_fn(run_config, params)", "estimator_fn=estimator_fn)"),
    ("keras_model_fn(hyperparameters)", "keras_model_fn=keras_model_fn)"),
])
def test_main_gets_the_scripts_builder(builder, expected):
    script = MODEL_FN_SCRIPT.replace("model_fn(features, labels, mode, params)", builder)
    output = run_rule("script-mode-entry-point", script).output
    assert expected in output and "model_fn=model_fn" not in output


def test_no_serving_input_fn_means_no_export():
    script = MODEL_FN_SCRIPT.replace("serving_input_fn", "other_fn")
    conversion = run_rule("script-mode-entry-point", script)
    assert "serving_input_fn=" not in conversion.output
    assert any("serving_input_fn is missing" in f.message for f in conversion.findings)


def test_generated_code_binds_input_fn_arguments_like_legacy(monkeypatch):
    output = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT).output
    namespace = _generated_namespace(output, ("read_hyperparameters", "local_checkpoint_dir",
                                              "call_input_fn"))

    def fn(dir, hyperpameters, channels, other=3):
        pass

    channels = {"training": "/data", "eval": "/e"}
    bound = namespace["input_fn_arguments"](fn, {"training_dir": "/data", "hyperparameters": {},
                                                 "input_channels": channels})
    assert bound == {"dir": "/data", "hyperpameters": None, "channels": channels, "other": None}
    monkeypatch.delenv("SM_HPS", raising=False)
    hps = namespace["read_hyperparameters"](["--lr", "0.1", "--name=abc", "--flag"])
    assert hps == {"lr": 0.1, "name": "abc", "flag": True, "save_checkpoints_secs": 300,
                   "training_steps": 1000, "evaluation_steps": 100}
    local = namespace["local_checkpoint_dir"]
    assert local("s3://bucket/prefix", {"checkpoint_path": "/ckpt"}, "/model") == "/ckpt"
    monkeypatch.setenv("TRAINING_JOB_NAME", "trial-7")
    tuning = {"checkpoint_path": "/ckpt", "_tuning_objective_metric": "loss"}
    assert local(None, tuning, "/model") == "/ckpt/trial-7/checkpoints"
    assert local(None, {}, "/model") == "/model"
    assert namespace["call_input_fn"](lambda: (lambda: 5)) == 5


# name -> (what SageMaker's hyperparameters.json holds for it, what the script's functions get)
COMMAND_LINE = {
    "run_name": ('"123"', "123"),
    "steps": ("123", 123),
    "lr": ("0.1", 0.1),
    "layers": ("[64, 32]", [64, 32]),
    "use_bn": ("true", True),
    "optimizer": ("adam", "adam"),  # not JSON: kept as written
    "_tuning_objective_metric": ('"loss"', "loss"),  # sent unencoded; quotes dropped
}


def test_command_line_values_are_decoded_like_sagemaker_hyperparameters(monkeypatch):
    output = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT).output
    read = _generated_namespace(output, ("read_hyperparameters",))["read_hyperparameters"]
    monkeypatch.delenv("SM_HPS", raising=False)
    argv = [part for name in sorted(COMMAND_LINE) for part in ("--" + name, COMMAND_LINE[name][0])]
    got = read(argv)
    for name, (encoded, expected) in COMMAND_LINE.items():
        assert got[name] == expected and type(got[name]) is type(expected), name
        assert got[name] == hyperparameters.decode_value(name, encoded), name
    assert read(["--run_name=123"])["run_name"] == 123  # a number, as in hyperparameters.json
    # In a SageMaker job SM_HPS (already typed) wins over the command line.
    monkeypatch.setenv("SM_HPS", json.dumps({"run_name": "123"}))
    assert read(["--run_name", "123"])["run_name"] == "123"


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
    clash = "\n\ndef main():\n    pass\n"
    assert not run_rule("script-mode-entry-point", MODEL_FN_SCRIPT + clash).errors
    conversion = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT + clash, single_file=True)
    assert any("'main'" in f.message for f in conversion.errors)
    conversion = run_rule("script-mode-entry-point", MODEL_FN_SCRIPT + "\n\nlegacy_mode = 1\n")
    assert any("'legacy_mode'" in f.message for f in conversion.errors)


def test_missing_eval_input_fn_is_a_warning_and_trains_only():
    script = MODEL_FN_SCRIPT.replace("def eval_input_fn", "def other_input_fn")
    conversion = run_rule("script-mode-entry-point", script)
    assert not conversion.errors
    assert any("eval_input_fn is missing" in f.message and f.severity == "WARNING"
               for f in conversion.findings)
    assert "eval_input_fn" not in conversion.output.split(entry_point.BEGIN)[1]
