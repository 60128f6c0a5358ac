"""One file -> a Keras 3 Script Mode script, or the Estimator target's conversion with an ERROR.

The steps: the shared py2->py3 and import rules; the input functions, the model builder and
the serving signature rewritten; the ``__main__`` block appended; TensorFlow names
translated; the lines the conversion wrote longer than 100 columns wrapped. The first
construct that has no faithful Keras translation (``NotTranslated``) sends the whole file to
the Estimator target instead, with an ERROR finding at its line and a header saying why.
"""
import ast
import difflib
import os
import re

from legacy_compat import contract
from legacy_compat.convert import helpers
from legacy_compat.convert.findings import ERROR, INFO, WARNING, Finding
from legacy_compat.convert.keras import inputs, models, names, serving, siblings, tables, wrap
from legacy_compat.convert.keras.source import NotTranslated, Script
from legacy_compat.convert.pipeline import Conversion, convert_text
from legacy_compat.convert.registry import get_rule
from legacy_compat.convert.settings import NEWEST_TARGET, Settings

# The shared rules that make the text Python 3 with public TensorFlow names.
PRE_RULES = ("py2-to-py3", "numpy-aliases", "tf-contrib", "tf-private-names", "tf-imports")
SIBLING = "keras_job.py"
SERVING_HOOKS = ("input_fn", "output_fn", "transform_fn")


def convert_keras(text, path, settings=None):
    """Convert one file for the Keras target; ``ConvertError`` for unparsable input.

    ``settings``: the Estimator target a file falls back to (default: the newest release).
    """
    settings = settings or Settings(target_tf=NEWEST_TARGET)
    pre = convert_text(text, path, rules=[get_rule(name) for name in PRE_RULES])
    script = Script(pre.output)
    functions = script.functions()
    builder = next((name for name in contract.BUILDER_PRECEDENCE if name in functions), None)
    elsewhere = _bound_otherwise(script, functions)
    if not ((builder or set(contract.BUILDER_PRECEDENCE) & set(elsewhere)) and (
            "train_input_fn" in functions or "train_input_fn" in elsewhere)):
        conversion = convert_text(text, path, settings=settings)
        conversion.findings.append(Finding(
            path, 0, 0, INFO, "not a training script: converted with the Estimator target's "
            "rules (a helper module keeps its TensorFlow code)", rule="keras-target"))
        return conversion
    inlined = None
    try:
        for finding in pre.findings:
            if finding.severity == ERROR:
                node = ast.Pass(lineno=finding.line, col_offset=max(finding.col - 1, 0))
                raise NotTranslated(node, finding.message)
        inlined = siblings.inline(script, path, _prepared)
        merged = Script(inlined.text) if inlined else script
        if inlined:
            functions = merged.functions()
            builder = next((n for n in contract.BUILDER_PRECEDENCE if n in functions), None)
            elsewhere = _bound_otherwise(merged, functions)
        if elsewhere:
            name, node = min(elsewhere.items(), key=lambda item: item[1].lineno)
            raise NotTranslated(node, "%s not defined by a `def` in this script (`%s`): the "
                                "Keras target translates the functions a script defines"
                                % (name, merged.line_of(node)))
        output = _translate(merged, functions, builder, text)
        compile(output, path, "exec", dont_inherit=True)
    except NotTranslated as error:
        if inlined:  # raised on the text with the helpers' code in it
            error = inlined.original_error(error)
        return _fallback(text, path, script, error, settings)
    copied = "; copied from the helper modules beside it: %s" % "; ".join(
        inlined.copied) if inlined else ""
    exported = "exported for TensorFlow Serving" if contract.SERVING_INPUT_FN in functions \
        else "not exported (no serving_input_fn, as in Legacy Mode)"
    findings = [Finding(path, 0, 0, INFO, "target keras: the %s became a Keras 3 model trained "
                        "by model.fit and %s; support code in %s%s"
                        % (builder, exported, SIBLING, copied), rule="keras-target")]
    if settings.single_file:
        findings.append(Finding(path, 0, 0, WARNING, "the script imports %s, which is written "
                                "beside it only with -o or --in-place" % SIBLING,
                                rule="keras-target"))
    return Conversion(path, text, output, findings, {SIBLING: sibling_source()}, True)


def _prepared(text, path):
    """A helper module's text after the rules the script went through, and the lines of
    their ERROR findings (line -> message)."""
    conversion = convert_text(text, path, rules=[get_rule(name) for name in PRE_RULES])
    return conversion.output, {f.line: f.message for f in conversion.findings
                               if f.severity == ERROR}


