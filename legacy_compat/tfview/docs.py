"""Render docs/tf1-view.md from the tables in ``symbols``.

    python -m legacy_compat.tfview.docs > docs/tf1-view.md
"""

import sys

from legacy_compat.tfview import symbols

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
         for name, builtins in sorted(symbols.NUMPY_ALIASES.items())]))
    parts.append("\n## Unsupported names\n\n`name.*` means every name below `name` that "
                 "no row above or longer key covers.\n\n")
    parts.append(_table(
        ["legacy name", "use instead"],
        [(_code(name), replacement) for name, replacement in sorted(symbols.UNSUPPORTED.items())]))
    return "".join(parts)


def main():
    sys.stdout.write(render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
