"""Reading the (Python 3) script: dotted TensorFlow names, source text of nodes, edits."""
import ast

from legacy_compat.convert.textpos import Edit, LineIndex, apply_edits


class NotTranslated(Exception):
    """A construct the Keras target cannot reproduce faithfully: the file falls back."""

    def __init__(self, node, construct):
        super().__init__(construct)
        self.node = node
        self.construct = construct


def dotted(node):
    """``tf.train.AdamOptimizer`` for the expression ``tf.train.AdamOptimizer``, else None."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


class Script:
    """One source text with its tree and the edits recorded against it."""

    def __init__(self, text):
        self.text = text
        self.tree = ast.parse(text)
        self.index = LineIndex(text)
        self.edits = []
        self.tf = "tf"
        for node in self.tree.body:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name == "tensorflow":
                        self.tf = alias.asname or "tensorflow"
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                child.parent = node

    def canonical(self, node):
        """The ``tf.``-rooted name of a node, whatever the script's alias for TensorFlow."""
        name = dotted(node)
        if name is None:
            return None
        if name == self.tf or name.startswith(self.tf + "."):
            return "tf" + name[len(self.tf):]
        return name

    def segment(self, node):
        start, end = self.index.node_span(node)
        return self.text[start:end]

    def line_of(self, node):
        """The stripped source line of a node ("" when it has no line in this text)."""
        lineno = getattr(node, "lineno", 0)
        return self.index.lines[lineno - 1].strip() if 0 < lineno <= len(self.index.lines) \
            else ""

    def replace(self, node, text):
        start, end = self.index.node_span(node)
        self.edits.append(Edit(start, end, text))

    def replace_lines(self, first, last, text):
        """Whole lines ``first``..``last`` (1-based) by ``text`` (which ends with a newline)."""
        self.edits.append(Edit(self.index.line_start(first), self.index.line_start(last + 1),
                               text))

    def insert_at_line(self, line, text):
        start = self.index.line_start(line)
        self.edits.append(Edit(start, start, text))

    def result(self):
        return apply_edits(self.text, self.edits)

    def functions(self):
        return {node.name: node for node in self.tree.body if isinstance(node, ast.FunctionDef)}


def call_arguments(call, positional):
    """name -> expression node, from a call's positional (by ``positional`` order) and
    keyword arguments; raises NotTranslated for ``*args`` / ``**kwargs`` or unknown ones."""
    found = {}
    for position, arg in enumerate(call.args):
        if isinstance(arg, ast.Starred) or position >= len(positional):
            raise NotTranslated(call, "%s with arguments not translated" % _called(call))
        found[positional[position]] = arg
    for keyword in call.keywords:
        if keyword.arg is None:
            raise NotTranslated(call, "%s with **keyword arguments" % _called(call))
        found[keyword.arg] = keyword.value
    return found


def _called(call):
    return dotted(call.func) or "a call"


def first_statement_line(function):
    """The first line of a function's body, counting comments between the signature and it."""
    return function.body[0].lineno


def leading_comments(script, function):
    """The comment lines directly after the ``def`` line and before the first statement."""
    start = function.body[0].lineno - 1
    lines = []
    line = start
    while line > function.lineno and script.index.lines[line - 1].strip().startswith("#"):
        lines.insert(0, script.index.lines[line - 1].strip())
        line -= 1
    return lines


def body_indent(script, function):
    line = script.index.lines[function.body[0].lineno - 1]
    return line[:len(line) - len(line.lstrip())]
