"""Record the TF 1.x surface a legacy script can import, from the installed real release.

Run with the interpreter of a TF 1.x matrix cell::

    .nox/matrix-tf1.4.1-py2.7/bin/python tests/matrix/probes/tf1_surface.py \
        legacy_compat/tfview/surface/tf1.4.1.json

Output: one JSON object, one module per line (so that a release bump is a readable diff)::

    {"tf": "1.4.1", "python": "2.7",
     "modules": {"tensorflow": [public non-module names...], "tensorflow.contrib.learn": [...], ...},
     "aliases": {"tensorflow.contrib.keras.layers": "tensorflow.keras.layers", ...},
     "absent": {"tensorflow.contrib.keras.python.keras": "ImportError: ..."}}

Every key of ``modules`` is a dotted path as user code spells it (``tensorflow.x.y``); a module
that is reachable has its own key, so the keys are also the list of importable / reachable
modules.  What is recorded:

* the public API: every module reachable from ``tensorflow`` by public attribute access
  (``tf.*``, ``tf.contrib.*`` included: the lazy ``tf.contrib`` is loaded), with every public
  name in it;
* the private homes that Legacy Mode era scripts imported (``PRIVATE`` below, chosen and
  documented in docs/tf1-surface.md): each listed module's own public names, and for the
  ``PRIVATE_TREES`` every submodule below the package as well.

Python 2.7 compatible; the result depends only on the installed TensorFlow.
"""
from __future__ import print_function

import importlib
import json
import os
import pkgutil
import sys
import types
import warnings

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# Packages recorded with every submodule below them (real package layout).
PRIVATE_TREES = [
    # Keras homes: TF 1.0-1.3 (absent from every recorded release; its layout is the 1.4-1.8
    # one, moved), TF 1.4-1.8, and TF 1.9+.
    "tensorflow.contrib.keras.python.keras",
    "tensorflow.python.keras._impl.keras",
    "tensorflow.python.keras",
    # The estimator and its export helpers, as the serving functions of that era imported them.
    "tensorflow.python.estimator",
    "tensorflow.python.saved_model",
    "tensorflow.python.feature_column",
]

# Single modules recorded with their own public names.
PRIVATE = [
    "tensorflow.python.training.training",
    "tensorflow.python.training.training_util",
    "tensorflow.python.training.session_run_hook",
    "tensorflow.python.training.basic_session_run_hooks",
    "tensorflow.python.training.adam",
    "tensorflow.python.training.adagrad",
    "tensorflow.python.training.ftrl",
    "tensorflow.python.training.gradient_descent",
    "tensorflow.python.training.momentum",
    "tensorflow.python.training.rmsprop",
    "tensorflow.python.training.saver",
    "tensorflow.python.platform.tf_logging",
    "tensorflow.python.platform.gfile",
    "tensorflow.python.lib.io.file_io",
    "tensorflow.python.client.device_lib",
    "tensorflow.python.framework.ops",
    "tensorflow.python.framework.dtypes",
    "tensorflow.python.framework.constant_op",
    "tensorflow.python.framework.tensor_shape",
    "tensorflow.python.framework.errors",
    "tensorflow.python.ops.array_ops",
    "tensorflow.python.ops.math_ops",
    "tensorflow.python.ops.init_ops",
    "tensorflow.python.ops.variable_scope",
    "tensorflow.python.ops.control_flow_ops",
    "tensorflow.python.ops.nn",
    "tensorflow.python.ops.metrics",
    "tensorflow.python.ops.parsing_ops",
    "tensorflow.python.ops.lookup_ops",
    "tensorflow.python.summary.summary",
    "tensorflow.contrib.learn.python.learn.learn_runner",
    "tensorflow.contrib.learn.python.learn.experiment",
    "tensorflow.contrib.learn.python.learn.datasets.base",
    "tensorflow.contrib.learn.python.learn.utils.input_fn_utils",
    "tensorflow.contrib.learn.python.learn.utils.saved_model_export_utils",
    "tensorflow.contrib.learn.python.learn.estimators.model_fn",
    "tensorflow.contrib.learn.python.learn.estimators.run_config",
    "tensorflow.contrib.learn.python.learn.estimators.estimator",
    "tensorflow.contrib.layers.python.layers.layers",
    "tensorflow.contrib.layers.python.layers.optimizers",
    "tensorflow.contrib.layers.python.layers.initializers",
    "tensorflow.contrib.layers.python.layers.regularizers",
    "tensorflow.contrib.layers.python.layers.feature_column",
    "tensorflow.contrib.framework.python.ops.variables",
    "tensorflow.contrib.training.python.training.hparam",
    "tensorflow.contrib.data.python.ops.dataset_ops",
    "tensorflow.contrib.data.python.ops.readers",
    "tensorflow.contrib.data.python.ops.batching",
    "tensorflow.contrib.metrics.python.ops.metric_ops",
    "tensorflow.contrib.rnn.python.ops.rnn_cell",
    "tensorflow.contrib.slim.python.slim.learning",
]

MAX_DEPTH = 6
# Reachable from ``tf`` but implementation, not API (the SWIG wrapper, protobuf modules, tools).
NOT_API = ("tensorflow.pywrap_tensorflow", "tensorflow.core", "tensorflow.tools",
           "tensorflow.python")


def _public(module):
    try:
        names = dir(module)
    except Exception:  # a broken lazy loader
        return []
    return [n for n in names if not n.startswith("_")]


