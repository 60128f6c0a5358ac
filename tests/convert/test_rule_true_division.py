import pytest

from tests.convert.conftest import run_rule


def _divisions(source):
    conversion = run_rule("true-division", source)
    assert conversion.output == source  # the rule only reports
    return [(f.line, f.col) for f in conversion.findings if f.severity == "WARNING"]


def test_flags_division():
    assert _divisions("n = len(x) / 10\ny = 3\ny /= 2\n") == [(1, 5), (3, 1)]


@pytest.mark.parametrize("source", [
    pytest.param("from __future__ import division\nn = a / b\n", id="future division"),
    pytest.param("n = a / 2.0\n", id="float literal"),
    pytest.param("n = a // b\n", id="floor division"),
])
def test_noop_division(source):
    assert _divisions(source) == []
