"""User code is ordinary Python under both entry points, on every cell.

CPython 2 runs a frame in restricted execution mode when its builtins are not the
interpreter's own, and then refuses ``open``/``file``, function ``__dict__``,
``func_globals`` and more. The fixture script and its helper module use all of that, and
read their CSV with ``open()``. Python 2.7 compatible.
"""
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FIXTURE = os.path.join(ROOT, "tests", "fixtures", "scripts", "plain_python")
DATA = os.path.join(ROOT, "examples", "abalone", "data")

CHECKS = ["open"] + (["file"] if sys.version_info[0] == 2 else []) + [
    "function __dict__", "class __dict__", "generator", "pickle", "inspect"]


def run_checked(args):
    proc = subprocess.Popen([sys.executable] + args, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    output = proc.communicate()[0].decode("utf-8", "replace")
    return proc.returncode, output


def checks_line(module):
    return "PLAIN-PYTHON %s: %s" % (module, ", ".join(CHECKS))


def test_user_code_is_unrestricted_under_legacy_compat_train(tmpdir):
    job = str(tmpdir.join("job"))
    params = {"training_steps": 10, "evaluation_steps": 1, "learning_rate": 0.01}
    code, output = run_checked([
        "-m", "legacy_compat", "train", os.path.join(FIXTURE, "plain_python.py"),
        "--channel", DATA, "--job-dir", job, "--hyperparameters", json.dumps(params)])
    assert code == 0, output[-4000:]
    assert checks_line("plain_helpers") in output, output[-4000:]
    assert checks_line("plain_python") in output, output[-4000:]
    assert os.listdir(os.path.join(job, "model", "export", "Servo"))


def test_user_code_is_unrestricted_under_import_legacy_compat_patch(tmpdir):
    code, output = run_checked([os.path.join(FIXTURE, "own_estimator.py"), DATA,
                                str(tmpdir.join("model"))])
    assert code == 0, output[-4000:]
    assert checks_line("plain_helpers") in output, output[-4000:]
    assert checks_line("plain_python") in output, output[-4000:]
    assert checks_line("__main__") in output, output[-4000:]
    assert "PLAIN-PYTHON trained to step 5" in output, output[-4000:]


def test_tf_app_flags_in_user_code_do_not_see_legacy_compat_options(tmpdir):
    job = str(tmpdir.join("job"))
    params = {"training_steps": 10, "evaluation_steps": 1}
    code, output = run_checked([
        "-m", "legacy_compat", "train", os.path.join(ROOT, "tests", "fixtures", "scripts", "app_flags.py"),
        "--channel", DATA, "--job-dir", job, "--hyperparameters", json.dumps(params)])
    assert code == 0, output[-4000:]
