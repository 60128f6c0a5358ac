"""Loading the user's script (and the helper modules next to it).

The script is imported as a module, as the legacy container did, but:

* it is checked statically first, so a missing function or a syntax error is
  reported before TensorFlow is even imported;
* on Python 3 a Python 2-only script is translated in memory (py2translate);
* the script and its sibling modules run with the interpreter's own builtins
  (no restricted mode on Python 2) and are marked so that their imports give
  them the TF 1.x view (legacy_compat.tfview.scope), while TensorFlow's own
  modules keep seeing the real ``tensorflow``.
"""

import ast
import io
import logging
import os
import re
import sys
import types

import six
from six.moves import builtins

from legacy_compat import contract, py2translate
from legacy_compat.errors import ScriptContractError
from legacy_compat.tfview import make_scoped_import, scope

logger = logging.getLogger("legacy_compat")


class SourceFile(object):
    """A user source file ready to execute: Python-3-compatible text plus what we did to it."""

    def __init__(self, path, text, rewrites):
        self.path = path
        self.text = text
        self.rewrites = rewrites

    @property
    def translated(self):
        return self.rewrites is not None


def read_source(path):
    """Read and, if needed, translate one source file; raise ScriptContractError if it does not parse."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read()
    except IOError as error:
        raise ScriptContractError(path, None, "cannot read the script (%s)" % error.strerror,
                                  hint="check the path passed to legacy-compat train; in a "
                                       "container, check that the hyperparameter "
                                       "sagemaker_program names a file in the code directory")
    if b"\0" in raw:
        raise ScriptContractError(path, None, "this is a binary file, not a Python script",
                                  hint="pass the .py training script")
    text = _decode(path, raw)
    try:
        compile(text, path, "exec", dont_inherit=True)
        return SourceFile(path, text, None)
    except SyntaxError as error:
        if six.PY2:
            raise _syntax_error(path, error)
        py3_error = error
    try:
        translated, rewrites = py2translate.translate(text, path)
        compile(translated, path, "exec", dont_inherit=True)
    except (py2translate.TranslationError, SyntaxError):
        raise _syntax_error(path, py3_error)
    logger.warning("%s is Python 2 code: translated it in memory for Python %d.%d "
                   "(the file on disk is unchanged). Rewrites: %s",
                   path, sys.version_info[0], sys.version_info[1],
                   ", ".join("line %s %s" % (r.line, r.fixer) for r in rewrites) or "none")
    return SourceFile(path, translated, rewrites)


def _decode(path, raw):
    if six.PY2:
        return raw
    import tokenize
    try:
        encoding, _ = tokenize.detect_encoding(io.BytesIO(raw).readline)
        return raw.decode(encoding)
    except (SyntaxError, UnicodeDecodeError, LookupError) as error:
        raise ScriptContractError(path, None, "cannot decode the script: %s" % error,
                                  hint="save it as UTF-8 or declare its encoding "
                                       "with a '# -*- coding: ... -*-' line")


def _syntax_error(path, error):
    text = (error.text or "").strip()
    return ScriptContractError(
        path, None,
        "the script does not parse as Python 3 or Python 2: %s" % error.msg,
        expected="a Python 2.7 or 3 source file" + (" (offending line: %r)" % text if text else ""),
        hint="fix the syntax error at the line shown; no TensorFlow graph was built",
        line=error.lineno)


def check_contract(source, evaluate=True):
    """Check statically that the Legacy Mode functions are defined.

    Returns the names of the top-level functions found. Names that could come
    from ``from x import *`` are not checked here; the loaded module is
    checked again by the caller (``contract.require_module_functions``).
    """
    tree = ast.parse(source.text, source.path)
    defined = {}
    star_import = False
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            defined[node.name] = node.lineno
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    defined[target.id] = node.lineno
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                if alias.name == "*":
                    star_import = True
                else:
                    defined[(alias.asname or alias.name).split(".")[0]] = node.lineno
    if not star_import:
        contract.require_functions(source.path, lambda name: name in defined, evaluate)
    return defined


# What os.path.abspath would change in an absolute folder: "//", "/./", "/../", a trailing
# separator, "." or "..", and the other separator where there is one (Windows).
_UNNORMALISED = re.compile(r"(?:{0}{0}|{0}\.\.?(?:{0}|$)|{0}${1})".format(
    re.escape(os.sep), "|" + re.escape(os.altsep) if os.altsep else ""))


class _UserCodeImporter(object):
    """Loads modules that live in the user's code directory as user modules (scoped import).

    Implements both the Python 2 (find_module/load_module) and Python 3
    (find_spec/exec_module) import protocols: the runtime runs on both.
    """

    def __init__(self, code_dir, scoped_import):
        self.code_dir = os.path.abspath(code_dir)
        self.scoped_import = scoped_import

    def _outside(self, path):
        """True when no folder of a package's search path can be in the code directory.

        Every module TensorFlow imports (about 3,000) asks this importer first: a string
        test on its package's absolute folders answers without building paths (about
        7 ms of the 10 ms the look-ups took on TF 2.15). A folder that is relative, or
        that normalising could move (``..``, doubled separators), is left to the full
        comparison.
        """
        code_dir = self.code_dir
        for folder in path:
            if folder.startswith(code_dir) or not os.path.isabs(folder) or \
                    _UNNORMALISED.search(folder):
                return False
        return True

    def _locate(self, fullname, path=None):
        if path is not None and self._outside(path):
            return None, False
        parts = fullname.split(".")
        base = os.path.join(self.code_dir, *parts)
        if path is not None and os.path.dirname(base) not in [os.path.abspath(p) for p in path]:
            # A submodule of a package that is not in the code directory (every module
            # TensorFlow imports): no file system look-up.
            return None, False
        if os.path.isfile(os.path.join(base, "__init__.py")):
            return os.path.join(base, "__init__.py"), True
        if os.path.isfile(base + ".py"):
            return base + ".py", False
        return None, False

    # Python 3
    def find_spec(self, fullname, path=None, target=None):
        location, is_package = self._locate(fullname, path)
        if location is None:
            return None
        import importlib.util
        return importlib.util.spec_from_file_location(
            fullname, location, loader=self,
            submodule_search_locations=[os.path.dirname(location)] if is_package else None)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        execute(read_source(module.__spec__.origin), module, self.scoped_import)

    # Python 2
    def find_module(self, fullname, path=None):
        location, _ = self._locate(fullname, path)
        return self if location is not None else None

    def load_module(self, fullname):
        if fullname in sys.modules:
            return sys.modules[fullname]
        location, is_package = self._locate(fullname)
        module = types.ModuleType(fullname)
        module.__file__ = location
        module.__loader__ = self
        if is_package:
            module.__path__ = [os.path.dirname(location)]
            module.__package__ = fullname
        else:
            module.__package__ = fullname.rpartition(".")[0]
        sys.modules[fullname] = module
        try:
            execute(read_source(location), module, self.scoped_import)
        except BaseException:
            del sys.modules[fullname]
            raise
        return module


def execute(source, module, scoped_import):
    # The interpreter's own builtins dict: any other one puts CPython 2 in restricted mode.
    module.__dict__["__builtins__"] = builtins.__dict__
    scope.mark(module.__dict__, scoped_import)
    code = compile(source.text, source.path, "exec", dont_inherit=True)
    six.exec_(code, module.__dict__)


def user_import():
    """Install the import dispatcher; return a new scoped import for one job's user modules."""
    scope.install()
    return make_scoped_import(scope.real_import())


def load(source, code_dir=None):
    """Import the checked ``source`` as a module, legacy-container style.

    The module is registered in ``sys.modules`` under the script's base name,
    and its directory is searched first for helper modules.
    """
    code_dir = code_dir or os.path.dirname(source.path)
    scoped_import = user_import()
    importer = _UserCodeImporter(code_dir, scoped_import)
    sys.meta_path.insert(0, importer)
    if code_dir not in sys.path:
        sys.path.insert(0, code_dir)
    name = os.path.splitext(os.path.basename(source.path))[0]
    module = types.ModuleType(name)
    module.__file__ = source.path
    sys.modules[name] = module
    execute(source, module, scoped_import)
    return module
