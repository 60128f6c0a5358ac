"""How much of the recorded TF 1.x surface each path gives a legacy script on TF 2.x.

Every name recorded in ``surface/tf<release>.json`` is resolved twice on the installed
TensorFlow 2.x:

* through the TF 1.x view (what ``legacy-compat train`` gives the script);
* through the converter's tables (what ``legacy-compat convert`` writes), then, for a rename,
  by looking the written name up on the real ``tensorflow``.

Each gets one status: ``tf`` (TensorFlow provides it), ``ours`` (a legacy-compat stand-in
provides it), ``refused`` (an error that says what to use instead) or ``missing``.

    python -m legacy_compat.tfview.coverage     # rewrites surface/coverage.json (TF 2.15.1)

``docs.py`` renders the result into docs/tf1-view.md; tests/unit/test_tfview_surface.py and
tests/matrix/test_surface_coverage.py recompute it.  Python 3 and TensorFlow 2.x only
(development tooling: nothing the runtime imports).
"""

import importlib
import io
import json
import os
import sys
import types
import warnings

from legacy_compat import tfapi
from legacy_compat.tables import lookup
from legacy_compat.tfview import surface, symbols
from legacy_compat.tfview.view import Resolver, UnsupportedTF1Symbol, View

PINNED_TF = "2.15.1"
OUTPUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "surface", "coverage.json")
STATUSES = ("tf", "ours", "refused", "missing")
PROVIDED_STATUSES = ("tf", "ours")

# TF 1.0-1.3 kept Keras at tensorflow.contrib.keras.python.keras; TF 1.4 moved that package
# unchanged to tensorflow.python.keras._impl.keras.  No recorded release has the old home,
# so its names are taken from the 1.4 home (the oldest recorded release that has it).
DERIVED_HOMES = {
    "tensorflow.contrib.keras.python.keras": "tensorflow.python.keras._impl.keras",
}


def surface_names(releases=None):
    """{dotted name: [releases]} for every recorded module and name (aliases expanded)."""
    found = {}
    for release in releases or surface.RELEASES:
        data = surface.load(release)
        modules = dict(data["modules"])
        for alias, target in data.get("aliases", {}).items():
            modules.setdefault(alias, modules.get(target, []))
        for old, source in DERIVED_HOMES.items():
            if old in modules:
                continue
            for path in list(modules):
                if path == source or path.startswith(source + "."):
                    modules.setdefault(old + path[len(source):], modules[path])
        for path, names in modules.items():
            found.setdefault(path, set()).add(release)
            for name in names:
                found.setdefault(path + "." + name, set()).add(release)
    return dict((k, sorted(v, key=surface._version_key)) for k, v in found.items())


def group_of(path):
    """The row of the coverage table a name counts in."""
    for home in sorted(symbols.KERAS_HOMES, key=len, reverse=True):
        if path == home or path.startswith(home + "."):
            return home
    parts = path.split(".")
    if parts[:2] in (["tensorflow", "contrib"], ["tensorflow", "python"]):
        return ".".join(parts[:3])
    if len(parts) == 2:
        return "tensorflow"
    return ".".join(parts[:2])


def _is_ours(obj):
    if isinstance(obj, types.ModuleType):
        if isinstance(obj, View):
            if obj._tf1view_target is None:
                return True
            obj = obj._tf1view_target
        return (obj.__name__ or "").startswith("legacy_compat") or \
            (obj.__doc__ or "").startswith("legacy-compat:")
    module = getattr(obj, "__module__", None) or ""
    return module.startswith("legacy_compat")


def classify_view(resolver, path):
    """(status, detail) of ``path`` through the TF 1.x view."""
    try:
        obj = resolver.resolve(path)
    except UnsupportedTF1Symbol as error:
        kind, key = resolver._rule_for(path)
        if kind == "unsupported":
            return "refused", key
        return "missing", None
    except Exception as error:  # an import inside TensorFlow failed
        return "missing", "{0}: {1}".format(type(error).__name__, error)[:200]
    return ("ours" if _is_ours(obj) else "tf"), None


def _real_lookup(tf, canonical):
    obj = tf
    for part in canonical.split(".")[1:]:
        obj = getattr(obj, part)
    return obj


def classify_converter(tf, path):
    """(status, detail) of ``path`` in a converted script (``import tensorflow as tf``)."""
    canonical = "tf" + path[len("tensorflow"):]
    if canonical == "tf":
        return "tf", None
    resolution = lookup.resolve(canonical)
    parts = canonical.split(".")
    if resolution is None:
        written = canonical
    elif resolution.kind == lookup.UNCONVERTIBLE:
        return "refused", resolution.suggestion or resolution.text
    elif resolution.kind == lookup.HELPER:
        if resolution.length == len(parts):
            return "ours", resolution.text
        return "missing", None
    else:
        written = ".".join([resolution.text] + parts[resolution.length:])
    try:
        _real_lookup(tf, written)
    except Exception:
        return "missing", None if written == canonical else written
    return "tf", None


