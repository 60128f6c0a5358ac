"""Warn where ``/`` may have been integer division under Python 2."""
import ast

from legacy_compat.convert.findings import WARNING
from legacy_compat.convert.registry import register


@register("true-division", after=("py2-to-py3",), summary="flag `/` that may have been integer division")
def true_division(ctx):
    # fix_future is not run, so a `from __future__ import division` is still here
    if any(isinstance(node, ast.ImportFrom) and node.module == "__future__"
           and any(alias.name == "division" for alias in node.names)
           for node in ctx.tree.body):
        return
    for node in ctx.nodes(ast.BinOp, ast.AugAssign):
        if not isinstance(node.op, ast.Div):
            continue
        operands = [node.left, node.right] if isinstance(node, ast.BinOp) else [node.value]
        if any(isinstance(o, ast.Constant) and isinstance(o.value, float) for o in operands):
            continue
        ctx.report(WARNING, "`/` is true division in Python 3 but was integer division in "
                   "Python 2 when both operands are int", node=node,
                   suggestion="use `//` if integer division is intended")
