"""Which local names are TensorFlow / NumPy, and what dotted names mean.

Canonical names start with ``tf.`` for TensorFlow (``tensorflow.python.x``
becomes ``tf.python.x``) and ``numpy.`` for NumPy.
"""
import ast
import dataclasses
from typing import Dict, Iterator, List, Tuple

from legacy_compat.convert.findings import ERROR, INFO
from legacy_compat.tables.lookup import HELPER, UNCONVERTIBLE, resolve

_ROOTS = {"tensorflow": "tf", "numpy": "numpy"}


def canonical_module(dotted):
    head, _, rest = dotted.partition(".")
    if head not in _ROOTS:
        return None
    return _ROOTS[head] + ("." + rest if rest else "")


@dataclasses.dataclass
class ImportMap:
    """Local name -> canonical dotted name, for TensorFlow and NumPy imports."""

    names: Dict[str, str]
    statements: List[ast.stmt]

    @classmethod
    def from_tree(cls, tree):
        return cls.from_nodes(node for node in ast.walk(tree)
                              if isinstance(node, (ast.Import, ast.ImportFrom)))

    @classmethod
    def from_nodes(cls, import_nodes):
        """From ``Import`` / ``ImportFrom`` nodes in ``ast.walk`` order."""
        names, statements = {}, []
        for node in import_nodes:
            if isinstance(node, ast.Import):
                for alias in node.names:
                    canonical = canonical_module(alias.name)
                    if canonical is None:
                        continue
                    statements.append(node)
                    if alias.asname:
                        names[alias.asname] = canonical
                    else:
                        root = alias.name.split(".")[0]
                        names[root] = _ROOTS[root]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                module = canonical_module(node.module)
                if module is None:
                    continue
                statements.append(node)
                for alias in node.names:
                    if alias.name != "*":
                        names[alias.asname or alias.name] = module + "." + alias.name
        return cls(names, statements)

    def module_alias(self, root):
        """Preferred local name for the ``tf`` / ``numpy`` module itself."""
        aliases = [name for name, canonical in self.names.items() if canonical == root]
        preferred = {"tf": "tf", "numpy": "np"}[root]
        if preferred in aliases:
            return preferred
        return sorted(aliases)[0] if aliases else None


def dotted_chains(parsed) -> Iterator[Tuple[List[ast.expr], List[str]]]:
    """Maximal ``a.b.c`` chains in load context: (nodes root->leaf, parts).

    ``parsed`` is a ``context.ParsedSource`` (its node index saves two walks).
    """
    inner = {id(node.value) for node in parsed.nodes(ast.Attribute)}
    for node in parsed.nodes(ast.Attribute, ast.Name):
        if id(node) in inner:
            continue
        if not isinstance(node.ctx, ast.Load):
            continue
        nodes = []
        current = node
        while isinstance(current, ast.Attribute):
            nodes.append(current)
            current = current.value
        if not isinstance(current, ast.Name):
            continue
        nodes.append(current)
        nodes.reverse()
        parts = [current.id] + [n.attr for n in nodes[1:]]
        yield nodes, parts


def render(replacement, tf_name):
    """Write a canonical ``tf.`` replacement with the file's alias for TensorFlow."""
    if replacement == "tf" or replacement.startswith("tf."):
        return tf_name + replacement[2:]
    return replacement


def rewrite_tf_chains(ctx, select, describe):
    """Rewrite TensorFlow dotted names whose canonical name ``select`` accepts.

    Renames and helpers become edits (INFO findings); unconvertible names
    become ERROR findings and are left in place (marked later).
    """
    imports = ctx.imports.names
    if not any(module.startswith("tf") for module in imports.values()):
        return
    tf_name = None
    for nodes, parts in ctx.parsed.chains:
        alias = imports.get(parts[0])
        if alias is None or not alias.startswith("tf"):
            continue
        alias_parts = alias.split(".")
        canonical_parts = alias_parts + parts[1:]
        canonical = ".".join(canonical_parts)
        if not select(canonical):
            continue
        resolution = resolve(canonical)
        if resolution is None:
            continue
        original = ".".join(parts)
        if resolution.kind == UNCONVERTIBLE:
            ctx.report(ERROR, resolution.text, node=nodes[0], suggestion=resolution.suggestion)
            continue
        length = resolution.length
        if length <= len(alias_parts):
            node = nodes[0]
            tail = canonical_parts[length:len(alias_parts)]
        else:
            node = nodes[length - len(alias_parts)]
            tail = []
        if resolution.kind == HELPER:
            if tail:
                continue
            ctx.need_helper(resolution.text)
            text = resolution.text
        else:
            if tf_name is None:
                tf_name = ctx.tf_alias()
            text = render(".".join([resolution.text] + tail), tf_name)
        old_text = ctx.source[slice(*ctx.index.node_span(node))]
        if text == old_text:
            continue
        ctx.replace_node(node, text)
        ctx.report(INFO, "%s: %s -> %s" % (describe, old_text if "\n" not in old_text else original,
                                           text), node=node)
