import pytest

from legacy_compat.convert.errors import ConvertError
from tests.convert.conftest import run_rule


@pytest.mark.parametrize("before, after", [
    pytest.param('print "x", 1\n', 'print("x", 1)\n', id="print statement"),
    pytest.param('try:\n    pass\nexcept IOError, e:\n    pass\n',
                 'try:\n    pass\nexcept IOError as e:\n    pass\n', id="except comma"),
    pytest.param('raise ValueError, "bad"\n', 'raise ValueError("bad")\n', id="raise comma"),
    pytest.param('for k, v in d.iteritems():\n    pass\n',
                 'for k, v in d.items():\n    pass\n', id="iteritems in loop"),
    pytest.param('keys = d.keys()\n', 'keys = list(d.keys())\n', id="keys used as list"),
    pytest.param('ok = d.has_key("a")\n', 'ok = "a" in d\n', id="has_key"),
    pytest.param('for i in xrange(3):\n    pass\n', 'for i in range(3):\n    pass\n', id="xrange"),
    pytest.param('x = 0777 + 10L\n', 'x = 0o777 + 10\n', id="number literals"),
    pytest.param('x = 0777L + 00L + 0L\n', 'x = 0o777 + 00 + 0\n', id="octal long literal"),
    pytest.param('x = -7L.real + 0777L.real\n', 'x = -7 .real + 0o777.real\n',
                 id="long literal with an attribute"),
    pytest.param('s = u"a"\nisinstance(s, basestring)\n', 's = "a"\nisinstance(s, str)\n',
                 id="unicode and basestring"),
    pytest.param('import cPickle\n', 'import pickle\n', id="renamed module"),
])
def test_fix_py2(before, after):
    assert run_rule("py2-to-py3", before).output == after


@pytest.mark.parametrize("source", [
    pytest.param("import helper\n", id="implicit relative import kept (no fix_import)"),
    pytest.param("from __future__ import division\nx = 1 / 2\n", id="future import kept"),
    pytest.param('print("a", "b")\n', id="print function"),
    pytest.param('for k, v in d.items():\n    pass\n', id="items in loop not wrapped"),
    pytest.param('keys = list(d.keys())\n', id="already wrapped"),
    pytest.param('x = f"{1}"\nif (n := 3):\n    pass\n', id="python 3 only syntax"),
])
def test_noop_py2(source):
    assert run_rule("py2-to-py3", source).output == source


def test_unparsable_input_is_an_error():
    with pytest.raises(ConvertError) as err:
        run_rule("py2-to-py3", "def f(:\n    pass\n", path="bad.py")
    assert "bad.py" in str(err.value) and "Python 2" in str(err.value)


@pytest.mark.parametrize("source", [
    pytest.param("def f(a, /, b):\n    return a.keys()\n", id="positional-only parameters"),
    pytest.param("try:\n    pass\nexcept* ValueError:\n    pass\n", id="except star"),
])
def test_python3_that_fissix_cannot_read_is_kept_with_a_warning(source):
    conversion = run_rule("py2-to-py3", source, path="new.py")
    assert conversion.output == source
    [warning] = conversion.findings
    assert warning.severity == "WARNING" and "valid Python 3" in warning.message


def test_one_fissix_tool_serves_both_grammars():
    # the tool is compiled once per process; a Python 3 file between two Python 2
    # files must not leave the print-function grammar behind (or the reverse)
    assert run_rule("py2-to-py3", 'print "a"\n').output == 'print("a")\n'
    assert run_rule("py2-to-py3", "print('a', end='')\n").output == "print('a', end='')\n"
    assert run_rule("py2-to-py3", 'print "b"\n').output == 'print("b")\n'


def test_unparsable_input_says_what_each_grammar_found_and_what_to_do():
    with pytest.raises(ConvertError) as err:
        run_rule("py2-to-py3", "def f(:\n    pass\n", path="bad.py")
    assert (err.value.problem, err.value.expected, err.value.action) == (
        "cannot be parsed as Python 2 or Python 3 (Python 2: line 1, column 7: unexpected ':'; "
        "Python 3: line 1, column 7: unexpected ':'; Python 3: line 1: invalid syntax)",
        "a Python 2.7 or Python 3 source file",
        "Fix the syntax error (e.g. check it with `python2 -m py_compile`) and run convert "
        "again.")


@pytest.mark.parametrize("before, after", [
    pytest.param('print "x"', 'print("x")', id="no newline at the end"),
    pytest.param('x = d.keys()\n\n', 'x = list(d.keys())\n\n', id="blank line at the end"),
    pytest.param("", "", id="empty file"),
])
def test_the_end_of_the_file_is_kept(before, after):
    assert run_rule("py2-to-py3", before).output == after


def test_what_the_translator_cannot_do_is_reported_at_its_line():
    conversion = run_rule("py2-to-py3", 'x = 1\nraise "bad"\n', path="old.py")
    found = [(f.severity, f.line, f.col, f.message) for f in conversion.findings]
    assert ("WARNING", 2, 1, 'Python 3 conversion: could not convert: raise "bad"') in found
    assert ("WARNING", 0, 1,
            "Python 3 conversion: Python 3 does not support string exceptions") in found


def test_python3_the_translator_cannot_read_says_why():
    conversion = run_rule("py2-to-py3", "def f(a, /, b):\n    return a.keys()\n", path="new.py")
    assert [(f.severity, f.line, f.col, f.message) for f in conversion.findings] == [
        ("WARNING", 0, 1, "Python 3 conversion: left as it is: the file is valid Python 3 that "
                          "the Python 2 translator cannot read (Python 3: line 1, column 10: "
                          "unexpected '/')")]
