"""``serving_input_fn`` -> the ``serving_default`` signature of the Keras export.

The legacy export's inputs come from the receiver the function built: a raw receiver
(``build_raw_serving_input_receiver_fn`` or ``ServingInputReceiver`` of placeholders) takes
those placeholders, batch dimension unknown; a parsing receiver takes serialized
``tf.train.Example`` strings. The translation keeps the names, dtypes and shapes, so a request
that worked against the legacy export works against the Keras one.
"""
import ast
import dataclasses
import textwrap
from typing import List, Optional

from legacy_compat.convert.keras.source import NotTranslated, call_arguments, leading_comments

RAW = ("tf.estimator.export.build_raw_serving_input_receiver_fn",)
PARSING = ("tf.estimator.export.build_parsing_serving_input_receiver_fn",)
RECEIVER = ("tf.estimator.export.ServingInputReceiver",)
PLACEHOLDER = ("tf.placeholder", "tf.compat.v1.placeholder")


@dataclasses.dataclass
class Placeholder:
    key: str              # source of the dict key (a literal or a constant's name)
    dtype: str            # source of the dtype
    shape: Optional[list]  # source of each dimension, or None when unknown


@dataclasses.dataclass
class Signature:
    kind: str                              # "raw" or "parsing"
    placeholders: List[Placeholder]        # raw: the inputs
    setup: List[str]                       # parsing: statements building the feature spec
    spec: Optional[str] = None             # parsing: the feature spec expression
    comments: List[str] = dataclasses.field(default_factory=list)

    def shape_of(self, key):
        for placeholder in self.placeholders:
            if placeholder.key == key:
                return placeholder
        return None


def read_signature(script, function):
    """What ``serving_input_fn`` gave the legacy export, or NotTranslated."""
    assigned = _assignments(function)
    returns = [n for n in ast.walk(function) if isinstance(n, ast.Return)]
    if len(returns) != 1 or returns[0].value is None:
        raise NotTranslated(function, "serving_input_fn without a single return of a receiver")
    value = returns[0].value
    comments = leading_comments(script, function)
    builder = None
    if isinstance(value, ast.Call) and not value.args and isinstance(value.func, ast.Call):
        builder = value.func
    elif isinstance(value, ast.Call) and script.canonical(value.func) in RAW + PARSING:
        builder = value  # the receiver function uncalled: train calls it (TF 1.4/1.5 did)
    if builder is not None:
        name = script.canonical(builder.func)
        if name in RAW and len(builder.args) == 1:
            return Signature("raw", _placeholders(script, builder.args[0], assigned, True), [],
                             comments=comments)
        if name in PARSING and len(builder.args) == 1:
            setup = [_statement_text(script, statement) for statement in function.body
                     if statement is not returns[0]]
            return Signature("parsing", [], setup, script.segment(builder.args[0]),
                             comments=comments)
    if isinstance(value, ast.Call) and script.canonical(value.func) in RECEIVER:
        args = call_arguments(value, ("features", "receiver_tensors"))
        features, receivers = args.get("features"), args.get("receiver_tensors")
        if features is not None and receivers is not None and \
                script.segment(features) == script.segment(receivers):
            return Signature("raw", _placeholders(script, features, assigned, False), [],
                             comments=comments)
    raise NotTranslated(value, "serving_input_fn returning `%s` (only raw placeholder and "
                        "tf.train.Example parsing receivers are translated)"
                        % script.segment(value)[:60])


def _statement_text(script, statement):
    """A statement's source; on lines of its own, its whole lines dedented (its continuation
    lines keep their alignment)."""
    lines = script.index.lines[statement.lineno - 1:statement.end_lineno]
    own_lines = len(lines[0]) - len(lines[0].lstrip()) == statement.col_offset and \
        len(lines[-1].rstrip()) == statement.end_col_offset
    if not own_lines:  # ``a = 1; b = 2``: the statement alone
        return script.segment(statement)
    return textwrap.dedent("".join(lines)).rstrip("\n")


def _assignments(function):
    found = {}
    for statement in function.body:
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Name):
            found[statement.targets[0].id] = statement.value
    return found


def _placeholders(script, node, assigned, batch_unknown):
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if not isinstance(node, ast.Dict) or None in node.keys:
        raise NotTranslated(node, "serving receiver tensors that are not a dict of placeholders")
    found = []
    for key, value in zip(node.keys, node.values):
        if isinstance(value, ast.Name) and value.id in assigned:
            value = assigned[value.id]
        if not (isinstance(value, ast.Call) and script.canonical(value.func) in PLACEHOLDER):
            raise NotTranslated(value, "a serving input that is not a tf.placeholder")
        args = call_arguments(value, ("dtype", "shape", "name"))
        shape = args.get("shape")
        dims = None
        if shape is not None and not (isinstance(shape, ast.Constant) and shape.value is None):
            if not isinstance(shape, (ast.List, ast.Tuple)):
                raise NotTranslated(shape, "a placeholder shape that is not a literal list")
            dims = [script.segment(d) for d in shape.elts]
            if batch_unknown and dims:
                dims[0] = "None"
        found.append(Placeholder(script.segment(key), script.segment(args["dtype"]), dims))
    return found


def render(signature, tf, outputs, input_name):
    """The translated ``serving_input_fn(model)``: it returns the tf.function to export.

    ``outputs``: lines computing and returning the output dict from ``features``.
    ``input_name``: the parsing signature's input key (``inputs`` for the canned
    classification / regression signatures, ``examples`` for predict).
    """
    lines = ['def serving_input_fn(model):']
    lines += ["    " + comment for comment in signature.comments]
    if signature.kind == "raw":
        specs = []
        for placeholder in signature.placeholders:
            shape = "None" if placeholder.shape is None else "[%s]" % ", ".join(placeholder.shape)
            specs.append("%s: %s.TensorSpec(%s, %s, name=%s)" % (
                placeholder.key, tf, shape, placeholder.dtype, placeholder.key))
        # on one line: wrap.py wraps it, the dict's entries aligned
        lines.append("    @%s.function(input_signature=[{%s}])" % (tf, ", ".join(specs)))
        lines.append("    def serve(features):")
    else:
        for statement in signature.setup:
            lines += ["    " + line for line in statement.splitlines()]
        lines.append('    @%s.function(input_signature=[%s.TensorSpec([None], %s.string, name="%s")])'
                     % (tf, tf, tf, input_name))
        lines.append("    def serve(%s):" % input_name)
        lines.append("        features = %s.io.parse_example(%s, %s)" % (tf, input_name,
                                                                       signature.spec))
    lines += ["        " + line for line in outputs]
    lines.append("    return serve")
    return "\n".join(lines) + "\n"
