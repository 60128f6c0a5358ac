"""How a job ends, as plain functions: the exit code of an exception."""

import errno

import pytest

from legacy_compat import outcome


@pytest.mark.parametrize("exc, code", [
    (OSError(errno.EACCES, "Permission denied", "/data/x"), errno.EACCES),
    (IOError(errno.EISDIR, "Is a directory"), errno.EISDIR),
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
    (RuntimeError("Write failed: %s" % __import__("os").strerror(errno.ENOSPC)), True),
    (OSError(errno.EACCES, "Permission denied"), False),
])
def test_disk_full_is_recognised_from_python_and_from_tensorflow(exc, full):
    assert outcome.is_disk_full(exc) is full
