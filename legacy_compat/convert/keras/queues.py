"""Queue readers -> a ``tf.data.TFRecordDataset`` pipeline, in the input function itself.

The TF 1.x shape, statements of one function's body::

    queue = tf.train.string_input_producer(files, num_epochs=..., shuffle=...)
    reader = tf.TFRecordReader()
    _, serialized = reader.read(queue)
    ... parsing: tf.parse_single_example(serialized, ...), casts, reshapes ...
    images, labels = tf.train.shuffle_batch([image, label], batch_size, capacity,
                                            min_after_dequeue)
    return {'images': images}, labels

becomes a local ``parse(serialized)`` holding the parsing statements and returning what was
batched, and the files read, repeated, parsed, shuffled and batched as the queues did
(tables.QUEUE_READERS): ``string_input_producer``'s file order shuffled each epoch when it
shuffled (``shuffle=True``, its default, over more than one file) and its ``num_epochs``
(None: forever) -> ``Dataset.from_tensor_slices(files).shuffle(len(files)).repeat(...)``
read with ``flat_map(TFRecordDataset)``; ``shuffle_batch``'s ``min_after_dequeue`` ->
``.shuffle(min_after_dequeue)``; ``allow_smaller_final_batch=False`` (the default) ->
``.batch(batch_size, drop_remainder=True)``. Any other shape is left alone here, and the
queue names then stop the translation (tables.UNTRANSLATABLE).
"""
import ast
import collections

from legacy_compat.convert.keras import tables
from legacy_compat.convert.keras.source import NotTranslated, call_arguments

Pipeline = collections.namedtuple(
    "Pipeline", "function producer reader read parse batch nodes")


def _assigned_call(script, statement, names):
    """``x = <call of one of names>`` -> the call, else None."""
    if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(
            statement.targets[0], ast.Name) and isinstance(statement.value, ast.Call) and \
            script.canonical(statement.value.func) in names:
        return statement.value
    return None


def _batch_call(script, statement):
    value = statement.value if isinstance(statement, (ast.Assign, ast.Return)) else None
    if isinstance(value, ast.Call) and script.canonical(value.func) in tables.QUEUE_BATCH:
        return value
    return None


def find(script, function):
    """The queue pipelines of ``function``'s body (no edits)."""
    body = function.body
    found = []
    for position, statement in enumerate(body):
        if _assigned_call(script, statement, tables.QUEUE_PRODUCERS) is None:
            continue
        queue = statement.targets[0].id
        read = next((s for s in body[position + 1:] if _reads(s, queue)), None)
        if read is None:
            continue
        reader_name = read.value.func.value.id
        reader = next((s for s in body[position + 1:body.index(read)] + body[:position]
                       if _assigned_call(script, s, tables.QUEUE_READERS) is not None and
                       s.targets[0].id == reader_name and not s.value.args and
                       not s.value.keywords), None)
        batch = next((s for s in body[body.index(read) + 1:] if _batch_call(script, s)), None)
        if reader is None or batch is None:
            continue
        parse = body[body.index(read) + 1:body.index(batch)]
        statements = [statement, reader, read, batch] + parse
        nodes = set(n for s in statements for n in ast.walk(s))
        key = read.targets[0].elts[0].id
        # the queue, the reader and the record key serve nothing else
        if any(isinstance(n, ast.Name) and n.id in (queue, reader_name, key) and n not in nodes
               for n in ast.walk(function)) or any(isinstance(n, (ast.Return, ast.Yield))
                                                   for s in parse for n in ast.walk(s)):
            continue
        if any(s in parse for s in (statement, reader)):
            continue
        # what the parsing computes serves the batch only (it moves into a function)
        parsed = set(n.id for s in parse for n in ast.walk(s)
                     if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store))
        if any(isinstance(n, ast.Name) and n.id in parsed and n not in nodes
               for n in ast.walk(function)):
            continue
        found.append(Pipeline(function, statement, reader, read, parse, batch, nodes))
    return found


def _reads(statement, queue):
    """``key, value = reader.read(queue)``."""
    return (isinstance(statement, ast.Assign) and len(statement.targets) == 1 and
            isinstance(statement.targets[0], ast.Tuple) and len(statement.targets[0].elts) == 2
            and all(isinstance(e, ast.Name) for e in statement.targets[0].elts) and
            isinstance(statement.value, ast.Call) and
            isinstance(statement.value.func, ast.Attribute) and
            statement.value.func.attr == "read" and
            isinstance(statement.value.func.value, ast.Name) and
            len(statement.value.args) == 1 and not statement.value.keywords and
            isinstance(statement.value.args[0], ast.Name) and
            statement.value.args[0].id == queue)


