"""Add the imports and tf.contrib replacement helpers other rules asked for."""
import ast

from legacy_compat.convert import helpers
from legacy_compat.convert.registry import EVERY_RULE, register


def insertion_line(tree):
    """1-based line after the leading docstring / imports of the module."""
    line = 0
    for index, node in enumerate(tree.body):
        is_docstring = (index == 0 and isinstance(node, ast.Expr)
                        and isinstance(node.value, ast.Constant)
                        and isinstance(node.value.value, str))
        if is_docstring or isinstance(node, (ast.Import, ast.ImportFrom)):
            line = node.end_lineno
        else:
            break
    return line


def _offset_after_line(ctx, line):
    if line == 0:
        return 0
    return ctx.index.line_start(line + 1) if line < len(ctx.index.lines) else len(ctx.source)


def _existing_helpers(ctx):
    """(start, end, names) of an existing helper block, or None."""
    start = ctx.source.find(helpers.BEGIN)
    if start < 0:
        return None
    end = ctx.source.find(helpers.END, start)
    end = ctx.source.find("\n", end) + 1 if end >= 0 else len(ctx.source)
    names = {name for name in helpers.HELPERS if "def %s(" % name in ctx.source[start:end]}
    return start, end, names


# Any rule may request a helper or the tf import, so this runs after all of them.
@register("add-helpers", after=(EVERY_RULE, "script-mode-entry-point"),
          summary="insert requested imports and tf.contrib replacement helpers")
def add_helpers(ctx):
    wanted, tf_import = ctx.state.take_requests(ctx.rule_name)
    existing = _existing_helpers(ctx)
    if wanted and existing and wanted <= existing[2]:
        wanted = set()
    if wanted:
        if existing:
            ctx.replace_span(existing[0], existing[1], helpers.block(wanted | existing[2]))
            return
        offset = _offset_after_line(ctx, insertion_line(ctx.tree))
        before = "\n\n" if offset else ""
        after = "\n" if ctx.source[offset:offset + 1] == "\n" else "\n\n"
        ctx.replace_span(offset, offset, before + helpers.block(wanted) + after)
        return  # the block imports tensorflow as tf itself
    if tf_import:
        offset = _offset_after_line(ctx, insertion_line(ctx.tree))
        ctx.replace_span(offset, offset, "import tensorflow as tf\n")
