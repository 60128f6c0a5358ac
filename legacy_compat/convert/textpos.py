"""Positions and text edits on source strings (pyupgrade style).

Rules never edit a tree: they record ``Edit(start, end, text)`` with
character offsets into the current source.  Edits are applied back to front,
so comments and formatting outside the edited spans are kept.
"""
import ast
import dataclasses
import bisect
from typing import List


@dataclasses.dataclass(frozen=True)
class Edit:
    start: int
    end: int
    text: str


class LineIndex:
    def __init__(self, source):
        self.source = source
        self.lines = source.splitlines(True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, lineno, col_byte):
        """Offset of an ``ast`` position (1-based line, UTF-8 byte column)."""
        if lineno - 1 >= len(self.lines):
            return len(self.source)
        line = self.lines[lineno - 1]
        col = len(line.encode("utf-8")[:col_byte].decode("utf-8", "ignore"))
        return self.starts[lineno - 1] + col

    def node_span(self, node):
        return (self.offset(node.lineno, node.col_offset),
                self.offset(node.end_lineno, node.end_col_offset))

    def position(self, offset):
        """1-based (line, column) of a character offset."""
        index = bisect.bisect_right(self.starts, offset) - 1
        index = max(0, min(index, len(self.lines) - 1 if self.lines else 0))
        return index + 1, offset - self.starts[index] + 1

    def line_start(self, lineno):
        return self.starts[min(lineno - 1, len(self.starts) - 1)]


def apply_edits(source, edits: List[Edit]):
    """Apply non-overlapping edits; later overlapping edits are dropped."""
    result = source
    last_start = None
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end), reverse=True):
        if last_start is not None and edit.end > last_start:
            continue
        result = result[:edit.start] + edit.text + result[edit.end:]
        last_start = edit.start
    return result


def map_offset(offset, edits: List[Edit]):
    """Where ``offset`` ends up after ``edits`` are applied."""
    shift = 0
    for edit in sorted(edits, key=lambda e: (e.start, e.end)):
        if edit.end <= offset:
            shift += len(edit.text) - (edit.end - edit.start)
        elif edit.start <= offset:
            return edit.start + shift
    return offset + shift


def _subclasses(cls):
    found = []
    for sub in cls.__subclasses__():
        found.append(sub)
        found.extend(_subclasses(sub))
    return found


STATEMENT_TYPES = tuple(_subclasses(ast.stmt))


def statement_at(statements, lineno):
    """Innermost of ``statements`` (``ast.stmt`` nodes) whose lines include ``lineno``."""
    best = None
    for node in statements:
        if node.lineno <= lineno <= node.end_lineno:
            if best is None or (node.end_lineno - node.lineno) <= (best.end_lineno - best.lineno):
                best = node
    return best
