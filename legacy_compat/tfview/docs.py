"""Render docs/tf1-view.md from the tables in ``symbols``.

    python -m legacy_compat.tfview.docs > docs/tf1-view.md
"""

import io
import json
import os
import sys

from legacy_compat import contract
from legacy_compat.tables import keras_moves
from legacy_compat.tfview import coverage as coverage_module
from legacy_compat.tfview import symbols
from legacy_compat.tfview.view import Resolver

_HEADER = """\
# The TF 1.x view: what legacy scripts get on TensorFlow 2.x

<!-- Generated from legacy_compat/tfview/symbols.py by
     `python -m legacy_compat.tfview.docs > docs/tf1-view.md`. Do not edit by hand. -->

When the installed TensorFlow is 2.x, the runner gives the user's script (and the helper
modules next to it) the TensorFlow 1.x API without the user editing a line: inside user
code `import tensorflow as tf` is a view of `tf.compat.v1` with v2 behaviour disabled.
The view is scoped to user code: `sys.modules['tensorflow']` stays the real package, so
TensorFlow's own modules are unaffected. On TensorFlow 1.x the real `tensorflow` is
used; the NumPy aliases and the `PipeModeDataset` stand-in apply on both.

How a legacy dotted name is resolved:

1. a name in [Provided names](#provided-names) is that provider;
2. otherwise the longest matching key of [Packages](#packages) or
   [Unsupported names](#unsupported-names) decides: a package name is looked up as an
   attribute of its target, then imported as a submodule of it; an unsupported name
   raises an error (an `ImportError` at import, an `AttributeError` on attribute access)
   that names the legacy symbol and what to use instead.
"""


def _cell(text):
    return text.replace("|", "\\|").replace("\n", " ")


def _code(text):
    return "`{0}`".format(text)


def _table(headings, rows):
    lines = ["| " + " | ".join(headings) + " |", "|" + "---|" * len(headings)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")
    return "\n".join(lines) + "\n"


_STATUS_WORDS = (("tf", "TF"), ("ours", "ours"), ("refused", "refused"), ("missing", "missing"))


def _pct(part, whole):
    return "{0:.0f}%".format(100.0 * part / whole) if whole else "-"


def _load_coverage():
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "surface", "coverage.json")
    if not os.path.exists(path):
        return None
    with io.open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _keras_moved_rows():
    rows = []
    for rest in sorted(keras_moves.MOVED):
        base, extras = keras_moves.MOVED[rest]
        source = base.replace("{keras}", "keras").replace(":", ".") if base else "-"
        rows.append((_code("<home>." + rest), source,
                     ", ".join(_code(name) for name, _ in extras) or "-"))
    return rows


def _render_coverage(coverage):
    parts = ["\n## Coverage of the TF 1.x surface\n\n"]
    parts.append(
        "Measured on TensorFlow {tf} against the surface recorded from the real TF {releases} "
        "releases (`legacy_compat/tfview/surface/`, see [tf1-surface.md](tf1-surface.md)). "
        "Every recorded module and name is resolved through the view (`legacy-compat "
        "train`) and through the converter's tables (`legacy-compat convert`, the rewritten "
        "name looked up on the real `tensorflow`). **TF**: TensorFlow provides it; **ours**: "
        "a legacy-compat stand-in does; **refused**: an error naming the replacement; "
        "**missing**: neither. *differ*: names one path provides and the other does not "
        "(listed below).\n\n".format(tf=coverage["tf"],
                                        releases=" and ".join(coverage["releases"])))
    rows = []
    total = {"names": 0, "view": {}, "convert": {}, "disagree": 0}
    for group in sorted(coverage["groups"]):
        row = coverage["groups"][group]
        total["names"] += row["names"]
        total["disagree"] += row["disagree"]
        for side in ("view", "convert"):
            for status, count in row[side].items():
                total[side][status] = total[side].get(status, 0) + count
        rows.append((group, row))
    rows.append(("**all**", total))
    table = []
    for group, row in rows:
        cells = [_code(group) if not group.startswith("*") else group, str(row["names"])]
        for side in ("view", "convert"):
            counts = row[side]
            provided = counts.get("tf", 0) + counts.get("ours", 0)
            cells.append(_pct(provided, row["names"]))
            cells.append(" / ".join(str(counts.get(s, 0)) for s, _ in _STATUS_WORDS))
        cells.append(str(row["disagree"]))
        table.append(cells)
    parts.append(_table(["module", "names", "view provides", "view TF / ours / refused / missing",
                         "convert provides", "convert TF / ours / refused / missing", "differ"],
                        table))
    return "".join(parts)


