"""Child processes with a time limit, on Python 2.7 (no ``communicate(timeout=...)``) and 3.x.

A TensorFlow that hangs (a deadlocked session, a cluster task that never returns) must fail its
test, not hang the matrix session and CI with it. Python 2.7 compatible.
"""
import os
import subprocess
import threading

import pytest

# Seconds one child may run; generous, since CI shares 2 cores. Override for slow machines.
TIMEOUT = int(os.environ.get("LEGACY_COMPAT_MATRIX_TIMEOUT", "600"))


class Deadline(object):
    """Kills ``procs`` once ``seconds`` have passed; ``expired`` says whether it had to."""

    def __init__(self, procs, seconds=None):
        self.procs = list(procs)
        self.seconds = TIMEOUT if seconds is None else seconds
        self.expired = False
        self._timer = threading.Timer(self.seconds, self._kill)
        self._timer.daemon = True

    def _kill(self):
        self.expired = True
        for proc in self.procs:
            if proc.poll() is None:
                proc.kill()

    def __enter__(self):
        self._timer.start()
        return self

    def __exit__(self, *exc_info):
        self._timer.cancel()
        return False

    def check(self, what, output=""):
        if self.expired:
            pytest.fail("%s did not finish within %d s and was killed (LEGACY_COMPAT_MATRIX_TIMEOUT "
                        "sets the limit); last output:\n%s" % (what, self.seconds, output[-3000:]))


def communicate(proc, what, seconds=None):
    """``proc.communicate()`` that fails the test when ``proc`` runs past the limit."""
    with Deadline([proc], seconds) as deadline:
        out, err = proc.communicate()
    deadline.check(what, (out or b"").decode("utf-8", "replace") +
                   (err or b"").decode("utf-8", "replace"))
    return out, err


def run(args, what=None, seconds=None, **kwargs):
    """Run ``args`` (stderr merged into stdout); return (returncode, decoded output)."""
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
    out, _ = communicate(proc, what or " ".join(args[:4]), seconds)
    return proc.returncode, out.decode("utf-8", "replace")
