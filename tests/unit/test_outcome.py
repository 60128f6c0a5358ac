"""How a job ends, as plain functions: verdict files, exit codes, the stderr summary."""

import errno
import os
import subprocess
import sys
import textwrap
import traceback
import types

import pytest

from conftest import ROOT
from legacy_compat import outcome


# -- exit codes ---------------------------------------------------------------------------------

def test_readme_exit_code_table_is_the_one_outcome_renders():
    with open(os.path.join(ROOT, "README.md")) as handle:
        readme = handle.read()
    assert outcome.exit_code_table() in readme, (
        "README.md's exit-code table differs from legacy_compat/outcome.py's EXIT_CODES; "
        "paste the output of: python -m legacy_compat.outcome")
    assert [row[0] for row in outcome.EXIT_CODES] == ["0", "1", "2", "3", "4", "128+N"]
    assert (outcome.EXIT_SUCCESS, outcome.EXIT_FAILED, outcome.EXIT_BAD_INPUT,
            outcome.EXIT_CHECKPOINT, outcome.EXIT_JOB_DIR) == (0, 1, 2, 3, 4)
    assert "(`143` SIGTERM, `130` SIGINT)" in outcome.exit_code_table()
    assert outcome.exit_code_table().startswith("| code | meaning |\n|---|---|\n| `0` | ")


@pytest.mark.parametrize("exc, code", [
    (OSError(errno.EACCES, "Permission denied", "/data/x"), errno.EACCES),
    (IOError(errno.EISDIR, "Is a directory"), errno.EISDIR),
    (OSError(1, "lowest"), 1),
    (OSError(255, "highest"), 255),
    (KeyError("scale"), outcome.EXIT_FAILED),
    (OSError("no errno"), outcome.EXIT_FAILED),
    (OSError(0, "errno 0 is no failure code"), outcome.EXIT_FAILED),
    (OSError(256, "not an exit status"), outcome.EXIT_FAILED),
    (OSError(-1, "negative"), outcome.EXIT_FAILED),
], ids=lambda value: value if isinstance(value, int) else type(value).__name__)
def test_an_exception_exits_with_its_errno_as_the_legacy_container_did(exc, code):
    assert outcome.exit_code(exc) == code


def test_an_errno_that_is_not_a_number_is_ignored():
    class Odd(Exception):
        errno = "13"
    assert outcome.exit_code(Odd()) == outcome.EXIT_FAILED


@pytest.mark.parametrize("exc, full", [
    (OSError(errno.ENOSPC, "No space left on device"), True),
    (RuntimeError("Write failed: %s" % os.strerror(errno.ENOSPC)), True),
    (OSError(errno.ENOSPC, "quota"), True),
    (OSError(errno.EACCES, "Permission denied"), False),
    (RuntimeError("no errno at all"), False),
])
def test_disk_full_is_recognised_from_python_and_from_tensorflow(exc, full):
    assert outcome.is_disk_full(exc) is full


# -- verdict files ------------------------------------------------------------------------------

def test_success_is_an_empty_file_in_a_new_output_folder(tmp_path):
    output = tmp_path / "job" / "output"
    outcome.write_success(types.SimpleNamespace(output_dir=str(output)))
    assert (output / "success").read_text() == ""
    outcome.write_success(types.SimpleNamespace(output_dir=str(output)))  # folder exists
    assert os.listdir(str(output)) == ["success"]


def test_failures_are_appended_and_the_first_stays_first(tmp_path):
    output = str(tmp_path / "output")
    path = outcome.write_failure(output, KeyError("scale"), "Traceback: one")
    assert path == os.path.join(output, "failure")
    outcome.write_failure_text(output, "stopped by SIGTERM at global step 7\n\n")
    outcome.write_failure_text(output, "the store at X")
    with open(path) as handle:
        assert handle.read() == ("uncaught exception during training: KeyError: 'scale'\n"
                                 "Traceback: one\nstopped by SIGTERM at global step 7\n"
                                 "the store at X\n")
    assert outcome.describe(ValueError("bad")) == "ValueError: bad"


def test_a_verdict_that_cannot_be_written_says_where_and_why(tmp_path):
    blocker = tmp_path / "job"
    blocker.write_text("a file where the job folder should be")
    output = str(blocker / "output")
    with pytest.raises(outcome.VerdictNotWritten) as caught:
        outcome.write_failure_text(output, "stopped")
    assert caught.value.path == os.path.join(output, "failure")
    assert caught.value.reason == os.strerror(errno.ENOTDIR)
    assert str(caught.value) == "%s: %s" % (caught.value.path, os.strerror(errno.ENOTDIR))
    assert blocker.read_text() == "a file where the job folder should be"