def _translate(script, functions, builder, original):
    for hook in SERVING_HOOKS:
        if hook in functions:
            raise NotTranslated(functions[hook], "serving %s (TensorFlow Serving pre/post-"
                                "processing; the Estimator target writes inference.py)" % hook)
    _scan(script)
    serving_fn = functions.get(contract.SERVING_INPUT_FN)
    signature = serving.read_signature(script, serving_fn) if serving_fn else None
    function = functions[builder]
    wrapper = _wrapper(script, functions, function) if builder == "model_fn" else None
    if wrapper is not None:  # the helper's model_fn, copied under another name, is the model
        function = functions[wrapper.value.func.id]
    if builder == "keras_model_fn":
        built = models.keras_model_fn(script, function)
    elif builder == "estimator_fn":
        built = models.estimator_fn(script, function)
    else:
        built = models.model_fn(script, function, signature, inputs.features_are_dict(
            script, ("train_input_fn", "eval_input_fn")))
    replaced = [serving_fn] if serving_fn else []
    if built.replacement is not None:
        replaced.append(function)
    inputs.translate_inputs(script, ("train_input_fn", "eval_input_fn"), skip=replaced)
    if built.replacement is not None:
        script.replace_lines(_first_line(function), function.end_lineno, built.replacement)
    if wrapper is not None:
        outer = functions[builder]
        script.replace_lines(_first_line(outer), outer.end_lineno, _wrapper_text(
            script, outer, wrapper, built))
        built.name = builder
    lines = script.index.lines
    for helper in built.removed:  # with its comments above and the blank lines after it
        first, last = _first_line(helper), helper.end_lineno
        while first > 1 and lines[first - 2].lstrip().startswith("#"):
            first -= 1
        while last < len(lines) and not lines[last].strip():
            last += 1
        script.replace_lines(first, last, "")
    if serving_fn:
        script.replace_lines(_first_line(serving_fn), serving_fn.end_lineno, serving.render(
            signature, script.tf, built.outputs, built.parsing_input))
    flags = names.uses_flags(script)
    if flags:
        _flags_name_free(script)
    text = script.result().rstrip("\n") + "\n\n\n" + _main(built, functions, serving_fn, flags)
    output = names.translate_names(_imports(text, script.tf, "math." in (built.replacement or ""),
                                            flags))
    # the user's lines kept as they were; the ones the conversion wrote or changed, wrapped
    output = wrap.wrap_long_lines(output, keep=original.splitlines())
    _stand_ins_left(script, output)
    return output


def _stand_ins_left(script, output):
    """The tf.contrib stand-ins of legacy_mode.py (the shared rules write their bare names)
    that the output still calls: a Keras-target script has no legacy_mode.py to import."""
    stand_ins = set(contract.CONTRIB_STAND_INS.values())
    tree = ast.parse(output)
    defined = {node.name for node in ast.walk(tree) if isinstance(node, (
        ast.FunctionDef, ast.ClassDef))} | {alias.asname or alias.name.split(".")[0]
                                            for node in ast.walk(tree)
                                            if isinstance(node, (ast.Import, ast.ImportFrom))
                                            for alias in node.names}
    left = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name) and
            node.id in stand_ins and node.id not in defined}
    if left:
        first = min((node for node in ast.walk(script.tree) if isinstance(node, ast.Name) and
                     node.id in left), key=lambda node: (node.lineno, node.col_offset),
                    default=None)
        raise NotTranslated(first or ast.Pass(lineno=0, col_offset=0), "tf.contrib.layers.%s "
                            "(no Keras translation)" % sorted(left)[0])


def _wrapper(script, functions, function):
    """``return <f>(features, labels, mode, params)`` ending the script's model_fn after
    plain-Python statements (none reading the features, labels or mode, nor TensorFlow),
    ``f`` another model_fn of the script (a helper's, copied under a name of its own):
    that Return, else None (the model_fn is translated as it is)."""
    *before, last = function.body
    call = getattr(last, "value", None)
    params = [a.arg for a in function.args.args]
    if not (isinstance(last, ast.Return) and isinstance(call, ast.Call) and isinstance(
            call.func, ast.Name) and call.func.id in functions and call.func.id !=
            function.name and not call.keywords and len(params) == 4 and
            [getattr(a, "id", None) for a in call.args] == params):
        return None
    inner = functions[call.func.id].args
    if len(inner.args) != 4 or inner.defaults or inner.vararg or inner.kwarg:
        return None
    for statement in before:
        for node in ast.walk(statement):
            if isinstance(node, (ast.Return, ast.Yield, ast.YieldFrom, ast.Global,
                                 ast.Nonlocal)) or (isinstance(node, ast.Name) and (
                                     node.id in params[:3] or node.id == script.tf)):
                raise NotTranslated(statement, "model_fn statement `%s` before it returns "
                                    "%s's model (only plain Python that reads the "
                                    "hyperparameters is translated)" % (
                                        script.line_of(statement), call.func.id))
    return last


