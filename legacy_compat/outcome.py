"""How a job ends: the success/failure files, the exit code and a short stderr summary.

The exit codes and what each means are ``EXIT_CODES``; README.md's table is rendered from it
(``python -m legacy_compat.outcome``) and a test keeps the two equal.
"""

import errno
import os
import signal
import sys
import traceback

FAILURE_PREFIX = "uncaught exception during training: "

EXIT_SUCCESS = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_CHECKPOINT = 3
EXIT_JOB_DIR = 4
SIGNAL_BASE = 128  # a stop by signal N exits 128+N, as a shell reports a process it killed

# (code, meaning) in README.md's words; ``exit_code_table`` renders them.
EXIT_CODES = (
    (str(EXIT_SUCCESS), "trained (and exported, when the script has a `serving_input_fn`)"),
    (str(EXIT_FAILED), "training failed: your script, TensorFlow or legacy-compat raised (an "
                       "exception that carries an `errno` exits with that number instead, as the "
                       "legacy container did; `sys.exit(N)` in your code before training "
                       "finished exits `N`, or `1` for `sys.exit()` / `sys.exit(0)` / a message)"),
    (str(EXIT_BAD_INPUT), "bad input, nothing trained: command line, `--hyperparameters` or "
                          "`hyperparameters.json`, a channel folder that does not exist, a "
                          "script that breaks the Legacy Mode contract"),
    (str(EXIT_CHECKPOINT), "the checkpoint to resume from cannot be read; nothing was trained "
                           "over it"),
    (str(EXIT_JOB_DIR), "the job directory cannot be written: not a directory, read-only, or "
                        "full"),
    ("%d+N" % SIGNAL_BASE, "stopped by signal N (`%d` SIGTERM, `%d` SIGINT), with a checkpoint "
                           "at the stop" % (SIGNAL_BASE + signal.SIGTERM,
                                            SIGNAL_BASE + signal.SIGINT)),
)


def exit_code_table():
    """README.md's exit-code table (Markdown), from ``EXIT_CODES``."""
    lines = ["| code | meaning |", "|---|---|"]
    lines += ["| `%s` | %s |" % row for row in EXIT_CODES]
    return "\n".join(lines) + "\n"


class VerdictNotWritten(Exception):
    """The success/failure file could not be written; ``reason`` says why."""

    def __init__(self, path, reason):
        self.path = path
        self.reason = reason
        super(VerdictNotWritten, self).__init__("%s: %s" % (path, reason))


def _ensure_dir(path):
    try:
        os.makedirs(path)
    except OSError as error:
        if error.errno != errno.EEXIST or not os.path.isdir(path):
            raise


def _append(output_dir, name, text):
    path = os.path.join(output_dir, name)
    existed = os.path.exists(path)
    try:
        _ensure_dir(output_dir)
        with open(path, "a") as handle:
            handle.write(text)
    except (IOError, OSError) as error:
        if not existed and text:
            _remove_empty(path)  # an empty failure file would read as "failed, no reason"
        raise VerdictNotWritten(path, os.strerror(error.errno) if error.errno else str(error))
    return path


def _remove_empty(path):
    try:
        if os.path.getsize(path) == 0:
            os.remove(path)
    except OSError:
        pass


def write_success(env):
    _append(env.output_dir, "success", "")


def describe(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def write_failure(output_dir, exc, tb_text):
    """Append the failure like the SageMaker container did (first failure stays first)."""
    return _append(output_dir, "failure", "%s%s\n%s\n" % (FAILURE_PREFIX, describe(exc), tb_text))


def write_failure_text(output_dir, text):
    """A failure that is not an exception (a stop on request): one line, no traceback."""
    return _append(output_dir, "failure", text.rstrip("\n") + "\n")


def clear_previous(output_dir):
    """Remove the verdict of an earlier run in the same job directory; return what it said."""
    said = []
    for name in ("success", "failure"):
        path = os.path.join(output_dir, name)
        if os.path.isfile(path):
            with open(path) as handle:
                first = handle.readline().strip()
            os.remove(path)
            said.append("%s%s" % (name, ": " + first if first else ""))
    return said


def user_frame(tb, user_files):
    """The innermost traceback frame that lies in the user's code, or None."""
    found = None
    for frame in traceback.extract_tb(tb):
        if os.path.abspath(frame[0]) in user_files:
            found = frame
    return found


def summary(exc, tb, user_files):
    """A few lines for stderr: what failed and the user's line that led to it."""
    lines = ["legacy-compat: training failed: %s" % describe(exc).strip()]
    frame = user_frame(tb, user_files)
    if frame is not None:
        filename, line, function, text = frame[:4]
        lines.append("  in your code: %s, line %d, in %s" % (filename, line, function))
        if text:
            lines.append("    %s" % text.strip())
    else:
        lines.append("  no line of your script is in the traceback: if it points into "
                     "legacy_compat, that is a bug in legacy-compat; please report it")
    lines.append("  full traceback: the job's output/failure file")
    return "\n".join(lines)


def is_disk_full(exc):
    """ENOSPC from Python, or TensorFlow's C++ file system saying the same."""
    if getattr(exc, "errno", None) == errno.ENOSPC:
        return True
    return os.strerror(errno.ENOSPC) in str(exc)


def exit_code(exc):
    """Non-zero; the legacy container used errno when an exception carried one."""
    code = getattr(exc, "errno", None)
    return code if isinstance(code, int) and 0 < code < 256 else EXIT_FAILED


def print_summary(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()


if __name__ == "__main__":
    sys.stdout.write(exit_code_table())
