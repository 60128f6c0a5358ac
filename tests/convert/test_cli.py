import json
import os
import shutil
import subprocess
import sys

import pytest

from legacy_compat.convert import entry_point, helpers
from legacy_compat.convert.cli import (EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK,
                                       EXIT_WOULD_CHANGE, main)
from tests.convert.conftest import FIXTURES, SCRIPT_FIXTURES

CLEAN_PY2 = '''\
import tensorflow as tf


def model_fn(features, labels, mode, params):
    print "building"
    return tf.estimator.EstimatorSpec(mode, loss=tf.losses.mean_squared_error(labels, features))


def train_input_fn(training_dir, params):
    return None


def eval_input_fn(training_dir, params):
    return None
'''


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(CLEAN_PY2)
    return path


def _snapshot(directory):
    return sorted(str(p.relative_to(directory)) for p in directory.rglob("*"))


def test_convert_to_output_file(script, tmp_path, capsys):
    out = tmp_path / "out" / "train.py"
    assert main([str(script), "-o", str(out)]) == EXIT_OK
    assert script.read_text() == CLEAN_PY2  # input untouched
    text = out.read_text()
    assert 'print("building")' in text and entry_point.BEGIN in text
    err = capsys.readouterr().err
    assert "%s:" % out in err and "0 ERROR" in err


def test_stdout_when_no_output(script, capsys):
    assert main([str(script)]) == EXIT_OK
    assert entry_point.BEGIN in capsys.readouterr().out
    assert script.read_text() == CLEAN_PY2


def test_in_place_keeps_backup_and_rerun_is_noop(script):
    assert main([str(script), "--in-place"]) == EXIT_OK
    assert (script.parent / "train.py.bak").read_text() == CLEAN_PY2
    converted = script.read_text()
    os.remove(str(script.parent / "train.py.bak"))
    assert main([str(script), "--in-place"]) == EXIT_OK
    assert script.read_text() == converted
    assert not (script.parent / "train.py.bak").exists()


def test_check_and_diff(script, tmp_path, capsys):
    assert main([str(script), "--check"]) == EXIT_WOULD_CHANGE
    assert main([str(script), "--diff"]) == EXIT_OK
    diff = capsys.readouterr().out
    assert '-    print "building"' in diff and '+    print("building")' in diff
    assert _snapshot(tmp_path) == ["train.py"]
    out = tmp_path / "converted.py"
    main([str(script), "-o", str(out)])
    assert main([str(out), "--check"]) == EXIT_OK


def test_errors_exit_code_and_json_report(tmp_path):
    path = tmp_path / "train.py"
    path.write_text(CLEAN_PY2 + "\nx = tf.contrib.slim.conv2d\n")
    report = tmp_path / "report.json"
    out = tmp_path / "out.py"
    assert main([str(path), "-o", str(out), "--report", str(report)]) == EXIT_FINDINGS
    assert "# legacy-compat: ERROR: tf.contrib.slim" in out.read_text()
    data = json.loads(report.read_text())
    assert data["exit_code"] == EXIT_FINDINGS and data["summary"]["ERROR"] == 1
    [error] = [f for f in data["findings"] if f["severity"] == "ERROR"]
    assert error["path"] == str(out) and error["line"] > 0 and error["suggestion"]
    lines = out.read_text().splitlines()
    assert "tf.contrib.slim" in lines[error["line"] - 1]


@pytest.mark.parametrize("content, expected", [
    pytest.param(b"def f(:\n    pass\n", "cannot be parsed as Python 2 or Python 3", id="unparsable"),
    pytest.param(b"\x7fELF\x00\x00\x01binary", "binary file", id="binary"),
    pytest.param(b"x = '\xff\xfe caf\xe9'\n", "cannot be decoded as utf-8", id="bad encoding"),
    pytest.param(b"# -*- coding: klingon -*-\nx = 1\n", "invalid coding declaration",
                 id="unknown codec"),
])
def test_bad_input_writes_nothing(tmp_path, capsys, content, expected):
    path = tmp_path / "train.py"
    path.write_bytes(content)
    out = tmp_path / "out"
    report = tmp_path / "r.json"
    assert main([str(path), "-o", str(out / "x.py"), "--report", str(report)]) == EXIT_BAD_INPUT
    assert not out.exists()
    err = capsys.readouterr().err
    assert str(path) in err and expected in err and "expected" in err and "nothing written" in err
    assert json.loads(report.read_text())["input_errors"]


def test_latin1_with_cookie_is_read(tmp_path):
    path = tmp_path / "train.py"
    path.write_bytes(b"# -*- coding: latin-1 -*-\nprint 'caf\xe9'\n")
    out = tmp_path / "out.py"
    assert main([str(path), "-o", str(out)]) == EXIT_OK
    assert out.read_bytes() == b"# -*- coding: latin-1 -*-\nprint('caf\xe9')\n"


def test_directory_without_legacy_script(tmp_path, capsys):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "util.py").write_text("print 'hi'\n")
    assert main([str(tmp_path / "src"), "-o", str(tmp_path / "out")]) == EXIT_BAD_INPUT
    assert not (tmp_path / "out").exists()
    assert "no Legacy Mode training script" in capsys.readouterr().err


def test_missing_source(tmp_path):
    assert main([str(tmp_path / "nope.py")]) == EXIT_BAD_INPUT


