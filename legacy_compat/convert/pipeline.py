"""Run the registered rules over one source text."""
import ast
import dataclasses
from typing import Dict, List

from legacy_compat.convert.context import RuleContext
from legacy_compat.convert.errors import ConvertError
from legacy_compat.convert.findings import ERROR, Finding
from legacy_compat.convert.registry import all_rules
from legacy_compat.convert.textpos import LineIndex, map_offset


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


def convert_text(text, path, rules=None):
    """Convert one file's text; raises ``ConvertError`` for unparsable input."""
    from legacy_compat.convert.textpos import apply_edits

    state = {"findings": [], "extra_files": {}, "is_legacy_script": False}
    findings = state["findings"]
    source = text
    for rule in rules or all_rules():
        ctx = RuleContext(path, source, state, rule.name)
        rule.function(ctx)
        if ctx.new_source is not None:
            new_source = ctx.new_source
        elif ctx.edits:
            new_source = apply_edits(source, ctx.edits)
            _remap(findings, source, new_source, ctx.edits)
            _remap(ctx.findings, source, new_source, ctx.edits)
        else:
            new_source = source
        findings.extend(ctx.findings)
        if new_source != source:
            try:
                ast.parse(new_source)
            except SyntaxError as err:  # a bug in a rule, never the user's fault
                raise ConvertError(path, "rule %r produced invalid Python (%s)" % (rule.name, err),
                                   "a conversion that compiles",
                                   "Please report this as a legacy-compat bug.")
            source = new_source
    try:
        compile(source, path, "exec", dont_inherit=True)
    except SyntaxError as err:
        raise ConvertError(path, "the converted output does not compile (%s)" % err,
                           "a conversion that compiles", "Please report this as a legacy-compat bug.")
    findings.sort(key=lambda f: (f.line, f.col, f.severity, f.message))
    return Conversion(path, text, source, findings, dict(state["extra_files"]),
                      state["is_legacy_script"])
