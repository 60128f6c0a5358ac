"""End a legacy training script with a Script Mode entry point (``entry_point.py``)."""
import ast
import os

from legacy_compat import contract
from legacy_compat.convert import entry_point, helpers
from legacy_compat.convert.context import top_level_functions
from legacy_compat.convert.findings import ERROR, INFO, WARNING
from legacy_compat.convert.registry import EVERY_RULE, register
from legacy_compat.convert.settings import ScriptKind


def _defined_names(tree):
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).partition(".")[0] for alias in node.names)
    return names


def _revival_offset(ctx):
    """Where the estimator revival goes: just above the first statement that is not the
    docstring or a ``from __future__`` import (those must come first), so that it precedes
    every import and the file's leading comments (``#!``, coding, notes) stay on top."""
    for index, node in enumerate(ctx.tree.body):
        is_docstring = (index == 0 and isinstance(node, ast.Expr)
                        and isinstance(node.value, ast.Constant)
                        and isinstance(node.value.value, str))
        if is_docstring or (isinstance(node, ast.ImportFrom) and node.module == "__future__"):
            continue
        line = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])])
        return ctx.index.line_start(line)
    return len(ctx.source)


def _has_main_guard(tree):
    for node in tree.body:
        if isinstance(node, ast.If) and "__name__" in ast.unparse(node.test) \
                and "__main__" in ast.unparse(node.test):
            return True
    return False


# The generated code is TF 2 code already: every rule that rewrites the user's
# code runs first, so none spends time on it.
@register("script-mode-entry-point", after=(EVERY_RULE,),
          summary="end the script with a Script Mode entry point that trains like the legacy "
                  "container")
def script_mode_entry_point(ctx):
    if ctx.settings.script_kind is ScriptKind.MODULE:
        return
    functions = top_level_functions(ctx.tree)
    builders = [name for name in contract.BUILDER_PRECEDENCE if name in functions]
    if "train_input_fn" not in functions or not builders:
        if ctx.settings.script_kind is ScriptKind.TRAINING:
            missing = ([] if builders else ["one of %s" % ", ".join(contract.BUILDER_PRECEDENCE)]) + (
                [] if "train_input_fn" in functions else ["train_input_fn"])
            ctx.report(ERROR, "not a Legacy Mode training script: %s missing at the top level"
                       % " and ".join(missing), line=0, col=0,
                       suggestion="convert the training script (the legacy entry_point), or "
                       "convert this file as a module")
        return
    ctx.state.is_legacy_script = True
    if entry_point.BEGIN in ctx.source:
        return  # already converted
    if len(builders) > 1:
        ctx.report(WARNING, "the script defines %s; like the legacy container, the entry point "
                   "uses %s" % (" and ".join(builders), builders[0]), node=functions[builders[0]])
    has_eval = "eval_input_fn" in functions
    if not has_eval:
        ctx.report(WARNING, "eval_input_fn is missing (the legacy container required it); "
                   "the entry point trains and exports without evaluating (like "
                   "legacy-compat train --no-eval)", line=0, col=0,
                   suggestion="define eval_input_fn(training_dir, hyperparameters) to evaluate")
    has_serving = "serving_input_fn" in functions
    if not has_serving:
        ctx.report(WARNING, "serving_input_fn is missing, so no SavedModel is exported "
                   "(same as the legacy container)", line=0, col=0,
                   suggestion="define serving_input_fn(hyperparameters) to get a servable model")
    if ctx.settings.single_file:
        block, carried = helpers.single_file_statements(ctx.state.helpers)
        ours = set(name for statement in block + carried for name in statement.names)
        # The helper block (add-helpers) goes above with its imports: none twice.
        present = helpers.top_level_imports(ctx.tree) | set(
            helpers.package().imports_for(block))
    else:
        carried, ours, present = None, {helpers.SUPPORT_MODULE}, ()
    for name in sorted(_defined_names(ctx.tree) & ours):
        ctx.report(ERROR, "the script defines %r, which the generated entry point also defines"
                   % name, line=0, col=0, suggestion="rename one of them")
    if _has_main_guard(ctx.tree):
        ctx.report(ERROR, "the script already has an `if __name__ == '__main__':` block; it "
                   "would run before the generated entry point", line=0, col=0,
                   suggestion="remove the old block or merge it into the generated one")
    target = ctx.settings.target_tf
    if ctx.settings.needs_revived_estimator and entry_point.REVIVAL_MARKER not in ctx.source:
        offset = _revival_offset(ctx)
        before = "" if offset == 0 or ctx.source[:offset].endswith("\n\n") else "\n"
        if offset and not ctx.source[:offset].endswith("\n"):
            before = "\n\n"
        ctx.replace_span(offset, offset, before + entry_point.render_revival(target) + "\n")
        ctx.report(INFO, "TensorFlow %s has no tf.estimator: the script imports "
                   "legacy_compat.estimator first and needs legacy-compat[tf-modern]" % target,
                   line=0, col=0)
    text = entry_point.render(os.path.basename(ctx.path), builders[0], has_eval, has_serving,
                              target, carried, present)
    if not ctx.settings.single_file:
        ctx.state.extra_files[helpers.SUPPORT_FILE] = helpers.support_module()
    source = ctx.source
    separator = "\n\n" if source.endswith("\n") else "\n\n\n"
    if source.endswith("\n\n"):
        separator = "\n" if not source.endswith("\n\n\n") else ""
    ctx.replace_span(len(source), len(source), separator + text + "\n")
    ctx.report(INFO, "added the Script Mode entry point (%s, %s)" % (
        builders[0], "exports to $SM_MODEL_DIR/export/Servo" if has_serving else "no export"),
        line=0, col=0)
