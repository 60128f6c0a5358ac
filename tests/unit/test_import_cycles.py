"""No module of legacy_compat imports, directly or through others, a module that imports it back.

Static, over the AST of every module: an import inside a function counts as much as one at
the top, so moving an import into a function cannot hide a circle. Importing ``a.b.c`` also
runs ``a/__init__.py`` and ``a/b/__init__.py``, so those packages count as imported too.
"""

import ast
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PACKAGE = "legacy_compat"


def _modules():
    found = {}
    for folder, _, files in os.walk(os.path.join(ROOT, PACKAGE)):
        for name in files:
            if name.endswith(".py"):
                path = os.path.join(folder, name)
                dotted = os.path.relpath(path, ROOT)[:-3].replace(os.sep, ".")
                if dotted.endswith(".__init__"):
                    dotted = dotted[:-len(".__init__")]
                found[dotted] = path
    return found


def _known(modules, dotted):
    """The module of ours that importing ``dotted`` loads (``pkg.mod.Name`` -> ``pkg.mod``)."""
    while dotted and dotted not in modules:
        dotted = dotted.rpartition(".")[0]
    return dotted or None


def _imported(modules, name, path):
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    targets = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[:len(package.split(".")) - (node.level - 1)]
                base = ".".join(anchor + ([node.module] if node.module else []))
            targets.update(base + "." + alias.name for alias in node.names)
            targets.add(base)
    edges = set()
    for target in targets:
        module = _known(modules, target)
        if module is None:
            continue
        parts = module.split(".")
        # The packages above the target run first; the importer's own are already running.
        for end in range(1, len(parts) + 1):
            ancestor = ".".join(parts[:end])
            if ancestor != name and not name.startswith(ancestor + "."):
                edges.add(ancestor)
    return edges


def import_graph():
    modules = _modules()
    return dict((name, _imported(modules, name, path)) for name, path in modules.items())


def cycles(graph):
    """The strongly connected components of more than one module (Tarjan, iterative)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_import_cycles():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import circles (each line: the modules of one circle and whom they " \
        "import inside it):\n" + "\n".join(
            "; ".join("%s -> %s" % (m, ", ".join(sorted(graph[m] & set(c)))) for m in c)
            for c in found)


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set()}, []),
])
def test_the_check_finds_circles(graph, expected):
    assert cycles(graph) == expected


def test_function_level_and_package_imports_count(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from pkg import low\n")
    (package / "low.py").write_text("def f():\n    from pkg.high import thing\n")
    (package / "high.py").write_text("import pkg.low\n")
    modules = {"pkg": str(package / "__init__.py"), "pkg.low": str(package / "low.py"),
               "pkg.high": str(package / "high.py")}
    graph = dict((name, _imported(modules, name, path)) for name, path in modules.items())
    assert graph["pkg.low"] == {"pkg.high"}
    assert cycles(graph) == [["pkg.high", "pkg.low"]]


# The modules allowed to import TensorFlow (or the estimator and Keras packages that come with
# it) themselves: the one door, portable code's own handle (it is copied into converted scripts,
# where tfapi does not exist) and a developer tool that regenerates tables from an installed TF.
TENSORFLOW_DOORS = ("legacy_compat.tfapi", "legacy_compat.portable.tfhandle",
                    "legacy_compat.tables.generate_tf_tables")
TENSORFLOW_PACKAGES = ("tensorflow", "tensorflow_estimator", "tf_keras", "keras")


def _imports_tensorflow(path):
    with open(path) as handle:
        tree = ast.parse(handle.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            names = [node.module or ""]
        else:
            continue
        for name in names:
            if name.split(".")[0] in TENSORFLOW_PACKAGES:
                return node.lineno
    return None


def test_tensorflow_is_reached_through_tfapi_only():
    offenders = []
    for name, path in sorted(_modules().items()):
        if name.startswith("legacy_compat.convert.keras.keras_job"):
            continue  # written beside Keras-target scripts, which run on TensorFlow alone
        if any(name == door or name.startswith(door + ".") for door in TENSORFLOW_DOORS):
            continue
        line = _imports_tensorflow(path)
        if line:
            offenders.append("%s:%d" % (os.path.relpath(path, ROOT), line))
    assert not offenders, "TensorFlow imported past legacy_compat/tfapi: " + ", ".join(offenders)


def test_the_revival_a_converted_script_imports_stays_small():
    """A converted script for TF 2.16+ imports legacy_compat.estimator and nothing else of ours
    (tests/convert/conftest.py blocks the rest): the revival and the door it lives in may reach
    only each other and tfversion, never the runtime."""
    graph = import_graph()
    allowed = {"legacy_compat", "legacy_compat.tfversion", "legacy_compat.estimator"}
    door = set(name for name in graph if name.startswith("legacy_compat.tfapi"))
    for name in door | {"legacy_compat.estimator"}:
        assert graph[name] <= allowed | door, (name, sorted(graph[name] - allowed - door))
