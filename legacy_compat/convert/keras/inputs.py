"""Input functions -> functions returning a ``tf.data.Dataset`` (what ``model.fit`` takes).

Each translation gives the Keras model the batches the Estimator got, in the same order:

* ``numpy_input_fn(x, y, ...)`` (called or not) -> ``Dataset.from_tensor_slices`` with the
  same batch size, shuffle buffer and number of epochs (a ``shuffle`` that is a variable:
  ``if shuffle:`` around the shuffle);
* ``dataset.make_one_shot_iterator().get_next()`` (also through an ``iterator`` variable or
  ``tf.data.make_one_shot_iterator(dataset)``) -> the dataset; tensors unpacked from it and
  returned restructured (``features, labels = ...get_next()`` then ``return {'x': features},
  labels``) -> ``dataset.map(lambda features, labels: ({'x': features}, labels))``;
* a queue reader (``string_input_producer`` + ``TFRecordReader`` + the parsing code +
  ``tf.train.batch`` / ``shuffle_batch``) -> a ``TFRecordDataset`` pipeline (``queues``);
* tensors made of ``tf.constant`` values, or numpy arrays (which the Estimator made constant
  tensors): the same whole batch every step -> ``Dataset.from_tensors(...).repeat()``;
* an input function returning a call of another function of the script, or a function
  (a closure, or TF 1.4's input function returning one), is followed there.

Anything else an input function returns is not translated (NotTranslated, naming it).
"""
import ast

from legacy_compat.convert.keras import queues, tables
from legacy_compat.convert.keras.source import NotTranslated, call_arguments, dotted

NUMPY_INPUT_FN = ("tf.estimator.inputs.numpy_input_fn",
                  "tf.compat.v1.estimator.inputs.numpy_input_fn")
NUMPY_POSITIONAL = ("x", "y", "batch_size", "num_epochs", "shuffle", "queue_capacity",
                    "num_threads")
ITERATOR_METHODS = ("make_one_shot_iterator", "make_initializable_iterator")
ITERATOR_FUNCTIONS = ("tf.data.make_one_shot_iterator", "tf.compat.v1.data.make_one_shot_iterator")
CSV_LOADERS = ("load_csv_with_header", "load_csv_without_header")
PIPE_MODE = ("sagemaker_tensorflow", "PipeModeDataset")  # (module, class)
# An input function returning these (in a tuple or dict) gave the Estimator the same tensors
# at every step.
CONSTANT_TENSORS = ("tf.constant", "tf.convert_to_tensor")


def translate_inputs(script, input_fn_names, skip=()):
    """Record the edits; raise NotTranslated for what cannot become a dataset.

    ``skip``: top-level functions replaced as a whole (their code is not edited here).
    """
    functions = script.functions()
    translated = set()
    kept = [statement for statement in script.tree.body if statement not in skip]
    handled = set()
    for function in (node for statement in kept for node in ast.walk(statement)
                     if isinstance(node, ast.FunctionDef)):
        for pipeline in queues.find(script, function):
            translated.add(_queue(script, pipeline))
            handled.update(pipeline.nodes)
    iterators = _iterators(script, kept)
    allowed = set()
    for dataset, iterator_assign in iterators.values():
        if iterator_assign is not None:
            allowed.update(ast.walk(iterator_assign))
    for node in (node for statement in kept for node in ast.walk(statement)):
        if node in handled:
            continue
        if isinstance(node, ast.Call) and script.canonical(node.func) in NUMPY_INPUT_FN:
            whole = node
            parent = getattr(node, "parent", None)
            if isinstance(parent, ast.Call) and parent.func is node and not parent.args:
                whole = parent  # numpy_input_fn(...)(): the tensors; without (): the function
            translated.add(_numpy_input(script, node, whole))
        elif isinstance(node, ast.Call) and node in iterators:
            dataset, iterator_assign = iterators[node]
            if iterator_assign is not None:
                script.replace_lines(iterator_assign.lineno, iterator_assign.end_lineno, "")
            unpacked = _unpacked_and_returned(script, node, script.segment(dataset))
            if unpacked is None:
                script.replace(node, script.segment(dataset))
                translated.add(node)
            else:
                translated.add(unpacked)
        elif (isinstance(node, ast.Attribute) and node.attr in ITERATOR_METHODS or
              isinstance(node, ast.Call) and script.canonical(node.func) in ITERATOR_FUNCTIONS):
            if node not in allowed and not _inside_get_next(node):
                name = node.attr if isinstance(node, ast.Attribute) else dotted(node.func)
                raise NotTranslated(node, "a dataset iterator (%s) used other than as "
                                    "`.get_next()` once, returned by the input function"
                                    % name)
        elif isinstance(node, ast.Name) and node.id in CSV_LOADERS and isinstance(
                getattr(node, "parent", None), ast.Call) and node.parent.func is node:
            script.replace(node, "keras_job." + node.id)
    for name in input_fn_names:
        if name in functions:
            _check_returns_dataset(script, functions, functions[name], translated, set())