def test_an_output_path_that_exists_as_a_file_is_not_a_folder(tmp_path):
    output = tmp_path / "output"
    output.write_text("x")
    with pytest.raises(outcome.VerdictNotWritten) as caught:
        outcome.write_success(types.SimpleNamespace(output_dir=str(output)))
    assert caught.value.reason == os.strerror(errno.EEXIST)
    assert output.read_text() == "x"


def test_a_failure_file_that_could_not_be_written_is_not_left_empty(tmp_path):
    # A write that fails after the file was created (a full disk; here a file-size limit of
    # 0 bytes): an empty failure file would read as "failed, no reason".
    code = textwrap.dedent("""
        import resource, signal, sys
        from legacy_compat import outcome
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (0, resource.getrlimit(resource.RLIMIT_FSIZE)[1]))
        try:
            outcome.write_failure_text(sys.argv[1], "stopped")
        except outcome.VerdictNotWritten as error:
            print(error.reason)
    """)
    output = tmp_path / "output"
    output.mkdir()
    env = dict(os.environ, PYTHONPATH=ROOT)
    reason = subprocess.run([sys.executable, "-c", code, str(output)], env=env,
                            stdout=subprocess.PIPE, check=True).stdout.decode().strip()
    assert reason == os.strerror(errno.EFBIG)
    assert os.listdir(str(output)) == []
    # One that was there before (an earlier failure of this run) stays.
    (output / "failure").write_text("")
    subprocess.run([sys.executable, "-c", code, str(output)], env=env, check=True,
                   stdout=subprocess.PIPE)
    assert os.listdir(str(output)) == ["failure"]


def test_a_rerun_clears_the_previous_verdict_and_says_what_it_was(tmp_path):
    output = tmp_path / "output"
    assert outcome.clear_previous(str(output)) == []
    output.mkdir()
    (output / "success").write_text("")
    (output / "failure").write_text("stopped by SIGTERM at global step 7\nmore\n")
    (output / "data").mkdir()
    assert outcome.clear_previous(str(output)) == [
        "success", "failure: stopped by SIGTERM at global step 7"]
    assert os.listdir(str(output)) == ["data"]


# -- the stderr summary -------------------------------------------------------------------------

def failing_user_code(tmp_path):
    """A KeyError raised in a user file (a real file, so the traceback shows its line)."""
    user = tmp_path / "train.py"
    user.write_text("def model_fn(params):\n    return params['scale']\n")
    namespace = {}
    exec(compile(user.read_text(), str(user), "exec"), namespace)
    try:
        namespace["model_fn"]({})
    except KeyError:
        return str(user), sys.exc_info()


def test_the_summary_names_the_users_line(tmp_path):
    user, (_, exc, tb) = failing_user_code(tmp_path)
    assert outcome.user_frame(tb, {user})[:3] == (user, 2, "model_fn")
    assert outcome.summary(exc, tb, {user}).splitlines() == [
        "legacy-compat: training failed: KeyError: 'scale'",
        "  in your code: %s, line 2, in model_fn" % user,
        "    return params['scale']",
        "  full traceback: the job's output/failure file"]
    assert "".join(traceback.format_tb(tb))  # the traceback itself is untouched


def test_without_a_user_frame_the_summary_says_it_may_be_a_bug_of_ours(tmp_path):
    user, (_, exc, tb) = failing_user_code(tmp_path)
    assert outcome.user_frame(tb, {"/elsewhere/train.py"}) is None
    assert outcome.summary(exc, tb, set()).splitlines() == [
        "legacy-compat: training failed: KeyError: 'scale'",
        "  no line of your script is in the traceback: if it points into legacy_compat, that "
        "is a bug in legacy-compat; please report it",
        "  full traceback: the job's output/failure file"]


def test_the_summary_goes_to_stderr(capsys):
    outcome.print_summary("legacy-compat: stopped")
    assert capsys.readouterr() == ("", "legacy-compat: stopped\n")


def test_python_m_outcome_prints_the_readme_table():
    proc = subprocess.run([sys.executable, "-m", "legacy_compat.outcome"], cwd=ROOT,
                          env=dict(os.environ, PYTHONPATH=ROOT), stdout=subprocess.PIPE,
                          check=True)
    assert proc.stdout.decode() == outcome.exit_code_table()
