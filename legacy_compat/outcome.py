"""How a job ends: the success/failure files, the exit code and a short stderr summary."""

import errno
import os
import sys
import traceback

FAILURE_PREFIX = "uncaught exception during training: "


def _ensure_dir(path):
    try:
        os.makedirs(path)
    except OSError as error:
        if error.errno != errno.EEXIST:
            raise


def write_success(env):
    _ensure_dir(env.output_dir)
    open(env.success_file, "a").close()


def describe(exc):
    return "%s: %s" % (type(exc).__name__, exc)


def write_failure(output_dir, exc, tb_text):
    """Append the failure like the SageMaker container did (first failure stays first)."""
    _ensure_dir(output_dir)
    with open(os.path.join(output_dir, "failure"), "a") as handle:
        handle.write("%s%s\n%s\n" % (FAILURE_PREFIX, describe(exc), tb_text))


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
    lines.append("  full traceback: the job's output/failure file")
    return "\n".join(lines)


def exit_code(exc):
    """Non-zero; the legacy container used errno when an exception carried one."""
    code = getattr(exc, "errno", None)
    return code if isinstance(code, int) and 0 < code < 256 else 1


def print_summary(text):
    sys.stderr.write(text + "\n")
    sys.stderr.flush()