def test_directory_conversion_converts_helpers_and_copies_data(tmp_path):
    src = tmp_path / "code"
    shutil.copytree(os.path.join(FIXTURES, "source_dir", "code"), str(src))
    (src / "requirements.txt").write_text("numpy\n")
    out = tmp_path / "out"
    assert main([str(src), "-o", str(out)]) == EXIT_OK
    assert "raise KeyError('learning_rate is required')" in (out / "helper.py").read_text()
    train = (out / "train.py").read_text()
    assert "\nimport helper\n" in train  # not `from . import helper`
    assert (out / "requirements.txt").read_text() == "numpy\n"
    assert main([str(out), "--check"]) == EXIT_OK


@pytest.mark.parametrize("target", ["2.15", "2.21"])
def test_every_fixture_converts_idempotently(target, tmp_path):
    for name, path in SCRIPT_FIXTURES.items():
        out = tmp_path / name / "train.py"
        assert main([path, "-o", str(out), "--target", "tf" + target]) == EXIT_OK, name
        text = out.read_text()
        compile(text, str(out), "exec")
        imports = [line for line in text.splitlines() if "legacy_compat" in line
                   and not line.lstrip().startswith("#")]
        if target == "2.15":
            assert imports == [], name
        else:
            # The revived estimator, once, above every TensorFlow import.
            assert [line.split("  #")[0] for line in imports] == [
                entry_point.REVIVAL_MARKER], name
            assert text.index(entry_point.REVIVAL_MARKER) < text.index("import tensorflow")
            assert 'pip install --no-deps "tf-keras~=2.21.0"' in text
        assert main([str(out), "--check", "--target", "tf" + target]) == EXIT_OK, name


def test_target_option(script, tmp_path, capsys):
    out = tmp_path / "out.py"
    for spelling, revived in (("tf2.12", False), ("2.15", False), ("tf2.16", True),
                              ("TF2.21.0", True), (None, True)):
        argv = [str(script), "-o", str(out)] + (["--target", spelling] if spelling else [])
        assert main(argv) == EXIT_OK, spelling
        text = out.read_text()
        assert (entry_point.REVIVAL_MARKER in text) is revived, spelling
        release = "2.21" if spelling in (None, "TF2.21.0") else spelling.lstrip("tf")
        assert "entry point for TensorFlow %s (" % release in text, spelling
    capsys.readouterr()
    for bad in ("tf2.11", "tf2.22", "tf1.15", "latest"):
        with pytest.raises(SystemExit) as exit_info:
            main([str(script), "-o", str(out), "--target", bad])
        assert exit_info.value.code == 2
        assert "unsupported TensorFlow %r" % bad in capsys.readouterr().err


def test_python_m_entry_and_no_tensorflow_import(script, tmp_path):
    code = ("import sys\nfrom legacy_compat.convert.cli import main\n"
            "rc = main(sys.argv[1:])\n"
            "assert 'tensorflow' not in sys.modules, 'convert imported tensorflow'\n"
            "sys.exit(rc)\n")
    out = tmp_path / "out.py"
    result = subprocess.run([sys.executable, "-c", code, str(script), "-o", str(out)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    result = subprocess.run([sys.executable, "-m", "legacy_compat.convert", str(script), "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == EXIT_WOULD_CHANGE, result.stderr


def test_support_module_beside_the_script_and_single_file(script, tmp_path):
    out = tmp_path / "out"
    assert main([str(script), "-o", str(out / "train.py")]) == EXIT_OK
    support = (out / helpers.SUPPORT_FILE).read_text()
    assert helpers.is_support_module(support)
    assert "import legacy_mode" in (out / "train.py").read_text()
    # Converting again replaces the support module it wrote (here: an older one).
    (out / helpers.SUPPORT_FILE).write_text(helpers.SUPPORT_HEADER + '"""\nOLD = 1\n')
    assert main([str(script), "-o", str(out / "train.py")]) == EXIT_OK
    assert (out / helpers.SUPPORT_FILE).read_text() == support
    single = tmp_path / "single"
    assert main([str(script), "-o", str(single / "train.py"), "--single-file"]) == EXIT_OK
    assert os.listdir(single) == ["train.py"]
    text = (single / "train.py").read_text()
    assert "def main(" in text and "import legacy_mode" not in text


@pytest.mark.parametrize("how", ["-o", "--in-place", "directory"])
def test_a_users_own_legacy_mode_module_is_never_replaced(how, script, tmp_path, capsys):
    theirs = "def helper():\n    return 42\n"
    (tmp_path / helpers.SUPPORT_FILE).write_text(theirs)
    if how == "-o":
        argv, converted = [str(script), "-o", str(tmp_path / "train_out.py")], "train_out.py"
    elif how == "--in-place":
        argv, converted = [str(script), "--in-place"], "train.py"
    else:
        argv, converted = [str(tmp_path), "-o", str(tmp_path / "out")], "out/train.py"
    assert main(argv) == EXIT_OK
    assert (tmp_path / helpers.SUPPORT_FILE).read_text() == theirs
    if how == "directory":  # their module is converted like any other, never replaced
        assert "return 42" in (tmp_path / "out" / helpers.SUPPORT_FILE).read_text()
    text = (tmp_path / converted).read_text()
    assert "def main(" in text and "import legacy_mode" not in text  # as with --single-file
    assert "was not written by legacy-compat convert" in capsys.readouterr().err