def queue_nodes(script):
    """The nodes of the queue readers translated to datasets (queues.find)."""
    return set(node for function in ast.walk(script.tree) if isinstance(
        function, ast.FunctionDef) for pipeline in queues.find(script, function)
        for node in pipeline.nodes)


def _queue(script, pipeline):
    """A queue reader -> its dataset; the node now a dataset."""
    function = pipeline.function
    line = script.index.lines[pipeline.read.lineno - 1]
    indent = line[:len(line) - len(line.lstrip())]
    statements, dataset = queues.render(script, pipeline, indent,
                                        lambda wanted: _free_name(function, wanted))
    for statement in (pipeline.producer, pipeline.reader):
        script.replace_lines(statement.lineno, statement.end_lineno, "")
    last = pipeline.parse[-1] if pipeline.parse else pipeline.read
    script.replace_lines(pipeline.read.lineno, last.end_lineno, statements)
    call = pipeline.batch.value
    if isinstance(pipeline.batch, ast.Return):
        script.replace(call, dataset)
        return call
    value = _unpacked_and_returned(script, call, dataset)
    if value is None:
        raise NotTranslated(call, "%s(...) whose batch is used other than returned "
                            "(directly, or unpacked and returned)" % dotted(call.func))
    return value


def _numpy_input(script, call, whole):
    """numpy_input_fn(...)[()] -> its dataset; the node now a dataset."""
    line = script.index.lines[whole.lineno - 1]
    indent = line[:len(line) - len(line.lstrip())]
    shuffle = call_arguments(call, NUMPY_POSITIONAL).get("shuffle")
    statement = getattr(whole, "parent", None)
    if shuffle is None or isinstance(shuffle, ast.Constant) or not isinstance(
            statement, ast.Return):
        script.replace(whole, _from_tensor_slices(script, call, indent))
        return whole
    # shuffle=<a variable>: the shuffle under `if`, the rest as for a constant
    name = _free_name(_enclosing_function(statement), "dataset")
    source, _, after = _numpy_parts(script, call, indent)
    text = "%s%s = %s\n%sif %s:\n%s    %s = %s.shuffle(%s)\n%sreturn %s%s\n" % (
        indent, name, source, indent, script.segment(shuffle), indent, name, name,
        _numpy_values(script, call)["queue_capacity"], indent, name, after)
    script.replace_lines(statement.lineno, statement.end_lineno, text)
    return whole


def _numpy_values(script, call):
    args = call_arguments(call, NUMPY_POSITIONAL)
    unknown = set(args) - set(NUMPY_POSITIONAL)
    if unknown or "x" not in args:
        raise NotTranslated(call, "numpy_input_fn with arguments %s" % ", ".join(sorted(unknown)))
    value = {name: script.segment(node) for name, node in args.items()}
    for name, default in tables.NUMPY_INPUT_FN_DEFAULTS.items():
        value.setdefault(name, default)
    return value


def _numpy_parts(script, call, indent):
    """(the from_tensor_slices source, its .shuffle() or "", .repeat().batch())."""
    args = call_arguments(call, NUMPY_POSITIONAL)
    value = _numpy_values(script, call)
    data = "(%s, %s)" % (value["x"], value["y"]) if "y" in value else value["x"]
    if len(data) > 50 and "\n" not in data:
        data = "(\n%s%s" % (indent + "    ", (",\n" + indent + "    ").join(
            [value["x"], value["y"]] if "y" in value else [value["x"]])) + ")"
    source = "%s.data.Dataset.from_tensor_slices(%s)" % (script.tf, data)
    shuffle = args.get("shuffle")
    if shuffle is None:  # TF 1.x required it; a script that ran passed it
        raise NotTranslated(call, "numpy_input_fn without shuffle=")
    shuffled = ".shuffle(%s)" % value["queue_capacity"] if isinstance(
        shuffle, ast.Constant) and shuffle.value else ""
    epochs = args.get("num_epochs")
    after = ""
    if isinstance(epochs, ast.Constant) and epochs.value is None:
        after += ".repeat()"
    elif value["num_epochs"] != "1":
        after += ".repeat(%s)" % value["num_epochs"]
    return source, shuffled, after + ".batch(%s)" % value["batch_size"]


