"""The Keras target's lines wrapped at 100 columns, where a person would wrap them.

The translators write each call they render on one line; this pass breaks the lines longer
than ``WIDTH`` inside their brackets, where Python joins lines by itself: after a comma, the
rest aligned with the bracket's first argument (PEP 8's aligned form), or, when that column
leaves too little room, right after an opening bracket with the rest indented four columns
more than the line (the hanging form). Comments, strings and the lines of the user's script
that were long already are left as they are.
"""
import functools
import io
import tokenize

WIDTH = 100
# An aligned continuation must leave this many columns for the arguments, else it hangs.
MIN_ROOM = 40
# Longer lines (data written out) are left as they are: few break well, and a search of
# where to break them would be long.
LONGEST = 10 * WIDTH


def wrap_long_lines(text, keep=()):
    """``text`` with each line longer than WIDTH wrapped, except the lines in ``keep`` (the
    user's own lines) and those inside a string that spans lines."""
    in_strings, bracketed = _read(text)
    keep = set(keep)
    out = []
    for number, line in enumerate(text.splitlines(True), 1):
        body = line.rstrip("\n")
        if not WIDTH < len(body) <= LONGEST or body in keep or number in in_strings:
            out.append(line)
            continue
        indent = len(body) - len(body.lstrip(" "))
        pieces = _wrap(body, indent if number in bracketed else None)
        if any(len(piece) > WIDTH for piece in pieces):
            pieces = (body,)  # a long string or name: breaking elsewhere would not help
        out.extend(piece + "\n" for piece in pieces)
    return "".join(out)


def _read(text):
    """The numbers of the lines a multi-line string covers, and of those that start inside
    a bracket opened on an earlier line."""
    covered, bracketed = set(), set()
    depth, line = 0, 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            while line < token.start[0]:
                line += 1
                if depth:
                    bracketed.add(line)
            if token.type == tokenize.STRING and token.end[0] > token.start[0]:
                covered.update(range(token.start[0], token.end[0] + 1))
            elif token.type == tokenize.OP and token.string in "([{":
                depth += 1
            elif token.type == tokenize.OP and token.string in ")]}":
                depth -= 1
    except (tokenize.TokenError, SyntaxError):
        return set(range(1, text.count("\n") + 2)), set()  # not Python: touch nothing
    return covered, bracketed


@functools.lru_cache(maxsize=4096)  # the same rest of a line is reached by many breaks
def _wrap(line, inside=None):
    """``line`` as lines of at most WIDTH where it can be broken. ``inside``: the column the
    line's own depth-0 commas align to (it continues a bracket broken on the line before).
    Of the ways to break it: the fewest lines still too long, then the fewest lines, then
    aligned arguments whose call does not go on after its bracket (``f(a,\n  b)(c)``), then
    a break after a comma rather than a bracket, then the outermost bracket, then the
    rightmost comma or the leftmost bracket."""
    if len(line) <= WIDTH:
        return (line,)
    indent = len(line) - len(line.lstrip(" "))
    unclosed = _unclosed(line)
    best = None
    for position, align, depth, outer in _breaks(line, indent, inside):
        if position > WIDTH:
            break
        hanging = align is None
        if hanging and position - 1 in unclosed:
            continue  # the lines after this one align with that bracket
        column = align
        if hanging:  # four columns in from the line, or from a bracket later lines align to
            column = (outer + 1 if outer in unclosed else indent) + 4
        rest = line[position:].lstrip(" ")
        if not rest or rest[0] in ")]}" or (not hanging and column > WIDTH - MIN_ROOM):
            continue
        lines = (line[:position].rstrip(),) + _wrap(" " * column + rest, column)
        score = (sum(len(piece) > WIDTH for piece in lines), len(lines),
                 not hanging and _dangles(rest), hanging, depth,
                 position if hanging else -position)
        if best is None or score < best[0]:
            best = (score, lines)
    return (line,) if best is None else best[1]  # None: a long string or name, left as it is


def _unclosed(line):
    """The columns of the brackets ``line`` opens and does not close."""
    opened = []
    for column, char in _code(line):
        if char in "([{":
            opened.append(column)
        elif char in ")]}" and opened:
            opened.pop()
    return set(opened)


def _code(line):
    """(column, character) of ``line`` outside its strings and comment."""
    quote = None
    escaped = False
    for column, char in enumerate(line):
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = None
            continue
        if char in "'\"":
            quote = char
        elif char == "#":
            return
        else:
            yield column, char


def _dangles(rest):
    """Whether code follows the bracket that ``rest`` (a line's end, after a comma) closes."""
    depth = 0
    closed = False
    for _, char in _code(rest):
        if closed and char not in ")]},: ":
            return True
        depth += (char in "([{") - (char in ")]}")
        closed = closed or depth < 0
    return False


def _breaks(line, indent, inside):
    """The places ``line`` may break, left to right: (column after the break, the column
    the rest aligns to or None to hang after an opening bracket, the bracket depth, the
    column of the bracket around that one or None)."""
    opened = []   # columns of the brackets opened on this line and still open (None: a subscript)
    closed = 0    # brackets of earlier lines this line closed
    for column, char in _code(line):
        if char in "([{":
            subscript = char == "[" and column and (line[column - 1].isalnum() or
                                                     line[column - 1] in "_)]")
            outer = opened[-1] if opened else None
            opened.append(None if subscript else column)
            if not subscript and column + 1 < len(line) and line[column + 1] not in ")]}":
                yield column + 1, None, len(opened), outer
        elif char in ")]}":
            if opened:
                opened.pop()
            else:
                closed += 1
        elif char == "," and column + 1 < len(line) and line[column + 1] == " ":
            if opened and opened[-1] is not None:
                yield column + 1, opened[-1] + 1, len(opened), None
            elif inside is not None and not opened and not closed:
                yield column + 1, inside, 0, None