def measure(releases=None):
    """The coverage of every recorded name, as the JSON-able dict stored in coverage.json."""
    warnings.simplefilter("ignore")
    tf = tfapi.tensorflow()
    tfapi.enter_graph_mode()
    resolver = Resolver()
    names = surface_names(releases)
    groups = {}
    view_status, converter_status = {}, {}
    for path in sorted(names):
        view_status[path] = classify_view(resolver, path)
        converter_status[path] = classify_converter(tf, path)
    for path in sorted(names):
        row = groups.setdefault(group_of(path), {
            "names": 0, "view": dict((s, 0) for s in STATUSES),
            "convert": dict((s, 0) for s in STATUSES), "disagree": 0})
        row["names"] += 1
        row["view"][view_status[path][0]] += 1
        row["convert"][converter_status[path][0]] += 1
        if (view_status[path][0] in PROVIDED_STATUSES) != \
                (converter_status[path][0] in PROVIDED_STATUSES):
            row["disagree"] += 1
    disagree = [p for p in names if (view_status[p][0] in PROVIDED_STATUSES) !=
                (converter_status[p][0] in PROVIDED_STATUSES)]
    return {
        "tf": tf.__version__,
        "releases": list(releases or surface.RELEASES),
        "groups": groups,
        "view": _by_module((p, s[0]) for p, s in view_status.items() if s[0] != "tf"),
        # Only where the converter's status differs from the view's (most names agree).
        "convert": _by_module((p, s[0]) for p, s in converter_status.items()
                              if s[0] != view_status[p][0]),
        "disagree": _by_module((p, "names") for p in disagree),
    }


def _by_module(pairs):
    """{parent module: {status: [leaf names]}}: the compact form stored in coverage.json."""
    out = {}
    for path, status in pairs:
        parent, _, leaf = path.rpartition(".")
        out.setdefault(parent, {}).setdefault(status, []).append(leaf)
    for entry in out.values():
        for leaves in entry.values():
            leaves.sort()
    return out


def converter_statuses(coverage):
    """{dotted name: status} of the converter for every name that is not plain ``tf``."""
    view = expand(coverage["view"])
    differs = expand(coverage["convert"])
    out = dict((p, s) for p, s in view.items() if p not in differs)
    out.update(differs)
    return dict((p, s) for p, s in out.items() if s != "tf")


def expand(by_module):
    """{dotted name: status} from the compact form."""
    out = {}
    for parent, entry in by_module.items():
        for status, leaves in entry.items():
            for leaf in leaves:
                out[parent + "." + leaf] = status
    return out


def dumps(coverage):
    """Sorted keys, one entry per line, so a change is a readable diff."""
    lines = ["{"]
    keys = sorted(coverage)
    for i, key in enumerate(keys):
        value = coverage[key]
        comma = "," if i < len(keys) - 1 else ""
        if isinstance(value, dict):
            lines.append("{0}: {{".format(json.dumps(key)))
            items = sorted(value.items())
            for j, (k, v) in enumerate(items):
                lines.append("{0}: {1}{2}".format(json.dumps(k), json.dumps(v, sort_keys=True),
                                                  "," if j < len(items) - 1 else ""))
            lines.append("}" + comma)
        elif isinstance(value, list) and value and isinstance(value[0], str) and len(value) > 5:
            lines.append("{0}: [".format(json.dumps(key)))
            for j, item in enumerate(value):
                lines.append(json.dumps(item) + ("," if j < len(value) - 1 else ""))
            lines.append("]" + comma)
        else:
            lines.append("{0}: {1}{2}".format(json.dumps(key), json.dumps(value), comma))
    lines.append("}")
    return "\n".join(lines) + "\n"


def load():
    with io.open(OUTPUT, encoding="utf-8") as handle:
        return json.load(handle)


def main():
    tf = tfapi.tensorflow()
    if tf.__version__ != PINNED_TF:
        sys.exit("coverage.json is measured on TensorFlow {0}; this is {1}".format(
            PINNED_TF, tf.__version__))
    coverage = measure()
    with io.open(OUTPUT, "w", encoding="utf-8") as out:
        out.write(dumps(coverage))
    print("wrote {0} ({1} names)".format(
        OUTPUT, sum(g["names"] for g in coverage["groups"].values())))
    return 0


if __name__ == "__main__":
    sys.exit(main())
