"""The last pass: TensorFlow names in the whole output -> Keras 3 / TF 2 names, or a fallback.

``tf.keras.X`` is Keras 3's ``keras.X``; a ``tf.train`` optimizer becomes its Keras class with
the same hyperparameters (tables.OPTIMIZERS); Keras 2 optimizer keywords are renamed. A TF 1.x
name the pinned rename table moves to a TF 2 name (``tf.read_file`` -> ``tf.io.read_file``)
gets it; one left anywhere that TF 2 has only under ``tf.compat.v1`` (the table says so)
stops the translation: no ``tf.compat.v1`` in a Keras-target script.
"""
import ast

from legacy_compat.convert.keras import tables
from legacy_compat.convert.keras.source import NotTranslated, Script, call_arguments
from legacy_compat.tables.tf_renames import MODULE_RENAMES, SYMBOL_RENAMES

V1 = "tf.compat.v1"
# TF 1's flags (tf.app.flags, tf.flags: absl's since TF 1.5) -> absl's own, where the call is
# the same in every TF 1.x: FLAGS, and the DEFINE_* functions of TF 1.4's flags module given
# (name, default, help) by position (TF 1.4 named them otherwise).
FLAG_MODULES = ("tf.app.flags", "tf.flags")
FLAG_NAMES = ("FLAGS", "DEFINE_string", "DEFINE_integer", "DEFINE_float", "DEFINE_boolean",
              "DEFINE_bool")


def _tf2_name(name):
    """The TF 2 name the rename table gives ``name`` (or the module it is in), else None.

    The table keeps a TF 1.x name under tf.compat.v1 whenever its TF 2 version takes other
    arguments (legacy_compat/tables/generate_tf_tables.py): a TF 2 name means the same.
    """
    target = SYMBOL_RENAMES.get(name)
    if target is None:
        for module, replacement in MODULE_RENAMES.items():
            if name.startswith(module + "."):
                target = replacement + name[len(module):]
                break
    return None if target is None or target.startswith(V1) else target


def _v1_only(name):
    target = SYMBOL_RENAMES.get(name)
    if target is not None:
        return target.startswith(V1)
    for module, replacement in MODULE_RENAMES.items():
        if (name == module or name.startswith(module + ".")) and replacement.startswith(V1):
            return True
    return False


def _flags_module(name):
    return next((module for module in FLAG_MODULES if name == module or name.startswith(
        module + ".")), None)


def uses_flags(script):
    """The script reads TF 1's flags (tf.app.flags or tf.flags)."""
    return any(_flags_module(name) for _, name in tf_chains(script))


def _absl_flag(script, node, name, call):
    """``tf.app.flags.X`` -> ``flags.X`` (``from absl import flags``), or NotTranslated."""
    rest = name[len(_flags_module(name)) + 1:]  # FLAGS.x: a flag's value
    if rest.split(".")[0] not in FLAG_NAMES or (rest.startswith("DEFINE_") and "." in rest):
        raise NotTranslated(node, "%s, which TF 2 has only as tf.compat.v1 (absl's flags "
                            "take the place of %s)" % (name, ", ".join(FLAG_NAMES)))
    if rest.startswith("DEFINE_") and (call is None or call.keywords or len(call.args) != 3):
        raise NotTranslated(node, "%s other than called with (name, default, help) by "
                            "position" % name)
    script.replace(node, "flags." + rest)


def tf_chains(script):
    """Maximal dotted names rooted at the TensorFlow alias (outermost Attribute nodes)."""
    for node in ast.walk(script.tree):
        if isinstance(node, (ast.Attribute, ast.Name)) and isinstance(
                getattr(node, "ctx", None), ast.Load):
            parent = getattr(node, "parent", None)
            if isinstance(parent, ast.Attribute) and parent.value is node:
                continue
            name = script.canonical(node)
            if name and (name == "tf" or name.startswith("tf.")) and (
                    name != "tf" or script.tf == "tf"):
                yield node, name


