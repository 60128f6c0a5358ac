"""Findings: what a rule could not do, or wants a person to look at."""
import dataclasses
from typing import Optional

ERROR = "ERROR"
WARNING = "WARNING"
INFO = "INFO"
SEVERITIES = (ERROR, WARNING, INFO)


@dataclasses.dataclass
class Finding:
    """One report line: ``path:line:col: SEVERITY: message``.

    ``line`` and ``col`` are 1-based and refer to the *converted* file (that is
    where ERROR findings also appear as marked comments).  ``line`` 0 means the
    finding is about the whole file.
    """

    path: str
    line: int
    col: int
    severity: str
    message: str
    suggestion: Optional[str] = None
    rule: str = ""

    def format(self) -> str:
        text = "%s:%d:%d: %s: %s" % (self.path, self.line, self.col, self.severity, self.message)
        if self.suggestion:
            text += " (suggestion: %s)" % self.suggestion
        return text

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def summarize(findings) -> dict:
    counts = {severity: 0 for severity in SEVERITIES}
    for finding in findings:
        counts[finding.severity] += 1
    return counts