def _wrapper_text(script, outer, wrapper, built):
    """The script's model_fn that runs its statements, then returns the translated model."""
    params = [a.arg for a in outer.args.args]
    arguments = [params[3]] + [params[0]] * built.feature_inputs
    lines = script.index.lines
    body = "".join(lines[outer.body[0].lineno - 1:wrapper.lineno - 1])
    return "def %s(%s):\n%s    return %s(%s)\n" % (outer.name, ", ".join(arguments), body,
                                                   wrapper.value.func.id, ", ".join(arguments))


def _flags_name_free(script):
    """absl's ``flags`` module takes the name ``flags``: the script must not use it."""
    for node in ast.walk(script.tree):
        named = node.id if isinstance(node, ast.Name) else node.arg if isinstance(
            node, ast.arg) else (node.asname or node.name) if isinstance(node, ast.alias) else None
        if named == "flags":
            raise NotTranslated(node if hasattr(node, "lineno") else script.tree.body[0],
                                "tf.app.flags in a script with a name `flags` of its own "
                                "(absl's flags module takes it)")


def _bound_otherwise(script, functions):
    """The Legacy Mode functions the script binds other than by ``def`` (imported, assigned
    from a factory or ``functools.partial``): name -> the statement."""
    wanted = set(contract.BUILDER_PRECEDENCE) | {"train_input_fn", "eval_input_fn",
                                                 contract.SERVING_INPUT_FN}
    found = {}
    for statement in script.tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)):
            names = [alias.asname or alias.name.split(".")[0] for alias in statement.names]
        elif isinstance(statement, (ast.Assign, ast.AnnAssign)):
            targets = statement.targets if isinstance(statement, ast.Assign) else [
                statement.target]
            names = [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]
        else:
            continue
        for name in names:
            if name in wanted and name not in functions:
                found.setdefault(name, statement)
    return found


def _first_line(function):
    return min([function.lineno] + [d.lineno for d in function.decorator_list])


def _scan(script):
    """The constructs of tables.UNTRANSLATABLE anywhere in the script, first one first
    (except the queue readers that inputs translates)."""
    translated = inputs.queue_nodes(script)
    found = []
    allowed = models.update_ops_dependencies(script)  # the model_fn translator checks them
    for node in ast.walk(script.tree):
        if isinstance(node, ast.keyword) and node.arg in tables.UNTRANSLATABLE_KEYWORDS:
            found.append((node.value, tables.UNTRANSLATABLE_KEYWORDS[node.arg]))
    for node, name in names.tf_chains(script):
        if node in translated or id(node) in allowed:
            continue
        for prefix, reason in tables.UNTRANSLATABLE.items():
            if name == prefix or name.startswith(prefix + "."):
                found.append((node, reason))
    if found:
        node, reason = min(found, key=lambda item: (item[0].lineno, item[0].col_offset))
        raise NotTranslated(node, reason)


def _main(built, functions, serving_fn, flags=False):
    """The entry point: the model, ``job.fit`` (model.fit on Legacy Mode's schedule with the
    datasets of the input functions, resumable, SIGTERM handled) and the export; the plumbing
    is keras_job's."""
    fit = ["model"] + [name for name in ("train_input_fn", "eval_input_fn") if name in functions]
    if built.examples:
        fit.append("examples=%s" % built.examples)
    lines = ['if __name__ == "__main__":'] + [
        "    # the container's argv held no options: the flags keep their defaults"
        ] * flags + ["    flags.FLAGS.mark_as_parsed()"] * flags + [
             "    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's "
             "schedule",
             "    model = %s(job.hyperparameters)" % built.name if not built.feature_inputs else
             "    model = %s(job.hyperparameters, job.feature_inputs(%s))" % (built.name, ", ".join(
                 ["train_input_fn"] + ["examples=%s" % built.examples] * bool(built.examples))),
             "    job.fit(%s)" % ", ".join(fit)]
    if serving_fn is not None:
        lines.append("    job.export(model, serving_input_fn(model))")
    return "\n".join(lines) + "\n"


