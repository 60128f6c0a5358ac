"""Text and JSON reports of a conversion run."""
import json

from legacy_compat.convert.findings import SEVERITIES, summarize

REPORT_VERSION = 1


def text_report(findings, files, changed):
    lines = [finding.format() for finding in findings]
    counts = summarize(findings)
    lines.append("legacy-compat convert: %d file(s), %d changed; %s" % (
        files, changed, ", ".join("%d %s" % (counts[s], s) for s in SEVERITIES)))
    return "\n".join(lines) + "\n"


def json_report(findings, file_records, exit_code, errors=()):
    return json.dumps({
        "version": REPORT_VERSION,
        "exit_code": exit_code,
        "summary": summarize(findings),
        "files": file_records,
        "input_errors": list(errors),
        "findings": [finding.to_dict() for finding in findings],
    }, indent=2, sort_keys=True) + "\n"