def _from_tensor_slices(script, call, indent):
    shuffle = call_arguments(call, NUMPY_POSITIONAL).get("shuffle")
    if shuffle is not None and not isinstance(shuffle, ast.Constant):
        raise NotTranslated(call, "numpy_input_fn with shuffle=%s (a variable) other than "
                            "in a return statement" % script.segment(shuffle))
    return "".join(_numpy_parts(script, call, indent))


def _iterator_source(script, node):
    """The dataset of an iterator expression (``ds.make_one_shot_iterator()``,
    ``tf.data.make_one_shot_iterator(ds)``), else None."""
    if not isinstance(node, ast.Call):
        return None
    if isinstance(node.func, ast.Attribute) and node.func.attr == "make_one_shot_iterator" \
            and not node.args and not node.keywords:
        return node.func.value
    if script.canonical(node.func) in ITERATOR_FUNCTIONS and len(node.args) == 1 and \
            not node.keywords:
        return node.args[0]
    return None


def _iterators(script, statements):
    """``get_next()`` call -> (its dataset, the statement assigning the iterator variable it
    is called on, or None). A variable counts when assigned once and used once."""
    found = {}
    for node in (node for statement in statements for node in ast.walk(statement)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and
                node.func.attr == "get_next" and not node.args and not node.keywords):
            continue
        receiver = node.func.value
        dataset = _iterator_source(script, receiver)
        if dataset is not None:
            found[node] = (dataset, None)
            continue
        function = _enclosing_function(node)
        if not isinstance(receiver, ast.Name) or function is None:
            continue
        assigns = [n for n in ast.walk(function) if isinstance(n, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == receiver.id for t in n.targets)]
        uses = [n for n in ast.walk(function) if isinstance(n, ast.Name) and
                n.id == receiver.id and isinstance(n.ctx, ast.Load)]
        if len(assigns) == 1 and len(uses) == 1 and len(assigns[0].targets) == 1 and \
                isinstance(assigns[0].targets[0], ast.Name):
            dataset = _iterator_source(script, assigns[0].value)
            if dataset is not None:
                found[node] = (dataset, assigns[0])
    return found


def _inside_get_next(node):
    """``node`` (``.make_one_shot_iterator`` or ``tf.data.make_one_shot_iterator``) is the
    iterator of a ``.get_next()`` call."""
    call = node if isinstance(node, ast.Call) else getattr(node, "parent", None)
    if isinstance(node, ast.Attribute) and not (isinstance(call, ast.Call) and
                                                call.func is node):
        return False
    attribute = getattr(call, "parent", None)
    outer = getattr(attribute, "parent", None)
    return isinstance(attribute, ast.Attribute) and attribute.attr == "get_next" and \
        isinstance(outer, ast.Call) and outer.func is attribute


def _enclosing_function(node):
    while node is not None and not isinstance(node, (ast.FunctionDef, ast.Lambda)):
        node = getattr(node, "parent", None)
    return node


def _free_name(function, wanted):
    used = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)} | {
        a.arg for a in ast.walk(function) if isinstance(a, ast.arg)}
    name, number = wanted, 1
    while name in used:
        number += 1
        name = "%s%d" % (wanted, number)
    return name


def _names(target):
    """The names a target binds, if only plain names (``a`` or ``a, b``)."""
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
        return [e.id for e in target.elts]
    return None


