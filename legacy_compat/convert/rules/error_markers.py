"""Make every ERROR finding visible in the output as a marked comment."""
from legacy_compat.convert.findings import ERROR
from legacy_compat.convert.registry import EVERY_RULE, register
from legacy_compat.convert.textpos import STATEMENT_TYPES, statement_at

MARKER = "# legacy-compat: ERROR:"


def marker_text(finding):
    text = "%s %s" % (MARKER, finding.message)
    if finding.suggestion:
        text += " -- suggestion: %s" % finding.suggestion
    return " ".join(text.split())


# Marks what every other rule reported, so it runs last.
@register("error-markers", after=(EVERY_RULE, "add-helpers", "script-mode-entry-point"),
          summary="mark lines with ERROR findings by a comment")
def error_markers(ctx):
    ctx.state.seal_errors(ctx.rule_name)
    errors = [f for f in ctx.state.findings if f.severity == ERROR and f.line > 0]
    if not errors:
        return
    lines = ctx.source.split("\n")
    statements = ctx.nodes(*STATEMENT_TYPES)
    done = set()
    for finding in errors:
        statement = statement_at(statements, finding.line)
        line = statement.lineno if statement is not None else finding.line
        text = marker_text(finding)
        if (line, text) in done:
            continue
        done.add((line, text))
        # already marked by an earlier run: the comment block above has it
        above = line - 2
        existing = set()
        while above >= 0 and lines[above].strip().startswith("#"):
            existing.add(lines[above].strip())
            above -= 1
        if text in existing:
            continue
        indent = lines[line - 1][:len(lines[line - 1]) - len(lines[line - 1].lstrip())]
        offset = ctx.index.line_start(line)
        ctx.replace_span(offset, offset, indent + text + "\n")