def _is_future_feature(value):
    # __future__._Feature is an old-style class on Python 2: type() would say "instance".
    cls = getattr(value, "__class__", None)
    return getattr(cls, "__name__", None) == "_Feature" and \
        getattr(cls, "__module__", None) == "__future__"


def _names_and_children(module, path, absent):
    names, children = [], []
    for name in _public(module):
        try:
            value = getattr(module, name)
        except Exception as error:  # lazy loaders and deprecated attributes raise anything
            absent[path + "." + name] = "%s: %s" % (type(error).__name__, error)
            continue
        if isinstance(value, types.ModuleType):
            children.append((name, value))
        elif not _is_future_feature(value):
            names.append(name)
    return sorted(names), children


def _part_of_api(path, child):
    """Whether a module attribute is API rather than an implementation module left behind.

    contrib packages that skipped ``remove_undocumented`` expose every module their
    ``__init__`` imported (``tf.contrib.slim.array_ops``); a child counts only when it lives
    in the same contrib package (``tf.contrib.slim.learning`` is
    ``tensorflow.contrib.slim.python.slim.learning``).
    """
    real = getattr(child, "__name__", "")
    if not real.startswith("tensorflow"):
        return False  # tf.* exposes e.g. ``np`` or ``six`` on old releases
    if path in NOT_API:
        return False
    parts = path.split(".")
    if parts[:2] == ["tensorflow", "contrib"] and len(parts) >= 3:
        return real.startswith(".".join(parts[:3]) + ".") or real == ".".join(parts[:3])
    return True


def public_surface(tf, modules, aliases, absent):
    """Every module reachable from ``tensorflow`` by public attributes (the tf.* API).

    Breadth first, so each module object is recorded once, under its shortest path; other
    paths to the same object go to ``aliases``.
    """
    seen = {id(tf): "tensorflow"}
    queue = [("tensorflow", tf)]
    while queue:
        path, module = queue.pop(0)
        names, children = _names_and_children(module, path, absent)
        modules[path] = names
        if path.count(".") >= MAX_DEPTH:
            continue
        for name, child in children:
            child_path = path + "." + name
            if not _part_of_api(child_path, child):
                continue
            if id(child) in seen:
                if seen[id(child)] != child_path:
                    aliases[child_path] = seen[id(child)]
                continue
            seen[id(child)] = child_path
            queue.append((child_path, child))


def _import(name, absent):
    try:
        return importlib.import_module(name)
    except Exception as error:
        absent[name] = "%s: %s" % (type(error).__name__, error)
        return None


def private_tree(root, modules, absent):
    package = _import(root, absent)
    if package is None:
        return
    pending = [(root, package)]
    while pending:
        path, module = pending.pop()
        if path in modules:
            continue
        modules[path] = sorted(
            n for n in _public(module)
            if not isinstance(getattr(module, n, None), types.ModuleType)
            and not _is_future_feature(getattr(module, n, None)))
        for _, name, _ in pkgutil.iter_modules(getattr(module, "__path__", None) or []):
            if name.startswith("_") and path + "." + name != "tensorflow.python.keras._impl":
                continue
            if name in ("tests", "test") or name.endswith("_test"):
                continue
            child = _import(path + "." + name, absent)
            if child is not None:
                pending.append((path + "." + name, child))


def private_module(name, modules, absent):
    module = _import(name, absent)
    if module is not None and name not in modules:
        modules[name] = sorted(
            n for n in _public(module)
            if not isinstance(getattr(module, n, None), types.ModuleType)
            and not _is_future_feature(getattr(module, n, None)))


def collect():
    warnings.simplefilter("ignore")
    import tensorflow as tf
    tf.logging.set_verbosity(tf.logging.ERROR)
    modules, aliases, absent = {}, {}, {}
    public_surface(tf, modules, aliases, absent)
    for root in PRIVATE_TREES:
        private_tree(root, modules, absent)
    for name in PRIVATE:
        private_module(name, modules, absent)
    # A name recorded as absent that another walk reached after all is not absent.
    absent = dict((k, v) for k, v in absent.items() if k not in modules)
    aliases = dict((k, v) for k, v in aliases.items() if k not in modules)
    return {"tf": tf.__version__, "python": "%d.%d" % sys.version_info[:2],
            "modules": modules, "aliases": aliases, "absent": absent}


def dumps(surface):
    """One module per line, keys sorted."""
    lines = ["{", '"tf": %s,' % json.dumps(surface["tf"]),
             '"python": %s,' % json.dumps(surface["python"]), '"modules": {']
    items = sorted(surface["modules"].items())
    for i, (path, names) in enumerate(items):
        lines.append("%s: %s%s" % (json.dumps(path), json.dumps(names),
                                   "," if i < len(items) - 1 else ""))
    lines.append("},")
    lines.append('"aliases": {')
    items = sorted(surface["aliases"].items())
    for i, (path, target) in enumerate(items):
        lines.append("%s: %s%s" % (json.dumps(path), json.dumps(target),
                                   "," if i < len(items) - 1 else ""))
    lines.append("},")
    lines.append('"absent": {')
    items = sorted(surface["absent"].items())
    for i, (path, why) in enumerate(items):
        lines.append("%s: %s%s" % (json.dumps(path), json.dumps(why[:300]),
                                   "," if i < len(items) - 1 else ""))
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv):
    surface = collect()
    text = dumps(surface)
    if len(argv) > 1:
        with open(argv[1], "w") as out:
            out.write(text)
        print("wrote %d modules, %d names to %s" % (
            len(surface["modules"]), sum(len(v) for v in surface["modules"].values()), argv[1]))
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