def _unpacked_and_returned(script, value, dataset):
    """``a, b = <value>``, then statements (assignments, calls) computing from them, then
    ``return <expression>``, the names used nowhere else: the dataset returned, mapped by
    those statements (a local function) or by the expression (a lambda) unless it is
    ``a, b`` itself. The return's value, or None when the code has another shape."""
    statement = getattr(value, "parent", None)
    if not (isinstance(statement, ast.Assign) and statement.value is value and
            len(statement.targets) == 1):
        return None
    target = statement.targets[0]
    names = _names(target)
    body = getattr(statement.parent, "body", [])
    position = next((i for i, s in enumerate(body) if s is statement), None)
    if names is None or position is None:
        return None
    following = body[position + 1:]
    end = next((i for i, s in enumerate(following) if isinstance(s, ast.Return)), None)
    if end is None or following[end].value is None:
        return None
    between, returned = following[:end], following[end]
    if any(not isinstance(s, (ast.Assign, ast.AugAssign, ast.Expr)) for s in between):
        return None
    region = set(n for s in between + [returned] for n in ast.walk(s)) | set(ast.walk(target))
    stored = set(names) | set(n.id for s in between for n in ast.walk(s)
                             if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
    function = _enclosing_function(statement)
    if any(isinstance(n, ast.Name) and n.id in stored and n not in region
           for n in ast.walk(function)):
        return None  # the batch's tensors (or what is computed from them) used elsewhere
    if any(isinstance(n, (ast.Lambda, ast.NamedExpr, ast.Yield, ast.Await)) for n in region):
        return None
    if between:
        line = script.index.lines[statement.lineno - 1]
        indent = line[:len(line) - len(line.lstrip())]
        mapped = _free_name(function, "features_and_labels")
        first = script.index.line_start(statement.end_lineno + 1)  # comments included
        code = script.text[first:script.index.line_start(between[-1].end_lineno + 1)]
        text = "%sdef %s(%s):\n%s%s    return %s\n\n%sreturn %s.map(%s)\n" % (
            indent, mapped, ", ".join(names), "".join(
                ("    " + part if part.strip() else part)
                for part in code.splitlines(True)), indent,
            script.segment(returned.value), indent, dataset, mapped)
        script.replace_lines(statement.lineno, returned.end_lineno, text)
        return returned.value
    if _names(returned.value) == names:
        text = dataset
    elif isinstance(target, ast.Tuple):
        text = "%s.map(lambda %s: %s)" % (dataset, ", ".join(names),
                                          _expression(script, returned.value))
    else:  # one name: the element may be a tuple, which map would pass unpacked
        return None
    script.replace_lines(statement.lineno, statement.end_lineno, "")
    script.replace(returned.value, text)
    return returned.value


def _expression(script, node):
    text = script.segment(node)
    if isinstance(node, ast.Tuple) and not _parenthesized(node):
        text = "(%s)" % text
    return text


def _parenthesized(node):
    return bool(node.elts) and (node.lineno, node.col_offset) < (node.elts[0].lineno,
                                                                  node.elts[0].col_offset)


def _constant_tensors(script, node):
    """A tuple / dict (nested) whose leaves are tf.constant(...) / tf.convert_to_tensor(...)."""
    if isinstance(node, ast.Tuple):
        return bool(node.elts) and all(_constant_tensors(script, e) for e in node.elts)
    if isinstance(node, ast.Dict):
        return None not in node.keys and all(_constant_tensors(script, v) for v in node.values)
    return isinstance(node, ast.Call) and script.canonical(node.func) in CONSTANT_TENSORS


def _own_returns(function):
    """The return statements of ``function`` itself (not of functions or lambdas in it)."""
    found, todo = [], list(function.body)
    while todo:
        node = todo.pop()
        if isinstance(node, ast.Return):
            found.append(node)
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda,
                                 ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))
    return sorted(found, key=lambda n: (n.lineno, n.col_offset))


def _local_functions(function):
    return {node.name: node for node in function.body if isinstance(node, ast.FunctionDef)}


def _returns_a_function(function, functions):
    """Every return of ``function`` is the name of a function it defines (a closure)."""
    local = _local_functions(function)
    returns = _own_returns(function)
    return bool(returns) and all(isinstance(r.value, ast.Name) and r.value.id in local
                                 for r in returns)


