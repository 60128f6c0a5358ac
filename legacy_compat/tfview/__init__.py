"""The TF 1.x view: what a legacy script's ``import tensorflow`` gives it on TF 2.x.

The runner marks user modules so that their imports go through an ``__import__`` made by
``make_scoped_import`` (see ``scope.py``), so the view is scoped to user code: ``sys.modules``
keeps the real ``tensorflow`` and ``numpy``, and TensorFlow's own modules never see the view.
Nothing here imports TensorFlow until user code imports it.
"""

import sys
import threading

from legacy_compat import contract, tfapi
from legacy_compat.tfview import scope, symbols
from legacy_compat.tfview.view import (
    Resolver, UnsupportedTF1Attribute, UnsupportedTF1Import, UnsupportedTF1Symbol, View)

try:
    import builtins as _builtins
except ImportError:  # Python 2
    import __builtin__ as _builtins

__all__ = [
    "make_scoped_import",
    "UnsupportedTF1Symbol",
    "UnsupportedTF1Attribute",
    "UnsupportedTF1Import",
]

# What a bare __import__(name) means: Python 2 tries an implicit relative import first.
_DEFAULT_LEVEL = -1 if sys.version_info[0] == 2 else 0


class _NumpyView(View):
    """numpy for user code, with the aliases NumPy 1.24 removed (contract.NUMPY_ALIASES; numpy itself is not patched)."""

    def __init__(self, numpy):
        View.__init__(self, "numpy", None, numpy)

    def __getattr__(self, name):
        builtin_names = contract.NUMPY_ALIASES.get(name)
        if builtin_names is not None:
            for builtin_name in builtin_names:
                if hasattr(_builtins, builtin_name):
                    return getattr(_builtins, builtin_name)
        if name.startswith("__") and name.endswith("__"):
            return self._dunder(name)
        return getattr(self._tf1view_target, name)

    def __dir__(self):
        return sorted(set(dir(self._tf1view_target)) | set(contract.NUMPY_ALIASES))


def _tf1_bridged(name):
    """Whether a failed import on real TF 1.x is one the TF1_ALIASES bridge (old Keras homes)."""
    return any(name == key or name.startswith(key + ".")
               for key in symbols.TF1_ALIASES if key != "tensorflow")


def _is_missing_module(error, name):
    missing = getattr(error, "name", None)
    if missing is not None:
        return missing == name
    return str(error).endswith(" " + name)  # Python 2: "No module named sagemaker_tensorflow"


class _ScopedImporter(object):
    """State behind one scoped ``__import__``: which roots get a view, built lazily."""

    def __init__(self, real_import):
        self._real_import = real_import
        self._resolver = Resolver()
        self._lock = threading.Lock()
        self._tf_view = None  # None: not decided yet
        self._numpy_view = None
        self._pipe_stand_in = None
        self._tf1_bridge = None

    def __call__(self, name, globals=None, locals=None, fromlist=(), level=0):
        root = name.partition(".")[0]
        # level > 0 is an explicit relative import of the user's own package; level -1
        # (Python 2 implicit relative) is treated as absolute for the roots we handle.
        if level <= 0 and root in ("tensorflow", "numpy", "sagemaker_tensorflow"):
            handler = getattr(self, "_import_" + root)
            return handler(name, globals, locals, fromlist, level)
        return self._real_import(name, globals, locals, fromlist, level)

    def _import_tensorflow(self, name, globals, locals, fromlist, level):
        if not self._tf_view_enabled():
            bridged = _tf1_bridged(name)
            try:
                module = self._real_import(name, globals, locals, fromlist, level)
            except ImportError:
                if not bridged:
                    raise
                return self._from_view(name, fromlist, self._tf1_resolver())
            if bridged and not fromlist:
                # ``import tensorflow.python.keras._impl.keras.x as y`` walks attributes from
                # ``tensorflow``, which on TF 1.x has no ``python`` attribute.
                return self._tf1_resolver().resolve("tensorflow")
            return module
        return self._from_view(name, fromlist)

    def _tf1_resolver(self):
        with self._lock:
            if self._tf1_bridge is None:
                self._tf1_bridge = Resolver(provided={}, aliases=symbols.TF1_ALIASES,
                                            unsupported={})
            return self._tf1_bridge

    def _import_numpy(self, name, globals, locals, fromlist, level):
        module = self._real_import(name, globals, locals, fromlist, level)
        if fromlist and name != "numpy":
            return module
        with self._lock:
            if self._numpy_view is None:
                import numpy
                self._numpy_view = _NumpyView(numpy)
        return self._numpy_view

    def _import_sagemaker_tensorflow(self, name, globals, locals, fromlist, level):
        if self._pipe_stand_in is None:
            try:
                return self._real_import(name, globals, locals, fromlist, level)
            except ImportError as error:
                if not _is_missing_module(error, "sagemaker_tensorflow"):
                    raise
                self._pipe_stand_in = True
                # The stand-in builds tf.data ops: graph mode, as if the script had imported
                # tensorflow first (most do, but the outcome must not hang on import order).
                self._tf_view_enabled()
        return self._from_view(name, fromlist)

    def _tf_view_enabled(self):
        with self._lock:
            if self._tf_view is None:
                tfapi.tensorflow()  # first: it revives tf.estimator on TF 2.16+
                self._real_import("tensorflow", None, None, (), 0)
                self._tf_view = tfapi.is_tf2()
                if self._tf_view:
                    tfapi.enter_graph_mode()
            return self._tf_view

    def _from_view(self, name, fromlist, resolver=None):
        # Raised outside the except block so the user sees one error, not a chain.
        resolver = resolver or self._resolver
        failure = None
        try:
            module = resolver.resolve(name)
            if not fromlist:
                return resolver.resolve(name.partition(".")[0])
            for item in fromlist:
                if item != "*":
                    getattr(module, item)
            return module
        except UnsupportedTF1Attribute as error:
            failure = UnsupportedTF1Import(error.symbol, error.replacement)
        raise failure


def make_scoped_import(real_import=None):
    """Return an __import__ replacement for user code (signature of builtins.__import__).

    ``tensorflow`` (on TF 2.x), ``numpy`` and, when the real package is missing,
    ``sagemaker_tensorflow`` resolve to views built from ``legacy_compat.tfview.symbols``;
    every other import goes to ``real_import`` (default: the builtin one, under
    ``scope``'s dispatcher if that is installed) unchanged.
    """
    if real_import is None:
        real_import = scope.real_import()
    importer = _ScopedImporter(real_import)

    def scoped_import(name, globals=None, locals=None, fromlist=(), level=_DEFAULT_LEVEL):
        return importer(name, globals, locals, fromlist, level)

    return scoped_import
