import pytest

from tests.convert.conftest import run_rule


def _divisions(source):
    conversion = run_rule("true-division", source)
    assert conversion.output == source  # the rule only reports
    return [(f.line, f.col) for f in conversion.findings if f.severity == "WARNING"]


def test_flags_division():
    assert _divisions("n = len(x) / 10\ny = 3\ny /= 2\n") == [(1, 5), (3, 1)]


def test_each_division_is_judged_on_its_own():
    # A product or a float division before it does not end the search.
    assert _divisions("a = x * 2\nb = x / 2.0\nc = x / 3\n") == [(3, 5)]


def test_the_warning_says_what_changed_and_what_to_do():
    [finding] = run_rule("true-division", "n = a / b\n").findings
    assert finding.message == ("`/` is true division in Python 3 but was integer division in "
                               "Python 2 when both operands are int")
    assert finding.suggestion == "use `//` if integer division is intended"


@pytest.mark.parametrize("source", [
    pytest.param("from __future__ import division\nn = a / b\n", id="future division"),
    pytest.param("n = a / 2.0\n", id="float literal"),
    pytest.param("n = a // b\n", id="floor division"),
])
def test_noop_division(source):
    assert _divisions(source) == []
