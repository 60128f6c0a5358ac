"""The runtime's in-memory Python 2 translation (the user's file is never written)."""

import pytest

from legacy_compat import py2translate


@pytest.mark.parametrize("python2,python3", [
    ("mode = 0777L\n", "mode = 0o777\n"),
    ("print 'x', 3L\n", "print('x', 3)\n"),
    ("for key in d.iterkeys(): pass\n", "for key in d.keys(): pass\n"),
])
def test_python2_source_becomes_python3(python2, python3):
    translated, rewrites = py2translate.translate(python2, "train.py")
    assert translated == python3
    compile(translated, "train.py", "exec")
    assert rewrites and all(rewrite.line == 1 for rewrite in rewrites)


def test_source_that_is_neither_python_2_nor_3_is_refused_with_its_line():
    with pytest.raises(py2translate.TranslationError) as error:
        py2translate.translate("x = 1\ndef f(:\n", "train.py")
    assert error.value.line == 2