def _check_returns_dataset(script, functions, function, translated, seen):
    if function in seen:
        return
    seen.add(function)
    returns = _own_returns(function)
    if not returns:
        raise NotTranslated(function, "%s returns nothing" % function.name)
    local = _local_functions(function)
    scope = dict(functions, **local)
    for node in returns:
        value = node.value
        if value in translated:
            continue
        if isinstance(value, ast.Name) and value.id in local:
            # TF 1.4 called an input function's returned function: call it here
            script.replace(value, "%s()" % value.id)
            _check_returns_dataset(script, functions, local[value.id], translated, seen)
            continue
        if isinstance(value, ast.Call) and not value.args and not value.keywords and \
                isinstance(value.func, ast.Call) and isinstance(value.func.func, ast.Name) and \
                value.func.func.id in scope:  # helper(...)(): the function it returns, called
            helper = scope[value.func.func.id]
            if _returns_a_function(helper, functions):
                for closure in _local_functions(helper).values():
                    if any(isinstance(r.value, ast.Name) and r.value.id == closure.name
                           for r in _own_returns(helper)):
                        _check_returns_dataset(script, functions, closure, translated, seen)
                continue
            script.replace(value, script.segment(value.func))  # numpy_input_fn's function
            value = value.func
        if isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and \
                value.func.id in scope:
            _check_returns_dataset(script, functions, scope[value.func.id], translated, seen)
            continue
        if _is_dataset(script, value, _assigned(function), translated):
            continue
        if value is not None and (_constant_tensors(script, value) or _numpy_arrays(
                script, scope, function, value)):
            # the Estimator made numpy arrays constant tensors: the whole arrays every step
            script.replace(value, "%s.data.Dataset.from_tensors(%s).repeat()" % (
                script.tf, script.segment(value) if not isinstance(value, ast.Tuple) or
                _parenthesized(value) else "(%s)" % script.segment(value)))
            continue
        raise NotTranslated(node, "input function %s returns `%s`, which is not known to be a "
                            "tf.data.Dataset (numpy_input_fn, `dataset.make_one_shot_iterator()"
                            ".get_next()`, a queue reader, tf.constant tensors or numpy "
                            "arrays)%s"
                            % (function.name, script.segment(value) if value else "None",
                               _elsewhere(script, value)))


def _elsewhere(script, value):
    """Why a call of a function of another module is not followed."""
    while isinstance(value, ast.Call):
        value = value.func
    name = dotted(value) if value is not None else None
    if not name:
        return ""
    root = name.split(".")[0]
    for statement in script.tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            for alias in statement.names:
                if (alias.asname or alias.name.split(".")[0]) == root and root != script.tf:
                    module = statement.module if isinstance(statement, ast.ImportFrom) \
                        else alias.name
                    return ("; `%s` comes from the module %s, and the Keras target translates "
                            "one file at a time: move the input code into this script"
                            % (name, module))
    return ""


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
        if isinstance(root, ast.Call) and dotted(root.func) in _pipe_mode_names(script):
            return True  # SageMaker's PipeModeDataset is a tf.data.Dataset
        root = root.func if isinstance(root, ast.Call) else root.value
    if isinstance(root, ast.Name) and root.id in visiting:
        return True
    if isinstance(root, ast.Name) and root.id in assigned:
        return all(_is_dataset(script, value, assigned, translated, visiting | {root.id})
                   for value in assigned[root.id])
    return False


def _pipe_mode_names(script):
    """The script's names of ``sagemaker_tensorflow.PipeModeDataset``."""
    found = set()
    for statement in script.tree.body:
        if isinstance(statement, ast.ImportFrom) and statement.module == PIPE_MODE[0]:
            found.update(a.asname or a.name for a in statement.names if a.name == PIPE_MODE[1])
        elif isinstance(statement, ast.Import):
            found.update("%s.%s" % (a.asname or a.name, PIPE_MODE[1]) for a in statement.names
                         if a.name == PIPE_MODE[0])
    return found


def features_are_dict(script, input_fn_names):
    """Every input function of ``input_fn_names`` the script defines is known to give the
    model_fn a dict of features: a numpy_input_fn of ``x={...}``, a returned ``({...}, labels)``,
    or a dataset whose elements are made so (``map`` / ``map_and_batch`` of such a function,
    ``from_generator`` with such types). Unknown (a tensor, say) -> False."""
    functions = script.functions()
    found = [functions[name] for name in input_fn_names if name in functions]
    return bool(found) and all(_gives_dict(script, functions, f, set()) for f in found)


def _gives_dict(script, functions, function, seen):
    if function in seen:
        return True
    seen.add(function)
    returns = _own_returns(function)
    scope = dict(functions, **_local_functions(function))
    assigned = _assigned(function)
    return bool(returns) and all(_dict_value(script, scope, r.value, assigned, seen)
                                 for r in returns)


