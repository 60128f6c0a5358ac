"""Module-like views that resolve legacy dotted names through the tables in ``symbols``.

A view is a ``types.ModuleType`` that is never put in ``sys.modules``: only user code
that got it from the scoped ``__import__`` sees it, so TensorFlow's own modules keep
the real packages.  Real modules reached through a view are wrapped in a view too, so
that every later attribute walk (``tf.contrib.learn...``, ``import a.b.c as d`` on
Python 3.7+, which walks with getattr) still goes through the tables.
"""

import importlib
import sys
import threading
import types

from legacy_compat import tfapi
from legacy_compat.tables import keras_moves
from legacy_compat.tfview import keras_homes, surface, symbols

DOCS_PAGE = "docs/tf1-view.md"


class UnsupportedTF1Symbol(Exception):
    """Base of the errors for a legacy name the view does not provide."""

    def __init__(self, symbol, replacement):
        message = (
            "{0} is not available to legacy scripts on this TensorFlow "
            "(legacy-compat's TF 1.x view). Use instead: {1}. See {2}."
        ).format(symbol, replacement, DOCS_PAGE)
        super(UnsupportedTF1Symbol, self).__init__(message)
        self.symbol = symbol
        self.replacement = replacement


class UnsupportedTF1Attribute(UnsupportedTF1Symbol, AttributeError):
    """Raised on attribute access, so ``hasattr`` and ``getattr(x, n, default)`` still work."""


class UnsupportedTF1Import(UnsupportedTF1Symbol, ImportError):
    """Raised from the scoped ``__import__``; Python's own ``from x import y`` would turn
    an AttributeError into a generic "cannot import name" and lose the replacement."""


def target_name(spec):
    """A table's module name, with ``@keras`` / ``@keras.src`` (the Keras that
    ``model_to_estimator`` takes here, and its private package) made concrete."""
    if spec.startswith("@keras"):
        return keras_homes.concrete(spec)
    return spec


def load_provider(spec):
    """Load ``"module"`` or ``"module:attr.attr"``."""
    module_name, _, attrs = target_name(spec).partition(":")
    obj = importlib.import_module(module_name)
    for attr in attrs.split(".") if attrs else ():
        obj = getattr(obj, attr)
    return obj


def _missing_replacement(path, targets):
    where = " or ".join(t.replace(":", ".") for t in targets)
    releases = surface.releases_with(path)
    if not releases:
        return ("nothing: no recorded TensorFlow 1.x release ({0}) has this name and it does "
                "not exist in {1} either; check the spelling".format(
                    ", ".join(surface.RELEASES), where))
    return surface.describe_missing(path, releases, where)


def converter_equivalent(path):
    """The object ``legacy-compat convert`` would rewrite ``path`` to, or None.

    One table for both paths: a name the view's own tables refuse but the converter renames
    (``tf.contrib.data.shuffle_and_repeat`` -> ``tf.data.experimental.shuffle_and_repeat``,
    the tf_upgrade_v2 renames...) is the object the converted script would use.
    """
    # A converted script runs on Python 3.7+ only (the converter's target): before that there
    # is no converted equivalent to hand out.
    if not path.startswith("tensorflow.") or sys.version_info < (3, 7):
        return None
    # The rename tables are large; they load only for a name the view's own tables miss.
    from legacy_compat.tables import lookup
    canonical = "tf" + path[len("tensorflow"):]
    resolution = lookup.resolve(canonical)
    if resolution is None or resolution.kind != lookup.RENAME:
        return None
    written = [resolution.text] + canonical.split(".")[resolution.length:]
    obj = tfapi.tensorflow()
    for part in ".".join(written).split(".")[1:]:
        try:
            obj = getattr(obj, part)
        except Exception:
            return None
    return obj