def _arguments(script, call, positional, accepted):
    args = call_arguments(call, positional)
    name = script.canonical(call.func)
    for arg, node in args.items():
        if arg not in accepted:
            raise NotTranslated(call, "%s(%s=...)" % (name, arg))
    return {arg: script.segment(node) for arg, node in args.items()}, args


def _is_none(node):
    return node is None or isinstance(node, ast.Constant) and node.value is None


def render(script, pipeline, indent, free_name):
    """(the statements replacing the reader and the parsing, the batched dataset)."""
    producer = pipeline.producer.value
    files, nodes = _arguments(script, producer, tables.STRING_INPUT_PRODUCER_POSITIONAL,
                              tables.STRING_INPUT_PRODUCER_KEPT)
    batch = _batch_call(script, pipeline.batch)
    batch_name = script.canonical(batch.func)
    spec = tables.QUEUE_BATCH[batch_name]
    batched, batch_nodes = _arguments(script, batch, spec.positional, spec.kept)
    for arg, allowed in spec.only.items():
        if arg in batch_nodes and not (isinstance(batch_nodes[arg], ast.Constant) and
                                       batch_nodes[arg].value in allowed):
            raise NotTranslated(batch, "%s(%s=%s)" % (batch_name, arg, batched[arg]))
    serialized = pipeline.read.targets[0].elts[1].id
    parse_name, dataset = free_name("parse"), free_name("dataset")
    inner = indent + "    "
    lines = ["%sdef %s(%s):" % (indent, parse_name, serialized)]
    if pipeline.parse:  # their lines as they are (comments included), one level deeper
        first = script.index.line_start(pipeline.read.end_lineno + 1)
        text = script.text[first:script.index.line_start(pipeline.parse[-1].end_lineno + 1)]
        lines.extend(("    " + line if line.strip() else line)
                     for line in text.rstrip("\n").split("\n"))
    tensors = batch_nodes["tensors"]
    returned = ", ".join(script.segment(e) for e in tensors.elts) if isinstance(
        tensors, (ast.List, ast.Tuple)) else batched["tensors"]
    if isinstance(tensors, (ast.List, ast.Tuple)) and len(tensors.elts) == 1:
        returned += ","
    lines.append("%sreturn %s" % (inner, returned))
    lines.append("")
    # the files, in string_input_producer's order, for its epochs
    epochs = nodes.get("num_epochs")
    repeat = ".repeat()" if _is_none(epochs) else "" if batched_one(epochs) else \
        ".repeat(%s)" % files["num_epochs"]
    shuffle = nodes.get("shuffle")
    if shuffle is not None and not isinstance(shuffle, ast.Constant):
        raise NotTranslated(producer, "string_input_producer(shuffle=%s), a variable"
                            % files["shuffle"])
    listed = _value(pipeline.function, nodes["string_tensor"])
    one_file = isinstance(listed, (ast.List, ast.Tuple)) and len(listed.elts) == 1
    tf = script.tf
    if one_file or (shuffle is not None and not shuffle.value):
        lines.append("%s%s = %s.data.TFRecordDataset(%s)%s" % (
            indent, dataset, tf, files["string_tensor"], repeat))
    else:
        seed = ", seed=%s" % files["seed"] if "seed" in files else ""
        lines.append("%s# the files in a new order each epoch, as the file queue read them"
                     % indent)
        lines.append("%s%s = %s.data.Dataset.from_tensor_slices(%s)" % (
            indent, dataset, tf, files["string_tensor"]))
        lines.append("%s%s = %s.shuffle(len(%s)%s)%s" % (
            indent, dataset, dataset, files["string_tensor"], seed, repeat))
        lines.append("%s%s = %s.flat_map(%s.data.TFRecordDataset)" % (
            indent, dataset, dataset, tf))
    lines.append("%s%s = %s.map(%s)" % (indent, dataset, dataset, parse_name))
    if spec.shuffle:
        seed = ", seed=%s" % batched["seed"] if "seed" in batched else ""
        lines.append("%s%s = %s.shuffle(%s%s)" % (indent, dataset, dataset,
                                                  batched["min_after_dequeue"], seed))
    smaller = batch_nodes.get("allow_smaller_final_batch")  # a constant (spec.only)
    drop = "" if smaller is not None and smaller.value else ", drop_remainder=True"
    return "\n".join(lines) + "\n", "%s.batch(%s%s)" % (dataset, batched["batch_size"], drop)


def _value(function, node):
    """A name assigned once in the function -> the expression assigned; else the node."""
    if not isinstance(node, ast.Name):
        return node
    assigned = [n.value for n in ast.walk(function) if isinstance(n, ast.Assign) and
                len(n.targets) == 1 and isinstance(n.targets[0], ast.Name) and
                n.targets[0].id == node.id]
    return assigned[0] if len(assigned) == 1 else node


def batched_one(node):
    return isinstance(node, ast.Constant) and node.value == 1
