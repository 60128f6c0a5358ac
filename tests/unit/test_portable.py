"""legacy_compat/portable holds the code a converted script carries: the rules that let
convert copy it (legacy_compat/portable/__init__.py)."""
import ast
import os
import sys

import pytest

from legacy_compat import portable
from legacy_compat.convert import helpers

# Besides the standard library: NumPy comes with every TensorFlow; TensorFlow itself only
# through the handle, imported inside its functions.
THIRD_PARTY = ("numpy",)
# Optional imports, inside a function that goes on without them: compiled CRC-32C packages
# (a converted script runs without legacy-compat's dependencies) and POSIX-only modules.
OPTIONAL = {"pipemode": ("google_crc32c", "crc32c", "fcntl", "select")}


def _modules():
    names = sorted(name[:-3] for name in os.listdir(os.path.dirname(portable.__file__))
                   if name.endswith(".py") and name != "__init__.py")
    assert names == sorted(portable.MODULES), "list every portable module in MODULES"
    return names


@pytest.mark.parametrize("module", _modules())
def test_imports_only_the_standard_library_numpy_and_each_other(module):
    with open(helpers.module_path(module)) as handle:
        tree = ast.parse(handle.read())
    earlier = portable.MODULES[:portable.MODULES.index(module) + 1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.partition(".")[0]
                where = "%s.py:%d" % (module, node.lineno)
                if top == "tensorflow":
                    assert module == "tfhandle", "%s: reach TensorFlow through tfhandle" % where
                elif top in OPTIONAL.get(module, ()):
                    assert node not in tree.body, "%s: an optional package, imported where it " \
                        "falls back" % where
                else:
                    assert top in sys.stdlib_module_names or top in THIRD_PARTY, where
                    assert node in tree.body, "%s: imports go at the top (one copy)" % where
        elif isinstance(node, ast.ImportFrom):
            where = "%s.py:%d" % (module, node.lineno)
            assert node in tree.body and not node.level, where
            if node.module.startswith("legacy_compat"):
                parts = node.module.split(".")
                assert parts[:2] == ["legacy_compat", "portable"] and len(parts) == 3, where
                assert parts[2] in earlier, "%s: use modules listed before it" % where
            else:
                assert node.module.partition(".")[0] in sys.stdlib_module_names, where


def test_the_package_imports_without_tensorflow():
    import subprocess
    code = ("import sys\nimport legacy_compat.portable as p\nfor m in p.MODULES:\n"
            "    __import__('legacy_compat.portable.' + m)\n"
            "assert 'tensorflow' not in sys.modules, 'imported TensorFlow'\n")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    subprocess.check_call([sys.executable, "-c", code], env=dict(os.environ, PYTHONPATH=root))


def test_one_argspec_helper():
    """The one place that asks inspect for a function's parameters."""
    root = os.path.dirname(os.path.abspath(portable.__file__ + "/.."))
    found = []
    for folder, _, names in os.walk(root):
        for name in names:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                with open(path) as handle:
                    if "getfullargspec" in handle.read():
                        found.append(os.path.relpath(path, root))
    assert found == [os.path.join("portable", "argspec.py")]