class Resolver(object):
    """Turns legacy dotted names into objects, following ``symbols``' tables."""

    def __init__(self, provided=None, aliases=None, unsupported=None, homes=None):
        self._provided = symbols.PROVIDED if provided is None else provided
        self._aliases = symbols.ALIASES if aliases is None else aliases
        self._unsupported = symbols.UNSUPPORTED if unsupported is None else unsupported
        self._keras_homes = symbols.KERAS_HOMES if homes is None else homes
        self._cache = {}
        self._lock = threading.RLock()
        # Every strict prefix of a provided name is a package the view must synthesise
        # (tensorflow.contrib.learn.datasets has no real counterpart on TF 2).
        self._namespaces = set()
        # So are the strict prefixes of an alias (tensorflow.contrib.keras.python on TF 1.4).
        for name in list(self._provided) + list(self._aliases):
            parts = name.split(".")
            for end in range(1, len(parts)):
                self._namespaces.add(".".join(parts[:end]))
        self._rules = []
        for key in self._aliases:
            self._rules.append((key, len(key), "alias", key))
        for key in self._unsupported:
            if key.endswith(".*"):
                self._rules.append((key[:-2] + ".", len(key) - 1, "unsupported", key))
            else:
                self._rules.append((key, len(key), "unsupported", key))

    def resolve(self, path):
        """Return the object for a legacy dotted name, or raise UnsupportedTF1Attribute."""
        with self._lock:
            try:
                return self._cache[path]
            except KeyError:
                pass
            try:
                obj = self._lookup(path)
            except UnsupportedTF1Attribute:
                obj = converter_equivalent(path)
                if obj is None:
                    raise
            if isinstance(obj, types.ModuleType) and not isinstance(obj, View):
                obj = View(path, self, obj)
            self._cache[path] = obj
            return obj

    def children(self, path):
        """Names the tables add directly below ``path`` (for ``dir()``)."""
        prefix = path + "."
        names = set()
        for name in list(self._provided) + list(self._aliases):
            if name.startswith(prefix):
                names.add(name[len(prefix):].split(".")[0])
        return names

    def _rule_for(self, path):
        best = None
        for match, length, kind, key in self._rules:
            hit = path.startswith(match) if match.endswith(".") else (
                path == match or path.startswith(match + "."))
            if hit and (best is None or length > best[0]):
                best = (length, kind, key)
        return (None, None) if best is None else best[1:]

    def _lookup(self, path):
        if path in self._provided:
            return load_provider(self._provided[path][0])
        moved = self._moved_keras_module(path)
        if moved is not None and moved[1]:
            return moved[0]()  # the real module lacks names scripts used (optimizers.rmsprop)
        kind, key = self._rule_for(path)
        if kind == "alias" and moved is not None and path not in self._namespaces:
            try:
                return self._alias_target(path, key)  # the real module when it still exists
            except UnsupportedTF1Attribute:
                return moved[0]()
        if path in self._namespaces:
            target = None
            if kind == "alias":
                try:
                    target = self._alias_target(path, key)
                except UnsupportedTF1Attribute:
                    pass  # tensorflow.contrib: only our own names live there
            return View(path, self, target)
        if kind == "alias":
            return self._alias_target(path, key)
        if kind == "unsupported":
            raise UnsupportedTF1Attribute(path, self._unsupported[key])
        raise UnsupportedTF1Attribute(path, _missing_replacement(path, ()))

    def _moved_keras_module(self, path):
        """(build function, whether it must be built) for a moved module of an old Keras home."""
        for home in self._keras_homes:
            if path.startswith(home + "."):
                rest = path[len(home) + 1:]
                if rest in keras_moves.MOVED:
                    build = (lambda: keras_homes.build(home, rest))
                    return build, bool(keras_moves.MOVED[rest][1])
        return None

    def _alias_target(self, path, key):
        targets = self._aliases[key][0]
        if path == key:
            errors = []
            for spec in targets:
                try:
                    return load_provider(spec)
                except (ImportError, AttributeError) as error:
                    errors.append("{0}: {1}".format(spec, error))
            raise UnsupportedTF1Attribute(
                path, "nothing: its target cannot be loaded here ({0})".format("; ".join(errors)))
        parent_path, _, name = path.rpartition(".")
        parent = self.resolve(parent_path)
        target = parent._tf1view_target if isinstance(parent, View) else parent
        if target is not None:
            try:
                return _attribute(target, name)
            except AttributeError:
                pass
        rest = path[len(key) + 1:]
        for spec in targets:
            if ":" in spec:
                continue
            try:
                return importlib.import_module(target_name(spec) + "." + rest)
            except ImportError:
                continue
        raise UnsupportedTF1Attribute(path, _missing_replacement(path, targets))


def _attribute(target, name):
    """``getattr(target, name)`` without TF 2's "The name tf.X is deprecated. Please use
    tf.compat.v1.X" check of its API modules.

    The view already is tf.compat.v1, so the notice would be wrong, and it is dear: TF
    finds the caller with ``inspect.stack()``, which reads the source of every frame and
    resolves the real path of every loaded module (about 3,000) the first time. A hand-
    written script walking ``tf.compat.v1`` itself hits names TF has loaded already.
    """
    module = target
    if type(target).__name__ == "LazyLoader" and hasattr(target, "_load"):
        module = target._load()  # what LazyLoader.__getattr__ would do first
    try:
        wrapped = object.__getattribute__(module, "_tfmw_wrapped_module")
    except AttributeError:  # not one of TF's module wrappers (TF 1.x, a plain module)
        return getattr(target, name)
    try:
        return getattr(wrapped, name)
    except AttributeError:  # a name the wrapper imports on first use
        return getattr(target, name)


class View(types.ModuleType):
    """A legacy package as user code sees it; ``_tf1view_target`` is the real object or None."""

    def __init__(self, path, resolver, target):
        types.ModuleType.__init__(self, path, getattr(target, "__doc__", None))
        self._tf1view_path = path
        self._tf1view_resolver = resolver
        self._tf1view_target = target

    def __getattr__(self, name):
        if name.startswith("__") and name.endswith("__"):
            return self._dunder(name)
        value = self._tf1view_resolver.resolve(self._tf1view_path + "." + name)
        # Later lookups then skip __getattr__ entirely.
        self.__dict__[name] = value
        return value

    def _dunder(self, name):
        target = self._tf1view_target
        if target is not None and hasattr(target, name):
            return getattr(target, name)
        if name == "__all__":
            # ``from tensorflow import *`` walks __all__ when there is one; without it
            # Python would only see the names this view happens to have cached.
            return sorted(n for n in dir(self) if not n.startswith("_"))
        raise AttributeError("{0!r} has no attribute {1!r}".format(self, name))

    def __dir__(self):
        names = set(self._tf1view_resolver.children(self._tf1view_path))
        if self._tf1view_target is not None:
            names.update(dir(self._tf1view_target))
        return sorted(names)

    def __repr__(self):
        target = self._tf1view_target
        real = getattr(target, "__name__", None) if target is not None else None
        return "<TF 1.x view {0!r} of {1}>".format(
            self._tf1view_path, repr(real) if real else "legacy-compat's tables")
