"""Make every ERROR finding visible in the output as a marked comment."""
from legacy_compat.convert.findings import ERROR
from legacy_compat.convert.registry import register
from legacy_compat.convert.textpos import statement_at

MARKER = "# legacy-compat: ERROR:"


def marker_text(finding):
    text = "%s %s" % (MARKER, finding.message)
    if finding.suggestion:
        text += " -- suggestion: %s" % finding.suggestion
    return " ".join(text.split())


@register("error-markers", order=95, summary="mark lines with ERROR findings by a comment")
def error_markers(ctx):
    lines = ctx.source.split("\n")
    done = set()
    for finding in ctx.state["findings"]:
        if finding.severity != ERROR or finding.line <= 0:
            continue
        statement = statement_at(ctx.tree, finding.line)
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
