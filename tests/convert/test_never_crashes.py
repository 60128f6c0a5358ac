"""Every input ends with a documented exit code, a clear message and no lost data."""
import os

import pytest

from legacy_compat.convert import cli
from legacy_compat.convert.cli import (EXIT_BAD_INPUT, EXIT_CANNOT_WRITE, EXIT_INTERNAL, EXIT_OK,
                                       main)
from tests.convert import sweep
from tests.convert.test_cli import CLEAN_PY2


def test_sampled_sweep_of_both_standard_libraries_and_random_bytes():
    missing = [root for root in sweep.STDLIBS.values() if not os.path.isdir(root)]
    if missing:
        pytest.skip("standard libraries not installed: %s" % ", ".join(missing))
    inputs = sweep.collect(sample=6, random_count=24, seed=1)
    counts, failures = sweep.sweep(inputs, in_place_every=3)
    assert failures == []
    assert sum(counts["random (seed 1)"].values()) == 24
    # a real sample converts; random bytes are mostly refused
    assert counts["python3.11"]["exit 0"] + counts["python3.11"]["exit 1"] >= 5
    assert counts["random (seed 1)"]["exit 3"] >= 12


def test_random_inputs_are_reproducible():
    corpus = [os.path.abspath(__file__)]
    assert sweep.random_inputs(6, 3, corpus) == sweep.random_inputs(6, 3, corpus)
    assert sweep.random_inputs(6, 3, corpus) != sweep.random_inputs(6, 4, corpus)


def _assert_refused(path, original, capsys, code=EXIT_BAD_INPUT):
    err = capsys.readouterr().err
    assert "Traceback" not in err and str(path) in err
    assert path.read_bytes() == original
    assert sorted(os.listdir(path.parent)) == [path.name]
    return err


@pytest.mark.parametrize("data, message", [
    pytest.param(b"x = 1\n" * 2000 + b"\x00\n", "NUL bytes", id="NUL after the first 8 KiB"),
    pytest.param(b"x = " + b"-" * 5000 + b"1\n", "nested too deeply", id="too deep to parse"),
    pytest.param(b"def f(:\n    pass\n", "cannot be parsed", id="syntax error"),
])
def test_in_place_refusal_leaves_the_file_byte_identical(tmp_path, capsys, data, message):
    script = tmp_path / "train.py"
    script.write_bytes(data)
    assert main([str(script), "--in-place"]) == EXIT_BAD_INPUT
    assert message in _assert_refused(script, data, capsys)


def test_unwritable_output_is_exit_5_with_a_message(tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text(CLEAN_PY2)
    blocker = tmp_path / "not_a_folder"
    blocker.write_text("a file where the output folder should be")
    assert main([str(script), "-o", str(blocker / "train.py")]) == EXIT_CANNOT_WRITE
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "cannot write %s" % (blocker / "train.py") in err and "nothing written" in err
    assert script.read_text() == CLEAN_PY2
    assert blocker.read_text() == "a file where the output folder should be"


def test_a_bug_in_the_converter_is_exit_6_and_writes_nothing(tmp_path, capsys, monkeypatch):
    script = tmp_path / "train.py"
    script.write_text(CLEAN_PY2)

    def broken(text, path, settings):
        raise KeyError("a bug")

    monkeypatch.setattr(cli, "convert_text", broken)
    assert main([str(script), "--in-place"]) == EXIT_INTERNAL
    err = _assert_refused(script, CLEAN_PY2.encode(), capsys)
    assert "internal error" in err and "KeyError" in err and "please report" in err
    assert "converting %s;" % script in err


def test_in_place_backup_holds_the_original_bytes(tmp_path):
    script = tmp_path / "train.py"
    script.write_bytes(CLEAN_PY2.replace("\n", "\r\n").encode())
    assert main([str(script), "--in-place"]) == EXIT_OK
    assert (tmp_path / "train.py.bak").read_bytes() == CLEAN_PY2.replace("\n", "\r\n").encode()
    assert sorted(os.listdir(tmp_path)) == ["legacy_mode.py", "train.py", "train.py.bak"]


def test_output_onto_the_input_is_refused(tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text(CLEAN_PY2)
    with pytest.raises(SystemExit) as exit_:
        main([str(script), "-o", str(tmp_path / "." / "train.py")])
    assert exit_.value.code == 2 and "use --in-place" in capsys.readouterr().err
    assert script.read_text() == CLEAN_PY2 and sorted(os.listdir(tmp_path)) == ["train.py"]


def test_unwritable_report_is_exit_5_not_an_internal_error(tmp_path, capsys):
    script = tmp_path / "train.py"
    script.write_text(CLEAN_PY2)
    out = tmp_path / "out.py"
    assert main([str(script), "-o", str(out), "--report",
                 str(tmp_path / "train.py" / "report.json")]) == EXIT_CANNOT_WRITE
    err = capsys.readouterr().err
    assert "cannot write" in err and "report.json" in err and str(out) in err
    assert "internal error" not in err


@pytest.mark.parametrize("source, problem", [
    pytest.param("from __future__ import no_such_feature\n", "does not compile (line 1: future "
                 "feature no_such_feature is not defined)", id="Python 3 input that does not compile"),
    pytest.param("def f(basestring=basestring, str=str):\n    print 'x'\n",
                 "its Python 3 translation does not compile (line 1: duplicate argument 'str'",
                 id="Python 2 input whose translation does not compile"),
])
def test_input_that_cannot_compile_is_named_as_such(tmp_path, capsys, source, problem):
    script = tmp_path / "train.py"
    script.write_text(source)
    assert main([str(script), "-o", str(tmp_path / "out.py")]) == EXIT_BAD_INPUT
    err = _assert_refused(script, source.encode(), capsys)
    assert problem in err and "nothing written" in err