def _imports(text, tf, needs_math, needs_flags=False):
    """``import keras`` after TensorFlow's import (and ``from absl import flags`` for TF 1's
    flags), ``import keras_job`` after the last one."""
    tree = ast.parse(text)
    lines = text.splitlines(True)
    imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    last = imports[-1].end_lineno if imports else 0
    tf_line = next((node.end_lineno for node in imports if isinstance(node, ast.Import) and any(
        alias.name == "tensorflow" for alias in node.names)), None)
    add_tf = [] if tf_line else ["import tensorflow as tf\n"]
    at = tf_line or last
    absl = ["from absl import flags\n"] if needs_flags else []
    lines[at:at] = ["import keras\n"] + add_tf + absl
    last += 1 + len(add_tf) + len(absl)
    lines[last:last] = ["\nimport keras_job\n"]
    if needs_math:
        lines[0:0] = ["import math\n"] if not imports else []
        if imports:
            first = imports[0].lineno - 1
            lines[first:first] = ["import math\n"]
    return "".join(lines)


def _fallback(text, path, script, error, settings):
    """The Estimator target's conversion, with the reason on top and as an ERROR finding."""
    conversion = convert_text(text, path, settings=settings)
    line_text = script.line_of(error.node) if getattr(error.node, "lineno", 0) else ""
    output_lines = conversion.output.splitlines(True)
    line = _locate(output_lines, line_text, getattr(error.node, "lineno", 0))
    header = ["# legacy-compat convert --target keras: written for the Estimator target "
              "(TF %s) instead,\n" % settings.target_tf,
              "# because it has no faithful Keras translation for: %s\n"
              % error.construct.replace("\n", " "),
              "#\n"]
    at = 1 if output_lines and output_lines[0].startswith("#!") else 0
    output_lines[at:at] = header
    for finding in conversion.findings:
        if finding.line > at:
            finding.line += len(header)
    conversion.output = "".join(output_lines)
    conversion.findings.insert(0, Finding(
        path, line + len(header) if line > at else line, 1, ERROR,
        "not converted to Keras: %s; written for the Estimator target instead"
        % error.construct, "translate this by hand, or keep the Estimator target",
        "keras-target"))
    return conversion


def _locate(lines, wanted, near):
    """The line of the Estimator output holding the construct: the line most like its line
    in the input (the Estimator rules renamed names in it), nearest ``near``."""
    if not wanted:
        return near

    def plain(text):
        return re.sub(r"\btf\.compat\.v1\.", "tf.", text.strip())

    wanted = plain(wanted)
    scored = [(difflib.SequenceMatcher(None, wanted, plain(line)).ratio(), number)
              for number, line in enumerate(lines, 1) if line.strip()]
    best = max((score for score, _ in scored), default=0)
    if best < 0.6:
        return near
    return min((number for score, number in scored if score == best),
               key=lambda number: abs(number - near))


def sibling_source():
    """``keras_job.py`` as written beside a script: its ``from legacy_compat.portable...``
    imports replaced by the statements they name, with what those use, copied unchanged
    (``helpers``: the Estimator target's support module is the same copy)."""
    path = os.path.join(os.path.dirname(__file__), SIBLING)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    tree = ast.parse(text)
    carried = [node for node in tree.body if isinstance(node, ast.ImportFrom)
               and (node.module or "").startswith("legacy_compat.portable")]
    portable = helpers.package()
    statements = portable.closure([alias.name for node in carried for alias in node.names])
    imports = helpers.imports_block(portable.imports_for(statements),
                                    helpers.top_level_imports(tree))
    code = ""
    for previous, statement in zip([None] + statements, statements):
        # values one line apart (as in their module), functions two blank lines (PEP 8)
        together = previous is not None and not _is_definition(previous) and \
            not _is_definition(statement)
        gap = "\n\n" if statement.text.startswith("#") else "\n"
        code += (gap if together else "\n\n\n") * (previous is not None) + statement.text
    block = "\n\n\n".join(part for part in (imports, code) if part)
    lines = text.splitlines(True)
    for node in reversed(carried):
        lines[node.lineno - 1:node.end_lineno] = [block + "\n\n"] if node is carried[0] else []
    return ("# Written by `legacy-compat convert --target keras`; edit it like the rest of the "
            "job's code.\n" + "".join(lines))


def _is_definition(statement):
    return statement.text.lstrip().startswith(("def ", "class ", "@"))
