"""In-memory Python 2 -> 3 translation of user scripts (fissix).

Legacy Mode scripts were Python 2.7. When the runner is on Python 3 and a
script only parses as Python 2, it is translated in memory and the user's
file is never written. fissix (a maintained lib2to3) is used because it parses
Python 2 and round-trips comments; lib2to3 is gone in Python 3.13.
"""

import logging

logger = logging.getLogger("legacy_compat")

# Every fissix fixer except:
# - fix_import: turns ``import helper`` into ``from . import helper`` next to an
#   __init__.py, which breaks a script run as a top-level module;
# - fix_idioms / fix_ws_comma / fix_set_literal: style-only rewrites;
# - fix_buffer: buffer -> memoryview is not the same object (lib2to3 makes it opt-in too).
FIXERS = tuple("fissix.fixes.fix_%s" % name for name in (
    "apply", "asserts", "basestring", "dict", "except", "exec", "execfile",
    "exitfunc", "filter", "funcattrs", "future", "getcwdu", "has_key", "imports",
    "imports2", "input", "intern", "isinstance", "itertools", "itertools_imports",
    "long", "map", "metaclass", "methodattrs", "ne", "next", "nonzero",
    "operator", "paren", "print", "raise", "raw_input", "reduce", "reload", "renames",
    "repr", "sorted", "standarderror", "sys_exc", "throw", "tuple_params", "types",
    "unicode", "urllib", "xrange", "xreadlines", "zip",
)) + (
    # fix_numliterals turns 0777L into 0777 (still invalid); ours gives 0o777.
    "legacy_compat.fixers.fix_numliterals_octal_long",
)


class TranslationError(Exception):
    """The source parses neither as Python 3 nor as Python 2."""

    def __init__(self, message, line=None, column=None):
        super(TranslationError, self).__init__(message)
        self.line = line
        self.column = column


class Rewrite(object):
    """One rewrite fissix made: which fixer, at which line."""

    def __init__(self, fixer, line):
        self.fixer = fixer
        self.line = line

    def __repr__(self):
        return "line %s: %s" % (self.line, self.fixer)


def translate(source, path="<script>"):
    """Translate Python 2 ``source`` (text) to Python 3.

    Returns ``(new_source, rewrites)``. Raises :class:`TranslationError` when
    fissix cannot parse the source either.
    """
    from fissix import pgen2, refactor

    tool = refactor.RefactoringTool(list(FIXERS))
    rewrites = []
    for fixer in tool.pre_order + tool.post_order:
        fixer.transform = _recording(fixer, rewrites)
    if not source.endswith("\n"):
        source += "\n"
    try:
        tree = tool.refactor_string(source, path)
    except pgen2.parse.ParseError as error:
        line, column = error.context[1] if error.context else (None, None)
        raise TranslationError("invalid syntax for Python 2 and 3 (near %r)" % error.value,
                               line=line, column=column)
    except (pgen2.tokenize.TokenError, IndentationError) as error:
        raise TranslationError("cannot tokenize: %s" % (error,))
    rewrites.sort(key=lambda rewrite: rewrite.line or 0)
    return str(tree), rewrites


def _recording(fixer, rewrites):
    transform = fixer.transform
    name = type(fixer).__name__

    def record(node, results):
        new = transform(node, results)
        if new is not None:
            rewrites.append(Rewrite(name, node.get_lineno()))
        return new

    return record