def translate_names(text):
    """The text with Keras 3 / TF 2 names, or NotTranslated for the first name it cannot keep."""
    script = Script(text)
    for node, name in sorted(tf_chains(script), key=lambda item: (item[0].lineno,
                                                                item[0].col_offset)):
        call = node.parent if isinstance(getattr(node, "parent", None), ast.Call) and \
            node.parent.func is node else None
        for prefix, reason in tables.UNTRANSLATABLE.items():
            if name == prefix or name.startswith(prefix + "."):
                raise NotTranslated(node, reason)
        if name.startswith("tf.keras."):
            script.replace(node, script.segment(node).split(".", 1)[1])
            if call is not None and name.startswith("tf.keras.optimizers."):
                _keras2_keywords(script, call, name)
            renames = tables.KERAS2_LAYER_KEYWORDS.get(name.rsplit(".", 1)[-1])
            if call is not None and renames and name.startswith("tf.keras.layers."):
                for keyword in call.keywords:
                    if keyword.arg in renames:
                        script.replace(keyword, "%s=%s" % (renames[keyword.arg],
                                                           script.segment(keyword.value)))
        elif name.startswith("tf.train.") and name[len("tf.train."):] in tables.OPTIMIZERS:
            if call is None:
                raise NotTranslated(node, "%s used other than called" % name)
            script.replace(call, _optimizer(script, call, name))
        elif _flags_module(name):
            _absl_flag(script, node, name, call)
        elif name in tables.TF2_NAMES:
            if tables.TF2_NAMES[name] is None:
                raise NotTranslated(node, name)
            script.replace(node, script.tf + tables.TF2_NAMES[name][2:])
        elif name.startswith(("tf.contrib.", "tf.estimator.", V1 + ".")) or name in (
                "tf.contrib", "tf.estimator"):
            raise NotTranslated(node, "%s (no Keras 3 / TF 2 equivalent translated)" % name)
        elif _tf2_name(name) is not None:
            script.replace(node, script.tf + _tf2_name(name)[2:])
        elif _v1_only(name):
            forbidden = tables.TF2_SAME_UNLESS.get(name, None)
            used = {k.arg for k in call.keywords} if call is not None else set()
            if call is not None and len(call.args) > tables.TF2_SAME_POSITIONAL.get(
                    name, len(call.args)):
                used.add("positional")
            if forbidden is None or used & (set(forbidden) | {"positional"}):
                raise NotTranslated(node, "%s, which TF 2 has only as tf.compat.v1" % name)
    for node in ast.walk(script.tree):
        if isinstance(node, ast.Attribute) and node.attr in ("get_session", "set_session"):
            raise NotTranslated(node, "Keras sessions (%s)" % node.attr)
    return script.result()


def _keras2_keywords(script, call, name):
    for keyword in call.keywords:
        if keyword.arg in tables.KERAS2_OPTIMIZER_KEYWORDS:
            new = tables.KERAS2_OPTIMIZER_KEYWORDS[keyword.arg]
            if new is None:
                raise NotTranslated(call, "%s(%s=...), which Keras 3 optimizers do not take"
                                    % (name, keyword.arg))
            script.replace(keyword, "%s=%s" % (new, script.segment(keyword.value)))


def _optimizer(script, call, name):
    spec = tables.OPTIMIZERS[name[len("tf.train."):]]
    args = call_arguments(call, spec.positional)
    parts, given = [], set()
    for arg, value in args.items():
        if arg in ("use_locking", "name"):
            continue
        if arg not in spec.renames:
            raise NotTranslated(call, "%s(%s=...)" % (name, arg))
        parts.append("%s=%s" % (spec.renames[arg], script.segment(value)))
        given.add(spec.renames[arg])
    for arg, value in spec.tf1_defaults.items():
        if arg not in given:
            parts.append("%s=%s" % (arg, value))
    return "keras.optimizers.%s(%s)" % (spec.keras, ", ".join(parts))
