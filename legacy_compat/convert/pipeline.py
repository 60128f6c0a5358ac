"""Run the registered rules over one source text."""
import ast
import dataclasses
from typing import Dict, List

from legacy_compat.convert.context import FileState, ParsedSource, RuleContext
from legacy_compat.convert.errors import ConvertError
from legacy_compat.convert.findings import ERROR, Finding
from legacy_compat.convert.registry import all_rules, run_order
from legacy_compat.convert.settings import DEFAULT
from legacy_compat.convert.textpos import LineIndex, apply_edits, map_offset


@dataclasses.dataclass
class Conversion:
    path: str
    original: str
    output: str
    findings: List[Finding]
    extra_files: Dict[str, str]
    is_legacy_script: bool

    @property
    def changed(self):
        return self.output != self.original

    @property
    def errors(self):
        return [f for f in self.findings if f.severity == ERROR]


def _remap(findings, old_source, new_source, edits):
    old_index, new_index = LineIndex(old_source), LineIndex(new_source)
    for finding in findings:
        if finding.line <= 0:
            continue
        offset = old_index.line_start(finding.line) + max(finding.col - 1, 0)
        finding.line, finding.col = new_index.position(map_offset(offset, edits))


def _not_compiling(path, text, err):
    """Whose fault a converted text that does not compile is: the input's, or ours."""
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):  # Python 2: only its translation can be compiled
        return ConvertError(
            path, "its Python 3 translation does not compile (line %s: %s)" % (err.lineno, err.msg),
            "a Python 2.7 source file that compiles",
            "Check that it compiles with `python2 -m py_compile`; if it does, the translation "
            "is at fault: please report it as a legacy-compat bug.")
    try:
        compile(tree, path, "exec", dont_inherit=True)
    except SyntaxError as input_err:
        return ConvertError(
            path, "does not compile (line %s: %s)" % (input_err.lineno, input_err.msg),
            "a Python 2.7 or Python 3 source file that compiles",
            "Fix the error (check it with `python -m py_compile`) and run convert again.")
    return ConvertError(path, "the converted output does not compile (%s)" % err,
                        "a conversion that compiles", "Please report this as a legacy-compat bug.")


def convert_text(text, path, rules=None, settings=DEFAULT):
    """Convert one file's text; raises ``ConvertError`` for unparsable input.

    ``rules`` (default: every registered rule) run in their declared order.
    The text is parsed once, and again only after a rule has changed it.
    """

    state = FileState()
    findings = state.findings
    parsed = ParsedSource(text)
    for rule in run_order(rules) if rules is not None else all_rules():
        ctx = RuleContext(path, parsed, state, rule.name, settings)
        rule.function(ctx)
        source = parsed.text
        new_tree = None
        if ctx.new_source is not None:
            new_source, new_tree = ctx.new_source, ctx.new_tree
        elif ctx.edits:
            new_source = apply_edits(source, ctx.edits)
            _remap(findings, source, new_source, ctx.edits)
            _remap(ctx.findings, source, new_source, ctx.edits)
        else:
            new_source = source
        findings.extend(ctx.findings)
        if new_source != source:
            if new_tree is None:
                try:
                    new_tree = ast.parse(new_source)
                except SyntaxError as err:  # a bug in a rule, never the user's fault
                    raise ConvertError(
                        path, "rule %r produced invalid Python (%s)" % (rule.name, err),
                        "a conversion that compiles", "Please report this as a legacy-compat bug.")
            parsed = ParsedSource(new_source, new_tree)
    try:
        compile(parsed.tree, path, "exec", dont_inherit=True)
    except SyntaxError as err:
        raise _not_compiling(path, text, err)
    findings.sort(key=lambda f: (f.line, f.col, f.severity, f.message))
    return Conversion(path, text, parsed.text, findings, dict(state.extra_files),
                      state.is_legacy_script)
