"""The TF 1.x surface recorded from the real releases, as data.

``tf<version>.json`` is written by ``tests/matrix/probes/tf1_surface.py`` run in that
release's matrix cell (see docs/tf1-surface.md): every module path a legacy script could
import or reach and the public names in it.  The view uses it to say, for a name it does
not provide, which releases had it; ``coverage.py`` measures the view and the converter
against it.
"""

import io
import json
import os
import re
import threading

_HERE = os.path.dirname(os.path.abspath(__file__))
_lock = threading.Lock()
_loaded = {}


def _version_key(text):
    return tuple(int(p) for p in re.findall(r"\d+", text))


def _releases():
    found = []
    for name in os.listdir(_HERE):
        match = re.match(r"^tf(\d+\.\d+\.\d+)\.json$", name)
        if match:
            found.append(match.group(1))
    return tuple(sorted(found, key=_version_key))


RELEASES = _releases()


def load(release):
    """{"tf", "python", "modules": {path: [names]}, "absent": {...}} for one release."""
    with _lock:
        if release not in _loaded:
            path = os.path.join(_HERE, "tf{0}.json".format(release))
            with io.open(path, encoding="utf-8") as handle:
                _loaded[release] = json.load(handle)
        return _loaded[release]


def has(release, path):
    """Whether ``path`` (``tensorflow.x.y``) was a module or a name in ``release``."""
    modules = load(release)["modules"]
    if path in modules:
        return True
    parent, _, leaf = path.rpartition(".")
    return leaf in modules.get(parent, ())


def releases_with(path):
    try:
        return [r for r in RELEASES if has(r, path)]
    except (IOError, OSError, ValueError):  # data not installed: say nothing rather than fail
        return []


def span(releases):
    """'TF 1.4.1 and 1.10.1', 'TF 1.4.1 (not in 1.10.1)', ... over the recorded releases."""
    if not releases:
        return "no recorded TF 1.x release"
    text = "TF " + " and ".join(releases)
    missing = [r for r in RELEASES if r not in releases]
    if missing:
        text += " (not in {0})".format(", ".join(missing))
    return text


def describe_missing(path, releases, where):
    how = ("the tf.compat.v1 / tf.keras equivalent (`tf_upgrade_v2`'s report names it), "
           "or `legacy-compat convert`, which says what it does with this name")
    where_text = " ({0} no longer has it)".format(where) if where else ""
    return ("nothing in TensorFlow 2 that legacy-compat provides: it existed in {0}{1}; "
            "rewrite it with {2}".format(span(releases), where_text, how))
