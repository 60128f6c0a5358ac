"""Add the imports and tf.contrib stand-ins other rules asked for.

By default the stand-ins are imported from the support module written beside the
script (``helpers.SUPPORT_FILE``); with ``--single-file`` they are copied into the
script, in a delimited block after its imports.
"""
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
    """(start, end, names) of an existing single-file helper block, or None."""
    start = ctx.source.find(helpers.BEGIN)
    if start < 0:
        return None
    end = ctx.source.find(helpers.END, start)
    end = ctx.source.find("\n", end) + 1 if end >= 0 else len(ctx.source)
    names = {name for name, portable in helpers.HELPER_NAMES.items()
             if "def %s(" % helpers.SINGLE_FILE_RENAMES.get(portable, portable)
             in ctx.source[start:end]}
    return start, end, names


def _imported_from_support(tree):
    return {alias.name for node in tree.body if isinstance(node, ast.ImportFrom)
            and node.module == helpers.SUPPORT_MODULE and not node.level
            for alias in node.names}


def _insert_after_imports(ctx, text):
    offset = _offset_after_line(ctx, insertion_line(ctx.tree))
    ctx.replace_span(offset, offset, text)


def _single_file(ctx, wanted, tf_import):
    existing = _existing_helpers(ctx)
    if existing and wanted <= existing[2]:
        return False
    present = helpers.top_level_imports(ctx.tree)
    if existing:
        ctx.replace_span(existing[0], existing[1],
                         helpers.block(wanted | existing[2], present, tf_import))
        return True
    offset = _offset_after_line(ctx, insertion_line(ctx.tree))
    before = "\n\n" if offset else ""
    after = "\n" if ctx.source[offset:offset + 1] == "\n" else "\n\n"
    ctx.replace_span(offset, offset, before + helpers.block(wanted, present, tf_import) + after)
    return True


def _support_module(ctx, wanted, tf_import):
    ctx.state.extra_files[helpers.SUPPORT_FILE] = helpers.support_module()
    names = [name for name in helpers.portable_names(wanted) if name != "PipeModeDataset"
             and name not in _imported_from_support(ctx.tree)]
    lines = ["import tensorflow as tf"] if tf_import else []
    if names:
        lines.append("from %s import %s" % (helpers.SUPPORT_MODULE, ", ".join(names)))
    if lines:
        _insert_after_imports(ctx, "\n".join(lines) + "\n")


# Any rule may request a helper or the tf import, so this runs after all of them.
@register("add-helpers", after=(EVERY_RULE, "script-mode-entry-point"),
          summary="insert requested imports and tf.contrib stand-ins")
def add_helpers(ctx):
    wanted, tf_import = ctx.state.take_requests(ctx.rule_name)
    if wanted and ctx.settings.single_file:
        if _single_file(ctx, wanted, tf_import):
            return  # the block has the tf import
    elif wanted:
        _support_module(ctx, wanted, tf_import)
        return
    if tf_import:
        _insert_after_imports(ctx, "import tensorflow as tf\n")
