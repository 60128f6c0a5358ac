"""Input functions -> functions returning a ``tf.data.Dataset`` (what ``model.fit`` takes).

``numpy_input_fn(x, y, ...)`` (called or not) becomes ``Dataset.from_tensor_slices`` with the
same batch size, shuffle buffer and number of epochs; ``dataset...make_one_shot_iterator()
.get_next()`` becomes the dataset itself. An input function whose value is not one of these
(or a call of a function of the script returning one) is not translated.
"""
import ast

from legacy_compat import contract
from legacy_compat.convert.keras import tables
from legacy_compat.convert.keras.source import NotTranslated, call_arguments

NUMPY_INPUT_FN = ("tf.estimator.inputs.numpy_input_fn",
                  "tf.compat.v1.estimator.inputs.numpy_input_fn")
NUMPY_POSITIONAL = ("x", "y", "batch_size", "num_epochs", "shuffle", "queue_capacity",
                    "num_threads")
ITERATOR_METHODS = ("make_one_shot_iterator", "make_initializable_iterator")
CSV_LOADERS = ("load_csv_with_header", "load_csv_without_header")


def translate_inputs(script, input_fn_names, skip=()):
    """Record the edits; raise NotTranslated for what cannot become a dataset.

    ``skip``: top-level functions replaced as a whole (their code is not edited here).
    """
    functions = script.functions()
    translated = set()
    kept = [statement for statement in script.tree.body if statement not in skip]
    for node in (node for statement in kept for node in ast.walk(statement)):
        if isinstance(node, ast.Call) and script.canonical(node.func) in NUMPY_INPUT_FN:
            whole = node
            parent = getattr(node, "parent", None)
            if isinstance(parent, ast.Call) and parent.func is node and not parent.args:
                whole = parent  # numpy_input_fn(...)(): the tensors; without (): the function
            line = script.index.lines[whole.lineno - 1]
            indent = line[:len(line) - len(line.lstrip())]
            script.replace(whole, _from_tensor_slices(script, node, indent))
            translated.add(whole)
        elif isinstance(node, ast.Call) and _is_get_next(node):
            dataset = node.func.value.func.value
            script.replace(node, script.segment(dataset))
            translated.add(node)
        elif isinstance(node, ast.Attribute) and node.attr in ITERATOR_METHODS:
            if not _inside_get_next(node):
                raise NotTranslated(node, "a dataset iterator (%s) used other than as "
                                    "`.%s().get_next()` returned by the input function"
                                    % (node.attr, node.attr))
        elif isinstance(node, ast.Name) and node.id in CSV_LOADERS and isinstance(
                getattr(node, "parent", None), ast.Call) and node.parent.func is node:
            script.replace(node, "keras_job." + node.id)
    for name in input_fn_names:
        if name in functions:
            _check_returns_dataset(script, functions, functions[name], translated, set())


def _from_tensor_slices(script, call, indent):
    args = call_arguments(call, NUMPY_POSITIONAL)
    unknown = set(args) - set(NUMPY_POSITIONAL)
    if unknown or "x" not in args:
        raise NotTranslated(call, "numpy_input_fn with arguments %s" % ", ".join(sorted(unknown)))
    value = {name: script.segment(node) for name, node in args.items()}
    for name, default in tables.NUMPY_INPUT_FN_DEFAULTS.items():
        value.setdefault(name, default)
    data = "(%s, %s)" % (value["x"], value["y"]) if "y" in value else value["x"]
    if len(data) > 50 and "\n" not in data:
        data = "(\n%s%s" % (indent + "    ", (",\n" + indent + "    ").join(
            [value["x"], value["y"]] if "y" in value else [value["x"]])) + ")"
    text = "%s.data.Dataset.from_tensor_slices(%s)" % (script.tf, data)
    shuffle = args.get("shuffle")
    if shuffle is not None and not isinstance(shuffle, ast.Constant):
        raise NotTranslated(call, "numpy_input_fn with shuffle=%s (not a constant)"
                            % value["shuffle"])
    if shuffle is None:  # TF 1.x required it; a script that ran passed it
        raise NotTranslated(call, "numpy_input_fn without shuffle=")
    if shuffle.value:
        text += ".shuffle(%s)" % value["queue_capacity"]
    epochs = args.get("num_epochs")
    if isinstance(epochs, ast.Constant) and epochs.value is None:
        text += ".repeat()"
    elif value["num_epochs"] != "1":
        text += ".repeat(%s)" % value["num_epochs"]
    return text + ".batch(%s)" % value["batch_size"]


def _is_get_next(node):
    func = node.func
    return (isinstance(func, ast.Attribute) and func.attr == "get_next" and not node.args
            and isinstance(func.value, ast.Call)
            and isinstance(func.value.func, ast.Attribute)
            and func.value.func.attr == "make_one_shot_iterator")


def _inside_get_next(attribute):
    call = getattr(attribute, "parent", None)
    outer = getattr(getattr(call, "parent", None), "parent", None)
    return isinstance(outer, ast.Call) and _is_get_next(outer)


def _check_returns_dataset(script, functions, function, translated, seen):
    if function.name in seen:
        return
    seen.add(function.name)
    returns = [node for node in ast.walk(function) if isinstance(node, ast.Return)]
    if not returns:
        raise NotTranslated(function, "%s returns nothing" % function.name)
    for node in returns:
        value = node.value
        if value in translated:
            continue
        if isinstance(value, ast.Call) and not value.args and not value.keywords and \
                isinstance(value.func, ast.Call) and isinstance(value.func.func, ast.Name) and \
                value.func.func.id in functions:  # helper(...)(): TF 1.4's input function
            script.replace(value, script.segment(value.func))
            value = value.func
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
                value.func.id in functions:
            _check_returns_dataset(script, functions, functions[value.func.id], translated, seen)
            continue
        if _is_dataset(script, value, _assigned(function), translated):
            continue
        raise NotTranslated(node, "input function %s returns `%s`, which is not known to be a "
                            "tf.data.Dataset (numpy_input_fn or "
                            "`dataset.make_one_shot_iterator().get_next()`)"
                            % (function.name, script.segment(value) if value else "None"))


def _assigned(function):
    """name -> the expressions assigned to it in the function."""
    found = {}
    for node in ast.walk(function):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            found.setdefault(node.targets[0].id, []).append(node.value)
    return found


def _is_dataset(script, node, assigned, translated, visiting=frozenset()):
    """A tf.data pipeline: ``tf.data.X(...)`` and method calls on it, directly or through
    variables only ever assigned such pipelines (``dataset = dataset.repeat()`` included)."""
    if node in translated:
        return True
    root = node
    while isinstance(root, (ast.Call, ast.Attribute)):
        if isinstance(root, ast.Attribute) and (script.canonical(root) or "").startswith(
                "tf.data."):
            return True
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, ast.Name) and root.id in visiting:
        return True
    if isinstance(root, ast.Name) and root.id in assigned:
        return all(_is_dataset(script, value, assigned, translated, visiting | {root.id})
                   for value in assigned[root.id])
    return False


def call_input_fn(function, name, values):
    """``train_input_fn(job.training_dir, job.hyperparameters)``: each parameter bound as the
    Legacy Mode container bound it (contract.INPUT_FN_PARAMETERS), any other one to None, even
    over its default."""
    passed = [values[contract.INPUT_FN_PARAMETERS[a.arg]] if a.arg in contract.INPUT_FN_PARAMETERS
              else "None" for a in function.args.args]
    return "%s(%s)" % (name, ", ".join(passed))
