"""User code runs with the interpreter's own builtins and still gets the TF 1.x view.

The view reaches user modules through a marker in their globals (legacy_compat.tfview.scope),
not through a private ``__builtins__``: on Python 2 that put user code in restricted mode.
"""

import builtins
import os
import subprocess
import sys

import pytest

from conftest import ROOT, example, script
from legacy_compat import userscript
from legacy_compat.tfview import scope

DATA = example("abalone", "data")
PLAIN = script("plain_python")
CHECKS = "open, function __dict__, class __dict__, generator, pickle, inspect"


@pytest.fixture
def hook():
    scope.install()
    yield
    scope.uninstall()


def recording(calls, answer):
    def scoped_import(name, *args, **kwargs):
        calls.append(name)
        return answer
    return scoped_import


def test_install_puts_the_dispatcher_on_builtins_and_uninstall_restores_the_original():
    original = builtins.__import__
    scope.install()
    scope.install()  # idempotent: the dispatcher does not wrap itself
    try:
        assert builtins.__import__ is scope._dispatch
        assert scope.real_import() is original
    finally:
        scope.uninstall()
    assert builtins.__import__ is original
    assert not scope.is_installed()


def test_only_marked_modules_get_their_scoped_import(hook):
    calls = []
    user = {"__builtins__": builtins.__dict__, "__name__": "user"}
    scope.mark(user, recording(calls, "the view"))
    other = {"__builtins__": builtins.__dict__, "__name__": "library"}
    code = compile("import json as imported\nbare = __import__('json')", "<test>", "exec")
    exec(code, user)
    exec(code, other)
    assert calls == ["json", "json"]
    assert user["imported"] == user["bare"] == "the view"
    assert other["imported"] is other["bare"] is sys.modules["json"]


def test_code_user_code_runs_in_a_fresh_namespace_gets_its_scoped_import(hook):
    calls = []
    user = {"__builtins__": builtins.__dict__, "__name__": "user"}
    scope.mark(user, recording(calls, "the view"))
    exec("namespace = {}\n"
         "exec('import json as imported', namespace)\n"
         "bare = __import__('json', {}, None, (), 0)\n"
         "module = {'__name__': 'other'}\n"
         "exec('import json as imported', module)", user)
    assert user["namespace"]["imported"] == user["bare"] == "the view"
    assert user["module"]["imported"] is sys.modules["json"]  # another module's globals
    assert calls == ["json", "json"]
    library = {"__builtins__": builtins.__dict__, "__name__": "library"}
    exec("namespace = {}\nexec('import json as imported', namespace)", library)
    assert library["namespace"]["imported"] is sys.modules["json"]


def test_a_stack_shallower_than_the_dispatcher_expects_is_not_an_error():
    # C code may import with no Python frame behind the dispatcher.
    assert scope._frame(10 ** 6) is None


def test_a_wrapper_installed_after_the_dispatcher_keeps_working_after_uninstall():
    original = builtins.__import__
    scope.install()
    seen = []

    def wrapper(name, *args, **kwargs):
        seen.append(name)
        return scope._dispatch(name, *args, **kwargs)

    builtins.__import__ = wrapper
    calls = []
    user = {"__builtins__": builtins.__dict__}
    scope.mark(user, recording(calls, None))
    try:
        scope.uninstall()  # cannot unwrap: the dispatcher only passes imports through now
        exec("import json", user)
        assert calls == [] and seen == ["json"] and user["json"] is sys.modules["json"]
        scope.install()  # delegates again, from inside the wrapper
        exec("import json", user)
        assert calls == ["json"]
    finally:
        builtins.__import__ = scope._dispatch  # the wrapper goes away
        scope.uninstall()
    assert builtins.__import__ is original


def test_install_again_after_another_library_restored_the_original():
    original = builtins.__import__
    scope.install()
    builtins.__import__ = original  # e.g. a library that saved and restored __import__
    try:
        scope.install()
        assert builtins.__import__ is scope._dispatch
    finally:
        scope.uninstall()
    assert builtins.__import__ is original


def test_loaded_user_module_has_the_real_builtins_and_the_view(tmp_path, hook):
    import tensorflow as real_tf

    path = tmp_path / "user_module_with_view.py"
    path.write_text("import tensorflow as tf\nplaceholder = tf.placeholder\n"
                    "def later():\n    import tensorflow\n    return tensorflow\n")
    module = userscript.load(userscript.read_source(str(path)))
    try:
        assert module.__builtins__ is builtins.__dict__
        assert module.tf is not real_tf and module.later() is module.tf
        assert module.placeholder is real_tf.compat.v1.placeholder
        assert sys.modules["tensorflow"] is real_tf
    finally:
        sys.modules.pop("user_module_with_view", None)
        sys.meta_path[:] = [f for f in sys.meta_path
                            if not isinstance(f, userscript._UserCodeImporter)]
        sys.path.remove(str(tmp_path))


def test_plain_python_script_under_legacy_compat_train(train):
    run = train(os.path.join(PLAIN, "plain_python.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "PLAIN-PYTHON plain_helpers: %s" % CHECKS in run.output
    assert "PLAIN-PYTHON plain_python: %s" % CHECKS in run.output
    assert len(run.exports()) == 1


def test_plain_python_script_under_import_legacy_compat_patch(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.run([sys.executable, os.path.join(PLAIN, "own_estimator.py"), DATA,
                           str(tmp_path / "model")], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, env=env, timeout=600)
    output = proc.stdout.decode("utf-8", "replace")
    assert proc.returncode == 0, output
    for module in ("plain_helpers", "plain_python", "__main__"):
        assert "PLAIN-PYTHON %s: %s" % (module, CHECKS) in output, output
    assert "PLAIN-PYTHON trained to step 5" in output


def test_tf_app_flags_in_user_code_do_not_see_legacy_compat_options(train):
    run = train(script("app_flags.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert len(run.exports()) == 1


def test_helper_modules_packages_and_namespace_packages_of_the_code_dir_get_the_view(
        tmp_path, hook):
    import tensorflow as real_tf

    code = tmp_path / "code"
    (code / "helpers").mkdir(parents=True)
    (code / "helpers" / "__init__.py").write_text("")
    (code / "helpers" / "sub.py").write_text("import tensorflow as tf\n")
    (code / "nsdir").mkdir()  # no __init__.py: a namespace package
    (code / "nsdir" / "mod.py").write_text("import tensorflow as tf\n")
    (code / "flat.py").write_text("import tensorflow as tf\n")
    (code / "entry.py").write_text(
        "import flat, helpers.sub, nsdir.mod, json.decoder\n"
        "views = [flat.tf, helpers.sub.tf, nsdir.mod.tf]\n")
    names = ("entry", "flat", "helpers", "helpers.sub", "nsdir", "nsdir.mod")
    try:
        module = userscript.load(userscript.read_source(str(code / "entry.py")))
        assert all(view is module.views[0] and view is not real_tf for view in module.views)
        assert scope.MARKER not in vars(sys.modules["json.decoder"])  # not user code
    finally:
        for name in names:
            sys.modules.pop(name, None)
        sys.meta_path[:] = [f for f in sys.meta_path
                            if not isinstance(f, userscript._UserCodeImporter)]
        sys.path.remove(str(code))
