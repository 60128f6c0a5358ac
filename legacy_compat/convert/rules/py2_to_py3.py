"""Python 2 -> 3 with fissix and an explicit fixer list.

Left out on purpose:

* ``fix_import``: it turns ``import helper`` into ``from . import helper``
  when an ``__init__.py`` is next to the script, which breaks
  ``python train.py`` (how Script Mode starts the entry point).
* ``fix_future``: ``from __future__`` imports are harmless on Python 3, and
  keeping ``division`` lets the true-division rule stay quiet on re-runs.
* ``fix_dict``: replaced by ``fix_dict_stable``, which is idempotent.
* the opt-in style fixers (``buffer``, ``idioms``, ``set_literal``,
  ``ws_comma``).
"""
import ast

from fissix import pygram, refactor
from fissix.pgen2.parse import ParseError
from fissix.pgen2.tokenize import TokenError

from legacy_compat import py2translate
from legacy_compat.convert import fixer_cache
from legacy_compat.convert.errors import ConvertError
from legacy_compat.convert.findings import WARNING
from legacy_compat.convert.registry import register

# The runtime's in-memory translation list (legacy_compat.py2translate), minus the two
# fixers a converter that must be idempotent cannot use, and with fix_numliterals
# replaced by one that translates octal long literals.
FIXERS = tuple(dict.fromkeys(  # once each: py2translate already has the octal-long fixer
    tuple(name for name in py2translate.FIXERS
          if name not in ("fissix.fixes.fix_future", "fissix.fixes.fix_dict",
                          "fissix.fixes.fix_numliterals"))
    + ("legacy_compat.fixers.fix_dict_stable",
       "legacy_compat.fixers.fix_numliterals_octal_long")))


OPTIONS = {"print_function": False}


class _Tool(refactor.RefactoringTool):
    """One compiled set of fixers (compiling the patterns is the expensive part), for
    both grammars: print as a statement (Python 2) or as a function."""

    def __init__(self):
        options = dict(OPTIONS)
        # Built without fixers first (cheap: grammar and driver), then given the
        # compiled fixers from the on-disk cache, or compiled (and cached) here.
        super().__init__([], options)
        self.fixers = list(FIXERS)
        if not fixer_cache.load(self, FIXERS, options):
            super().__init__(list(FIXERS), options)
            fixer_cache.store(self, FIXERS, options)
        self.grammars = {False: self.grammar, True: pygram.python_grammar_no_print_statement}
        self.parse_error = None

    def log_error(self, msg, *args, **kwargs):
        # refactor_string reports parse errors here as (name, class name, error)
        self.parse_error = args[-1] if args else msg

    def refactor_text(self, text, name, print_function):
        self.grammar = self.driver.grammar = self.grammars[print_function]
        self.parse_error = None
        del self.fixer_log[:]  # the fixers hold this very list
        return self.refactor_string(text, name)


_TOOL = None


def _tool():
    """The process's fissix tool, compiled on first use (only files that need it pay)."""
    global _TOOL
    if _TOOL is None:
        _TOOL = _Tool()
    return _TOOL


def _parse_error(path, message):
    return ConvertError(path, "cannot be parsed as Python 2 or Python 3 (%s)" % message,
                        "a Python 2.7 or Python 3 source file",
                        "Fix the syntax error (e.g. check it with `python2 -m py_compile`) "
                        "and run convert again.")


def to_python3(source, path, tree=None):
    """Return (converted source, its ast, fixer warnings as (line, message)).

    ``tree`` is the source's ``ast`` when the caller has parsed it already.
    """
    python3_error = None
    if tree is None:
        try:
            tree = ast.parse(source)
        except SyntaxError as err:
            python3_error = err
    if tree is not None:
        grammars = (True,)       # already valid Python 3: print is a function
    else:
        grammars = (False, True)  # Python 2 first, then Python 3 grammar
    problems = []
    text = source if source.endswith("\n") or not source else source + "\n"
    tool = _tool()
    for print_function in grammars:
        try:
            fissix_tree = tool.refactor_text(text, path, print_function)
        except (ParseError, TokenError, IndentationError, SyntaxError) as err:
            problems.append(_describe(err, print_function))
            continue
        if fissix_tree is None:
            problems.append(_describe(tool.parse_error, print_function))
            continue
        converted = str(fissix_tree)
        if not source.endswith("\n") and source:
            converted = converted[:-1] if converted.endswith("\n") else converted
        if converted == source and tree is not None:
            new_tree = tree
        else:
            try:
                new_tree = ast.parse(converted)
            except SyntaxError as err:
                problems.append("%s grammar, after translation: line %s: %s" % (
                    "Python 3" if print_function else "Python 2", err.lineno, err.msg))
                continue
        warnings = []
        for message in tool.fixer_log:
            line, _, text_ = message.partition(": ")
            number = int(line.split()[-1]) if line.startswith("Line ") else 0
            warnings.append((number, text_ if number else message))
        return converted, new_tree, warnings
    if tree is not None:
        # Valid Python 3 that fissix cannot translate (its grammar lacks positional-only
        # parameters, except*, ...): such a file is newer than Python 2, keep it as it is.
        return source, tree, [(0, "left as it is: the file is valid Python 3 that the "
                                  "Python 2 translator cannot read (%s)" % "; ".join(problems))]
    problems.append("Python 3: line %s: %s" % (python3_error.lineno, python3_error.msg))
    raise _parse_error(path, "; ".join(dict.fromkeys(problems)))


def _describe(err, print_function):
    grammar = "Python 3" if print_function else "Python 2"
    context = getattr(err, "context", None)
    if context and len(context) == 2 and isinstance(context[1], tuple):
        line, col = context[1]
        return "%s: line %d, column %d: unexpected %r" % (grammar, line, col + 1,
                                                          getattr(err, "value", "?"))
    return "%s: %s" % (grammar, err)


@register("py2-to-py3", summary="Python 2 syntax and library names -> Python 3 (fissix)")
def py2_to_py3(ctx):
    try:
        tree = ctx.tree
    except SyntaxError:
        tree = None
    converted, new_tree, warnings = to_python3(ctx.source, ctx.path, tree)
    if converted != ctx.source:
        ctx.replace_source(converted, new_tree)
    for line, message in warnings:
        ctx.report(WARNING, "Python 3 conversion: %s" % message, line=line, col=1)