def _render_name_lists(coverage):
    resolver = Resolver()
    parts = ["\n## Names the view refuses or lacks\n\n"
             "Per module: the names below it that the view does not provide. A refused name "
             "raises an error naming the replacement (the row of "
             "[Unsupported names](#unsupported-names) shown); a missing one an error saying "
             "which TF 1.x releases had it.\n\n"]
    rows = []
    for parent in sorted(coverage["view"]):
        entry = coverage["view"][parent]
        for status in ("refused", "missing"):
            leaves = entry.get(status)
            if not leaves:
                continue
            why = status
            if status == "refused":
                _, key = resolver._rule_for(parent + "." + leaves[0])
                why = "refused: " + _code(key)
            rows.append((_code(parent), why, ", ".join(leaves)))
    parts.append(_table(["module", "status", "names"], rows))
    parts.append("\n## Where the view and the converter differ\n\n"
                 "Names one path provides and the other does not, with the converter's status. "
                 "Most are private `tensorflow.python.*` modules: the view imports them for real "
                 "(they exist in TF 2.15), the converter rewrites only private modules with a "
                 "public equivalent (`legacy_compat/tables/private_imports.py`) and "
                 "reports the rest, because a converted script must not depend on TensorFlow's "
                 "internals.\n\n")
    view = coverage_module.expand(coverage["view"])
    convert = coverage_module.converter_statuses(coverage)
    rows = []
    for parent in sorted(coverage["disagree"]):
        by_pair = {}
        for leaf in coverage["disagree"][parent]["names"]:
            path = parent + "." + leaf
            pair = (view.get(path, "tf"), convert.get(path, "tf"))
            by_pair.setdefault(pair, []).append(leaf)
        for (v, c), leaves in sorted(by_pair.items()):
            rows.append((_code(parent), v, c, ", ".join(leaves)))
    parts.append(_table(["module", "view", "convert", "names"], rows))
    return "".join(parts)


def render():
    """The whole page, as a string."""
    parts = [_HEADER]
    parts.append("\n## Packages\n\n")
    parts.append(_table(
        ["legacy package", "real target (first that loads)", "note"],
        [(_code(name), ", ".join(_code(t.replace(":", ".")) for t in targets), note)
         for name, (targets, note) in sorted(symbols.ALIASES.items())]))
    parts.append("\n## Provided names\n\n")
    parts.append(_table(
        ["legacy name", "provided by", "note"],
        [(_code(name), _code(provider.replace(":", ".")), note)
         for name, (provider, note) in sorted(symbols.PROVIDED.items())]))
    parts.append("\n## NumPy aliases\n\nRemoved in NumPy 1.24; inside user code they are "
                 "the builtins they used to alias (numpy itself is not patched).\n\n")
    parts.append(_table(
        ["legacy name", "is"],
        [(_code("numpy." + name), " / ".join(_code(b) for b in builtins))
         for name, builtins in sorted(contract.NUMPY_ALIASES.items())]))
    parts.append("\n## Unsupported names\n\n`name.*` means every name below `name` that "
                 "no row above or longer key covers.\n\n")
    parts.append(_table(
        ["legacy name", "use instead"],
        [(_code(name), replacement) for name, replacement in sorted(symbols.UNSUPPORTED.items())]))
    parts.append("\n## Old Keras homes\n\n`<home>` is any of {0}. Their other modules are "
                 "the same modules of today's Keras (see [Packages](#packages)); these, whose "
                 "layout changed, are built from the Keras `model_to_estimator` accepts (on TF "
                 "1.x too, when the release lacks the home: {1}).\n\n".format(
                     ", ".join(_code(h) for h in symbols.KERAS_HOMES),
                     ", ".join(_code(h) for h in sorted(symbols.TF1_ALIASES) if h != "tensorflow")))
    parts.append(_table(["module", "all the names of", "plus"], _keras_moved_rows()))
    coverage = _load_coverage()
    if coverage is not None:
        parts.append(_render_coverage(coverage))
        parts.append(_render_name_lists(coverage))
    return "".join(parts)


def main():
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
