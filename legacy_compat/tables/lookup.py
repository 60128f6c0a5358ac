"""What a canonical TensorFlow 1.x name (``tf.contrib.x``, ``tf.python.y``) became.

Read by the converter (which rewrites the name) and by the TF 1.x view (which hands a
script the object the converted script would use). Python 2.7 compatible.
"""

import collections

from legacy_compat.tables import contrib, private_imports, tf_renames

RENAME, HELPER, UNCONVERTIBLE = "rename", "helper", "unconvertible"


class Resolution(collections.namedtuple("Resolution", "kind text length suggestion")):
    """What to do with a canonical name.

    kind: ``rename`` (text = canonical replacement), ``helper`` (text = helper
    name), or ``unconvertible`` (text = message).  ``length`` is how many
    leading parts of the canonical name the resolution covers.
    """

    __slots__ = ()

    def __new__(cls, kind, text, length, suggestion=None):
        return super(Resolution, cls).__new__(cls, kind, text, length, suggestion)


def _lookup(prefix):
    entry = contrib.REPLACEMENTS.get(prefix)
    if entry is not None:
        return entry
    entry = private_imports.PUBLIC_NAMES.get(prefix)
    if entry is not None:
        return entry
    if prefix in tf_renames.SYMBOL_RENAMES:
        return tf_renames.SYMBOL_RENAMES[prefix]
    return tf_renames.MODULE_RENAMES.get(prefix)


def resolve(canonical):
    """Resolve a canonical ``tf.`` name against the pinned tables: a Resolution or None."""
    parts = canonical.split(".")
    if parts[0] != "tf" or canonical.startswith("tf.compat."):
        return None
    for length in range(len(parts), 1, -1):
        entry = _lookup(".".join(parts[:length]))
        if entry is None:
            continue
        if isinstance(entry, str):
            return Resolution(RENAME, entry, length)
        if isinstance(entry, contrib.Helper):
            return Resolution(HELPER, entry.name, length)
        if isinstance(entry, contrib.Unconvertible):
            return Resolution(UNCONVERTIBLE, entry.message, length, entry.suggestion)
    if canonical.startswith("tf.contrib.") or canonical == "tf.contrib":
        return Resolution(
            UNCONVERTIBLE,
            "%s cannot be converted automatically: tf.contrib does not exist in TensorFlow 2"
            % canonical, len(parts),
            "use a tf.compat.v1 / tf.keras equivalent, or copy the needed code into the script")
    if canonical.startswith("tf.python.") or canonical == "tf.python":
        module = ".".join(["tensorflow"] + parts[1:])
        return Resolution(
            UNCONVERTIBLE,
            "private TensorFlow name %s has no known public equivalent" % module, len(parts),
            "import the public tf.* (or tf.compat.v1.*) name instead of tensorflow.python.*")
    return None
