"""The benchmarks under bench/ still reach the modules they use.

No test runs the benchmarks (they take minutes and measure, not assert), so a module that
moves breaks them silently: bench_pipemode.py read a module that had moved for a session.
This checks, without running any benchmark, that each file compiles and that every
``legacy_compat`` module and name it imports exists.
"""
import ast
import importlib
import importlib.util
import os

import pytest

from conftest import ROOT

BENCH = os.path.join(ROOT, "bench")
SCRIPTS = sorted(name for name in os.listdir(BENCH) if name.endswith(".py"))


def _our_imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "legacy_compat":
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == \
                "legacy_compat":
            for alias in node.names:
                yield node.module, alias.name


@pytest.mark.parametrize("script", SCRIPTS)
def test_benchmark_imports_resolve(script):
    path = os.path.join(BENCH, script)
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for module, name in _our_imports(tree):
        if module == "legacy_compat.estimator":
            continue  # importing it revives tf.estimator; its place is checked below
        imported = importlib.import_module(module)
        if name is not None:
            assert hasattr(imported, name) or importlib.util.find_spec(
                module + "." + name) is not None, "%s: %s has no %s" % (script, module, name)


def test_the_revival_module_the_benchmarks_import_exists():
    assert importlib.util.find_spec("legacy_compat.estimator") is not None


def test_the_check_sees_a_moved_module():
    tree = ast.parse("from legacy_compat.tfview import pipemode\n")
    module, name = next(_our_imports(tree))
    assert importlib.util.find_spec(module + "." + name) is None
