"""Drop TensorFlow imports that no longer work (private, contrib, removed modules).

Runs after the name rules, which rewrote every use of such an import to a
public name; an import whose names are no longer used is removed.  One that
is still used (an unconvertible tf.contrib module) is commented out and
reported, because it would stop the script at import time.
"""
import ast

from legacy_compat.convert.findings import ERROR, INFO
from legacy_compat.convert.names import canonical_module
from legacy_compat.convert.registry import register
from legacy_compat.tables.lookup import resolve


def _bound(alias):
    return alias.asname or alias.name.split(".")[0]


def _broken(canonical):
    return canonical is not None and resolve(canonical) is not None


def _statement_lines(ctx, node):
    """Span of whole lines when the statement is alone on its lines."""
    start, end = ctx.index.node_span(node)
    line_start = ctx.index.line_start(node.lineno)
    before = ctx.source[line_start:start]
    after_end = ctx.source.find("\n", end)
    after_end = len(ctx.source) if after_end < 0 else after_end + 1
    after = ctx.source[end:after_end]
    if before.strip() == "" and after.strip() == "":
        return line_start, after_end, before
    return start, end, None


# An import can go once the name rules have rewritten its uses.
@register("tf-imports", after=("tf-private-names", "tf-contrib", "tf-renames"),
          summary="remove or comment out imports of private / tf.contrib / removed TF modules")
def tf_imports(ctx):
    candidates = ctx.nodes(ast.Import, ast.ImportFrom)
    if not any(_broken(name) for node in candidates for name in _imported_names(node)):
        return
    used = {node.id for node in ctx.nodes(ast.Name)}
    for node in candidates:
        found = _import_entries(node)
        if found is None:
            continue
        entries, broken_plain = found
        if not any(_broken(c) for _, c in entries) and not broken_plain:
            continue
        _rewrite(ctx, node, *_sort_aliases(entries, broken_plain, used))


def _imported_names(node):
    """The canonical name of each alias an import statement imports (None: not TF / NumPy)."""
    for alias in node.names:
        if isinstance(node, ast.Import):
            yield canonical_module(alias.name)
        elif node.module and not node.level:
            yield canonical_module("%s.%s" % (node.module, alias.name))
        else:
            yield None


def _import_entries(node):
    """(alias, the canonical name it binds or None) per alias, and the plain ``import
    tensorflow.contrib.x`` aliases; None for an import of something else."""
    if isinstance(node, ast.Import):
        entries = [(alias, canonical_module(alias.name) if alias.asname else None)
                   for alias in node.names]
        # `import tensorflow.contrib.x` (no alias) binds `tensorflow` itself
        broken_plain = [alias for alias in node.names if not alias.asname
                        and _broken(canonical_module(alias.name) or "")
                        and canonical_module(alias.name).count(".")]
        return entries, broken_plain
    if node.module and not node.level:
        module = canonical_module(node.module)
        if module is not None:
            return [(alias, module + "." + alias.name) for alias in node.names], []
    return None


def _sort_aliases(entries, broken_plain, used):
    """The names the statement keeps, those it drops (unused now) and those it cannot drop."""
    keep, dropped, still_used = [], [], []
    for alias, canonical in entries:
        if alias in broken_plain:
            keep.append(ast.alias(name="tensorflow", asname=None))
            dropped.append(alias.name)
        elif not _broken(canonical):
            keep.append(alias)
        elif _bound(alias) in used:
            still_used.append(alias)
        else:
            dropped.append(alias.name)
    return keep, dropped, still_used


def _rewrite(ctx, node, keep, dropped, still_used):
    start, end, indent = _statement_lines(ctx, node)
    lines = []
    if still_used:
        names = ", ".join(a.name for a in still_used)
        ctx.report(ERROR, "import of %s cannot work in TensorFlow 2 and was commented out; "
                   "its remaining uses are marked" % names, node=node,
                   suggestion="replace the remaining uses, then delete the commented import")
        lines.append("# " + ast.get_source_segment(ctx.source, node).replace("\n", "\n# "))
    if keep:
        lines.append(_kept_statement(node, keep))
    if dropped:
        ctx.report(INFO, "removed import of %s (uses now refer to public TensorFlow names)"
                   % ", ".join(dropped), node=node)
    ctx.replace_span(start, end, _replacement(ctx.tree, node, lines, indent))


def _kept_statement(node, keep):
    """The statement with the names it keeps, each once."""
    seen = []
    for alias in keep:
        if ast.dump(alias) not in [ast.dump(s) for s in seen]:
            seen.append(alias)
    if isinstance(node, ast.Import):
        return ast.unparse(ast.Import(names=seen))
    return ast.unparse(ast.ImportFrom(module=node.module, names=seen, level=0))


def _replacement(tree, node, lines, indent):
    """What the statement's text becomes: ``a; b`` inside a line, or whole indented lines
    (``pass`` where removing it would leave its block empty)."""
    if indent is None:
        return "; ".join(lines) if lines else "pass"
    if lines:
        return "".join(indent + line.replace("\n", "\n" + indent) + "\n" for line in lines)
    return indent + "pass\n" if _only_statement_in_block(tree, node) else ""


def _only_statement_in_block(tree, target):
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            block = getattr(node, field, None)
            if isinstance(block, list) and target in block and len(block) == 1:
                return not isinstance(node, ast.Module)
        for handler in getattr(node, "handlers", []) or []:
            if target in handler.body and len(handler.body) == 1:
                return True
    return False
