"""What a converted script carries is legacy_compat/portable, copied unchanged."""
import ast
import importlib
import inspect
import os
import re

import pytest

from legacy_compat import portable
from legacy_compat.convert import helpers
from legacy_compat.convert.cli import EXIT_OK, main
from tests.convert.conftest import SCRIPT_FIXTURES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = [os.path.join(ROOT, "examples", folder, name) for folder, name in (
    ("abalone", "abalone.py"), ("iris_estimator", "iris_dnn.py"),
    ("keras_regressor", "keras_regressor.py"))]
# The converted script: its own code, translated, plus at most this many lines.
MAX_ADDED_LINES = 40


def _portable_objects():
    """Each function and class the portable modules define (``def`` / ``class``), by name."""
    found = {}
    for name in portable.MODULES:
        module = importlib.import_module("legacy_compat.portable." + name)
        with open(helpers.module_path(name)) as handle:
            tree = ast.parse(handle.read())
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                found[node.name] = getattr(module, node.name)
    return found


def test_the_support_module_is_the_portable_code_unchanged():
    text = helpers.support_module()
    tree = ast.parse(text)
    objects = _portable_objects()
    copied = {node.name: ast.get_source_segment(text, node) for node in tree.body
              if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert sorted(copied) == sorted(objects)  # every function and class, nothing else
    for name, value in objects.items():
        assert copied[name] == inspect.getsource(value).rstrip("\n"), name
    namespace = {"__name__": helpers.SUPPORT_MODULE}
    exec(compile(text, helpers.SUPPORT_FILE, "exec"), namespace)
    for module_name in portable.MODULES:
        module = importlib.import_module("legacy_compat.portable." + module_name)
        for attribute, value in vars(module).items():
            if attribute.isupper() and not attribute.startswith("_"):
                assert namespace[attribute] == value, (module_name, attribute)
    assert not re.search(r"^\s*(from|import) legacy_compat", text, re.M)


def test_a_broken_copy_is_caught(monkeypatch):
    """The comparison above fails when one copied function differs from its source."""
    original = helpers.support_module
    broken = original().replace(
        "    return target is not None and step is not None and step >= target",
        "    return target is not None and step >= target")
    assert broken != original()
    monkeypatch.setattr(helpers, "support_module", lambda: broken)
    with pytest.raises(AssertionError):
        test_the_support_module_is_the_portable_code_unchanged()
    monkeypatch.setattr(helpers, "support_module", original)


@pytest.mark.parametrize("source", EXAMPLES + sorted(SCRIPT_FIXTURES.values()),
                         ids=lambda path: os.path.relpath(path, ROOT))
def test_the_converted_script_keeps_its_size(source, tmp_path):
    out = tmp_path / os.path.basename(source)
    assert main([source, "-o", str(out)]) == EXIT_OK
    with open(source) as handle:
        before = len(handle.read().splitlines())
    after = len(out.read_text().splitlines())
    assert after - before <= MAX_ADDED_LINES, (before, after)
    assert helpers.is_support_module((tmp_path / helpers.SUPPORT_FILE).read_text())
    text = out.read_text()
    for line in set(text.splitlines()):
        if re.match(r"(import|from) \S+", line):
            assert text.splitlines().count(line) == 1, "imported twice: %s" % line