def _dict_value(script, scope, value, assigned, seen):
    """``value`` (returned by an input function, or a dataset) has dict features."""
    if value is None:
        return False
    if isinstance(value, ast.Name):
        if value.id in scope:  # a function returned (TF 1.4 called it)
            return _gives_dict(script, scope, scope[value.id], seen)
        values = assigned.get(value.id, [])
        return bool(values) and all(_dict_value(script, scope, v, {}, seen) for v in values)
    if isinstance(value, ast.Tuple):
        return len(value.elts) == 2 and _is_dict(value.elts[0], assigned)
    if not isinstance(value, ast.Call):
        return False
    name = script.canonical(value.func)
    if name in NUMPY_INPUT_FN:
        return _is_dict(call_arguments(value, NUMPY_POSITIONAL).get("x"), assigned)
    if isinstance(value.func, ast.Call) and not value.args:  # f(...)(): its function called
        return _dict_value(script, scope, value.func, assigned, seen)
    if isinstance(value.func, ast.Name) and value.func.id in scope:
        return _gives_dict(script, scope, scope[value.func.id], seen)
    if (name or "").endswith("from_generator"):
        args = call_arguments(value, ("generator", "output_types", "output_shapes", "args",
                                      "output_signature", "name"))
        types = args.get("output_types", args.get("output_signature"))
        return isinstance(types, ast.Tuple) and bool(types.elts) and \
            _is_dict(types.elts[0], assigned)
    # a dataset method: its last element-making function decides, else the dataset it is on
    for node in [value] + [a for a in value.args if isinstance(a, ast.Call)]:
        if isinstance(node.func, ast.Attribute) and node.func.attr == "map" or \
                (script.canonical(node.func) or "").endswith("map_and_batch"):
            function = node.args[0] if node.args else None
            if isinstance(function, ast.Lambda):
                return _dict_value(script, scope, function.body, {}, seen)
            if isinstance(function, ast.Name) and function.id in scope:
                return _gives_dict(script, scope, scope[function.id], seen)
            return False
    if isinstance(value.func, ast.Attribute):
        return _dict_value(script, scope, value.func.value, assigned, seen)
    return False


def _is_dict(node, assigned):
    if isinstance(node, ast.Name) and node.id in assigned:
        return all(_is_dict(v, {}) for v in assigned[node.id])
    return isinstance(node, (ast.Dict, ast.DictComp))


# numpy array methods returning numpy arrays
NUMPY_METHODS = ("astype", "reshape", "copy", "squeeze", "flatten", "ravel", "transpose")


def _numpy_arrays(script, functions, function, value):
    """``(features, labels)`` of numpy arrays: values of ``np.<f>(...)`` calls, sliced or
    through numpy's array methods, in names assigned them (also unpacked from a call of a
    function of the script returning such a tuple)."""
    return isinstance(value, ast.Tuple) and len(value.elts) == 2 and all(
        _numpy_value(script, functions, function, e, set()) for e in value.elts)


def _numpy_value(script, functions, function, node, seen):
    numpy = {alias.asname or alias.name for statement in script.tree.body
             if isinstance(statement, ast.Import) for alias in statement.names
             if alias.name == "numpy"}
    if isinstance(node, ast.Dict):
        return None not in node.keys and bool(node.values) and all(
            _numpy_value(script, functions, function, v, seen) for v in node.values)
    if isinstance(node, ast.Subscript):
        return _numpy_value(script, functions, function, node.value, seen)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if (dotted(node.func) or "").split(".")[0] in numpy:
            return True
        return node.func.attr in NUMPY_METHODS and _numpy_value(
            script, functions, function, node.func.value, seen)
    if not isinstance(node, ast.Name) or (function, node.id) in seen:
        return False
    seen = seen | {(function, node.id)}
    found = []  # each assignment of the name: (value, index in an unpacked tuple or None)
    for statement in ast.walk(function):
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1:
            target = statement.targets[0]
            if isinstance(target, ast.Name) and target.id == node.id:
                found.append((statement.value, None))
            elif isinstance(target, ast.Tuple) and any(
                    isinstance(e, ast.Name) and e.id == node.id for e in target.elts):
                index = [getattr(e, "id", None) for e in target.elts].index(node.id)
                found.append((statement.value, index))
        elif isinstance(statement, (ast.For, ast.With, ast.AugAssign, ast.AnnAssign,
                                    ast.NamedExpr)) and any(
                isinstance(n, ast.Name) and n.id == node.id and isinstance(n.ctx, ast.Store)
                for n in ast.walk(getattr(statement, "target", statement))):
            return False  # bound otherwise too
    if not found:
        return False
    for value, index in found:
        if index is None:
            if not _numpy_value(script, functions, function, value, seen):
                return False
            continue
        # x, y = helper(...): each return of the helper a tuple, its item numpy
        if not (isinstance(value, ast.Call) and isinstance(value.func, ast.Name) and
                value.func.id in functions):
            return False
        helper = functions[value.func.id]
        returns = _own_returns(helper)
        if not returns or not all(
                isinstance(r.value, ast.Tuple) and len(r.value.elts) > index and
                _numpy_value(script, functions, helper, r.value.elts[index], seen)
                for r in returns):
            return False
    return True
