"""Fixtures for the TensorFlow version matrix (Python 2.7 compatible).

The matrix sessions run these tests inside one cell's environment; ``LEGACY_COMPAT_MATRIX_*``
variables (set by noxfile.py) say which cell that is.
"""
import os
import re
import sys

import pytest


def version_tuple(text):
    """'1.10.1' -> (1, 10, 1); '2.15.0-rc1' -> (2, 15, 0)."""
    return tuple(int(p) for p in re.findall(r"\d+", text)[:3])


def in_range(version, spec):
    """True if `version` (a tuple) satisfies `spec`, e.g. "<1.5", ">=1.6,<2.0", "all"."""
    if spec.strip() == "all":
        return True
    ops = {
        "<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
        ">=": lambda a, b: a >= b, "==": lambda a, b: a[:len(b)] == b,
    }
    for clause in spec.split(","):
        match = re.match(r"\s*(<=|>=|==|<|>)\s*([\d.]+)\s*$", clause)
        if not match:
            raise ValueError("bad version spec %r" % spec)
        op, bound = match.groups()
        if not ops[op](tuple(version), version_tuple(bound)):
            return False
    return True


@pytest.fixture(scope="session")
def tf():
    import legacy_compat.estimator  # noqa: F401  (TF 2.16+: revives tf.estimator; no-op before)
    import tensorflow

    v1 = tensorflow.compat.v1 if hasattr(getattr(tensorflow, "compat", None), "v1") else tensorflow
    v1.logging.set_verbosity(v1.logging.ERROR)
    return tensorflow


@pytest.fixture(scope="session")
def tf_version(tf):
    return version_tuple(tf.__version__)


@pytest.fixture
def quirk_present(request, tf_version):
    """Whether the running TF release is in the range of the test's ``quirk`` marker."""
    marker = request.node.get_closest_marker("quirk")
    assert marker is not None, "quirk_present needs @pytest.mark.quirk(versions, summary)"
    if marker.args[0].strip() == "all":
        pytest.fail("quirk_present is always true under a quirk('all', ...) marker, so a test "
                    "asserting it cannot fail; check the error each release raises instead "
                    "(expect_error_by_release in test_quirks.py)", pytrace=False)
    return in_range(tf_version, marker.args[0])


def pytest_report_header(config):
    cell = os.environ.get("LEGACY_COMPAT_MATRIX_CELL")
    return "legacy-compat matrix cell: %s (python %d.%d)" % (
        cell or "<not run by nox>", sys.version_info[0], sys.version_info[1])
