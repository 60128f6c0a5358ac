"""What a training script takes from a helper module beside it, copied into the script.

Real Legacy Mode source directories ship helper modules next to the entry point
(``from model import model_fn``, ``return model.serving_input_fn(params)``). The Keras target
translates the functions a script defines, and the Keras script must not import the helper:
that module is converted for the Estimator target (it is no training script), so importing it
would bring ``tf.compat.v1`` back. So the definitions the script uses from the helper, with
what they use in turn, are copied into the script under a comment naming the module, where
the translators see them as the script's own; the helper's import goes. What cannot be copied
without changing what runs raises ``NotTranslated`` and the file falls back.
"""
import ast
import builtins
import itertools
import os
import re
import symtable
import sys
from collections import namedtuple

from legacy_compat import contract
from legacy_compat.convert.errors import ConvertError
from legacy_compat.convert.keras.source import NotTranslated

# The Legacy Mode functions the container finds by name.
CONTRACT_NAMES = set(contract.BUILDER_PRECEDENCE) | {
    "train_input_fn", "eval_input_fn", contract.SERVING_INPUT_FN}
# Called with positional arguments only: a delegating function may pass them under other names.
POSITIONAL = set(contract.POSITIONAL_SIGNATURES)
# Names whose value differs once the code lives in the script instead of the helper.
TENSORFLOW = {"tensorflow", "keras", "tf_keras", "sagemaker_tensorflow", "tensorflow_estimator"}
MODULE_IDENTITY = {"__name__", "__file__", "globals", "vars", "__spec__", "__loader__"}

# A top-level statement of a helper: the names it binds, its source, where it came from.
Piece = namedtuple("Piece", "module names text direct node")


class Inlined:
    """The script text with the helpers' definitions in it, and where each line came from."""

    def __init__(self, text, origins, copied, anchors):
        self.text = text
        self.origins = origins      # line (1-based) -> (file name or None, line there)
        self.copied = copied        # "tiny_model.py: model_fn, INPUT" for the report
        self.anchors = anchors      # helper file name -> the script's import of it

    def original_error(self, error):
        """``error`` raised on this text, pointed at the script's own line (a copied
        construct: at the import that brought it, its helper line named)."""
        line = getattr(error.node, "lineno", 0)
        where, original = self.origins.get(line) or (None, 0)
        if where is None:
            return NotTranslated(ast.Pass(lineno=original, col_offset=getattr(
                error.node, "col_offset", 0)), error.construct)
        return NotTranslated(self.anchors[where], "%s (in %s line %d, copied from the helper "
                             "module)" % (error.construct, where, original))


def inline(script, path, prepare):
    """An ``Inlined`` for ``script`` (``source.Script`` of the file at ``path``), or None when
    it imports no module beside it. ``prepare(text, path)``: a helper's text after the rules
    the script went through, with their ERROR lines."""
    directory = os.path.dirname(os.path.abspath(path))
    own = os.path.splitext(os.path.basename(path))[0]
    imports = _sibling_imports(script, directory, own)
    if not imports:
        return None
    bound = _script_bindings(script)
    helpers = {}
    for module, statements in imports.items():
        helpers[module] = _Helper(module, directory, statements[0], prepare)
    wanted, renames, delegations = _wanted(script, imports, helpers, bound)
    pieces = []
    for module in imports:
        pieces += helpers[module].closure(wanted.get(module, {}), {
            function: name for function, name in delegations.items()
            if _module_of(function, imports, helpers) == module})
    present, prefixed = _check_namespace(script, pieces, bound, imports, delegations, renames)
    pieces = [p for p in pieces if not (isinstance(p.node, (ast.Import, ast.ImportFrom)) and
                                        all((p.module, n) in present for n in p.names))]
    return _assemble(script, imports, pieces, renames, delegations, helpers, present,
                     prefixed)


# -- what the script imports --------------------------------------------------------------------
def _sibling_module(name, level, directory):
    """``name`` when it names a ``.py`` file in ``directory`` (a plain import), else None."""
    if level or not name or "." in name:
        return None
    if not os.path.isfile(os.path.join(directory, name + ".py")):
        return None
    return name


def _sibling_imports(script, directory, own):
    """module -> the script's top-level import statements of it; NotTranslated for the ones
    that cannot be copied (inside a function, a star import, the script itself)."""
    found = {}
    top = set(map(id, script.tree.body))
    for node in ast.walk(script.tree):
        if isinstance(node, ast.ImportFrom):
            modules = [_sibling_module(node.module, node.level, directory)]
        elif isinstance(node, ast.Import):
            modules = [_sibling_module(alias.name, 0, directory) for alias in node.names]
        else:
            continue
        for module in filter(None, modules):
            if module != own and not _copied(node, module, directory):
                continue
            if module == own:
                raise NotTranslated(node, "the script imports itself (`%s`)"
                                    % script.line_of(node))
            if id(node) not in top:
                raise NotTranslated(node, "an import of the helper module %s.py inside a block "
                                    "(`%s`): only module-level imports are copied"
                                    % (module, script.line_of(node)))
            if isinstance(node, ast.ImportFrom) and any(a.name == "*" for a in node.names):
                raise NotTranslated(node, "a star import of the helper module %s.py (`%s`): "
                                    "which names it binds is not in the script" % (
                                        module, script.line_of(node)))
            if isinstance(node, ast.Import) and len(node.names) > 1:
                raise NotTranslated(node, "`%s`: import the helper module %s.py on a line of "
                                    "its own" % (script.line_of(node), module))
            found.setdefault(module, []).append(node)
    return found


def _copied(node, module, directory):
    """Whether the script's import ``node`` of ``module`` is copied: when the script takes a
    Legacy Mode function from it, or the module uses TensorFlow (its Estimator conversion is
    no module for a Keras script to import). Plain Python helpers stay imported."""
    if isinstance(node, ast.ImportFrom) and CONTRACT_NAMES & {
            alias.asname or alias.name for alias in node.names}:
        return True
    return _uses_tensorflow(directory, module, set())


def _uses_tensorflow(directory, module, seen):
    """``module``.py (or a module beside it that it imports) imports TensorFlow or Keras;
    also True when it cannot be read (copying it reports why), or names them and is no
    Python 3 (Python 2 code: the rules make it Python 3 when it is copied)."""
    seen.add(module)
    try:
        with open(os.path.join(directory, module + ".py"), encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError):
        return True
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return bool(re.search(r"\b(%s)\b" % "|".join(sorted(TENSORFLOW)), text))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = [alias.name.split(".")[0] for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            roots = [node.module.split(".")[0]]
        else:
            continue
        for root in roots:
            if root in TENSORFLOW or (root not in seen and _sibling_module(
                    root, 0, directory) and _uses_tensorflow(directory, root, seen)):
                return True
    return False


def _script_bindings(script):
    """name -> the script's top-level statements binding it."""
    bound = {}
    for statement in script.tree.body:
        for name in _bound_names(statement):
            bound.setdefault(name, []).append(statement)
    for node in ast.walk(script.tree):  # `global x` then `x = ...` in a function
        if isinstance(node, ast.Global):
            for name in node.names:
                bound.setdefault(name, []).append(node)
    return bound


def _bound_names(statement):
    if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [statement.name]
    if isinstance(statement, (ast.Import, ast.ImportFrom)):
        return [alias.asname or alias.name.split(".")[0] for alias in statement.names]
    return list(_stores(statement))


def _stores(node):
    """The names a statement binds in its scope (not in the functions, classes, lambdas and
    comprehensions it holds, which have scopes of their own)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        yield node.name
        return
    if isinstance(node, (ast.Lambda, ast.ListComp, ast.SetComp, ast.DictComp,
                         ast.GeneratorExp)):
        return
    if isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
        yield node.id
    for child in ast.iter_child_nodes(node):
        yield from _stores(child)


def _wanted(script, imports, helpers, bound):
    """module -> {name in the helper: the script's node using it}; the aliases to bind
    (script name -> helper name); the delegating functions (script def -> helper def)."""
    wanted, renames, delegations = {}, {}, {}
    referenced = global_references(script.text)
    for module, statements in imports.items():
        names = wanted.setdefault(module, {})
        for statement in statements:
            if isinstance(statement, ast.Import):
                alias = statement.names[0].asname or module
                names.update(_attributes(script, alias, module, helpers[module], delegations))
                continue
            for alias in statement.names:
                local = alias.asname or alias.name
                if len(bound.get(local, [])) > 1:
                    raise NotTranslated(statement, "`%s`: %s imported from %s.py and bound "
                                        "again in the script" % (script.line_of(statement),
                                                                 local, module))
                if local in referenced or local in CONTRACT_NAMES:
                    names.setdefault(alias.name, statement)
                    if local != alias.name:
                        renames[local] = alias.name
    return wanted, renames, delegations


def _attributes(script, alias, module, helper, delegations):
    """The helper names the script reads as ``alias.name``; delegating functions noted."""
    names = {}
    for node in ast.walk(script.tree):
        if not (isinstance(node, ast.Name) and node.id == alias):
            continue
        parent = node.parent
        if isinstance(parent, (ast.Import, ast.alias)):
            continue
        if not (isinstance(parent, ast.Attribute) and isinstance(parent.ctx, ast.Load)):
            raise NotTranslated(node, "the helper module %s.py used other than as `%s.name` "
                                "(`%s`)" % (module, alias, script.line_of(node)))
        _not_shadowed(script, parent, parent.attr)
        delegating = _delegation(script, parent, helper)
        if delegating is not None:
            delegations[delegating] = parent.attr
            continue
        names.setdefault(parent.attr, parent)
    return names


def _not_shadowed(script, node, name):
    """``module.name`` becomes ``name``: no enclosing function may have a local ``name``."""
    scope = getattr(node, "parent", None)
    while scope is not None:
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            arguments = scope.args
            params = {a.arg for a in arguments.args + arguments.kwonlyargs +
                      getattr(arguments, "posonlyargs", [])}
            params |= {a.arg for a in (arguments.vararg, arguments.kwarg) if a}
            stored = {n.id for n in ast.walk(scope) if isinstance(n, ast.Name) and
                      isinstance(n.ctx, ast.Store)}
            if name in params | stored:
                raise NotTranslated(node, "`%s` where the function has its own `%s`"
                                    % (script.segment(node), name))
        scope = getattr(scope, "parent", None)


def _delegation(script, attribute, helper):
    """The script's function when it only returns ``module.f(<its own parameters>)`` and
    ``f`` is a plain function of the helper taking them in the same places: that function
    is the helper's (Legacy Mode finds it by name, and passes these by position or by the
    same names). Else None."""
    call = attribute.parent
    statement = getattr(call, "parent", None)
    function = getattr(statement, "parent", None)
    if not (isinstance(call, ast.Call) and call.func is attribute and
            isinstance(statement, ast.Return) and isinstance(function, ast.FunctionDef) and
            function in script.tree.body and function.name in CONTRACT_NAMES):
        return None
    body = [s for s in function.body if not _is_docstring(s)]
    args = function.args
    params = [a.arg for a in args.args]
    if body != [statement] or function.decorator_list or args.vararg or args.kwarg or \
            args.kwonlyargs or args.defaults or call.keywords or \
            [getattr(a, "id", None) for a in call.args] != params:
        return None
    target = helper.definitions().get(attribute.attr)
    if not isinstance(target, ast.FunctionDef) or target.decorator_list:
        return None
    theirs = target.args
    names = [a.arg for a in theirs.args]
    if theirs.vararg or theirs.kwarg or len(names) < len(params) or \
            len(names) - len(theirs.defaults) > len(params):
        return None
    if names[:len(params)] != params and function.name not in POSITIONAL:
        return None
    return function


def _is_docstring(statement):
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and \
        isinstance(statement.value.value, str)


# -- the helper module --------------------------------------------------------------------------
class _Helper:
    """One helper module beside the script, read and prepared as the script was."""

    def __init__(self, module, directory, anchor, prepare):
        self.module = module
        self.directory = directory
        self.file = module + ".py"
        self.anchor = anchor
        path = os.path.join(directory, self.file)
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except (OSError, UnicodeDecodeError) as error:
            raise NotTranslated(anchor, "the helper module %s cannot be read (%s)"
                                % (self.file, error))
        try:
            self.text, self.error_lines = prepare(text, path)
            self.tree = ast.parse(self.text)
        except (ConvertError, SyntaxError, ValueError) as error:
            raise NotTranslated(anchor, "the helper module %s does not parse (%s)"
                                % (self.file, str(error).splitlines()[0] if str(error) else
                                   type(error).__name__))
        self.lines = self.text.splitlines(True)
        self._definitions = None

    def definitions(self):
        """name -> its one top-level binding statement (None where bound more than once)."""
        if self._definitions is None:
            found = {}
            for statement in self.tree.body:
                for name in _bound_names(statement):
                    found[name] = None if name in found else statement
            for node in ast.walk(self.tree):
                if isinstance(node, ast.Global):
                    for name in node.names:
                        found[name] = None
            self._definitions = found
        return self._definitions

    def closure(self, wanted, delegations):
        """The statements defining the ``wanted`` names and what they use, in source order;
        ``delegations``: script function -> the helper function it stands for."""
        self._runs_nothing_at_import()
        definitions = self.definitions()
        needed = [(name, user, True) for name, user in wanted.items()] + [
            (name, function, False) for function, name in delegations.items()]
        chosen, names, direct = {}, {}, set()
        while needed:
            name, user, by_name = needed.pop()
            if name not in definitions:
                raise NotTranslated(user if hasattr(user, "lineno") else self.anchor,
                                    "%s, which %s does not define at module level"
                                    % (name, self.file))
            statement = definitions[name]
            if statement is None:
                raise NotTranslated(self.anchor, "%s, bound more than once in %s: which value "
                                    "the script sees depends on when it is used"
                                    % (name, self.file))
            if by_name:
                direct.add(id(statement))
                names.setdefault(id(statement), set()).add(name)
            if id(statement) in chosen:
                continue
            chosen[id(statement)] = statement
            self._copyable(statement, name)
            for used in sorted(global_references(self.source(statement))):
                if used in definitions and used != name:
                    needed.append((used, self.anchor, True))
        return [Piece(self.module, sorted(names.get(id(statement), ())),
                      self.source(statement), id(statement) in direct, statement)
                for statement in sorted(chosen.values(), key=lambda s: s.lineno)]

    def _runs_nothing_at_import(self):
        """Dropping the import must skip no code the helper runs when imported."""
        for statement in self.tree.body:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                modules = [statement.module] if isinstance(statement, ast.ImportFrom) else [
                    a.name for a in statement.names]
                for module in filter(None, modules):
                    if not getattr(statement, "level", 0) and _sibling_module(
                            module, 0, self.directory) and _uses_tensorflow(
                                self.directory, module, {self.module}):
                        raise NotTranslated(self.anchor, "%s imports %s.py from beside it, "
                                            "which uses TensorFlow (one level of helper "
                                            "modules is copied; an import back is a cycle)"
                                            % (self.file, module))
            if isinstance(statement, (ast.Import, ast.ImportFrom, ast.FunctionDef,
                                      ast.AsyncFunctionDef, ast.ClassDef, ast.Assign,
                                      ast.AnnAssign, ast.Pass)) or _is_docstring(statement):
                continue
            if isinstance(statement, ast.If) and "__name__" in ast.unparse(statement.test):
                continue
            raise NotTranslated(self.anchor, "%s runs `%s` when imported (the Keras script "
                                "would not)" % (self.file, self.lines[statement.lineno - 1]
                                                .strip()))

    def _copyable(self, statement, name):
        for line in self.error_lines:
            if _first_line(statement) <= line <= statement.end_lineno:
                raise NotTranslated(self.anchor, "%s line %d, which %s uses: %s" % (
                    self.file, line, name, self.error_lines[line]))
        if isinstance(statement, ast.ImportFrom) and (statement.level or any(
                a.name == "*" for a in statement.names)):
            raise NotTranslated(self.anchor, "`%s` in %s (relative or star import)" % (
                self.lines[statement.lineno - 1].strip(), self.file))
        identity = MODULE_IDENTITY & {n.id for n in ast.walk(statement) if isinstance(
            n, ast.Name)}
        if identity:
            raise NotTranslated(self.anchor, "%s in %s uses %s, which differs in the script"
                                % (name, self.file, sorted(identity)[0]))

    def source(self, statement):
        return "".join(self.lines[_first_line(statement) - 1:statement.end_lineno])


def _first_line(statement):
    return min([statement.lineno] + [d.lineno for d in getattr(statement, "decorator_list",
                                                               [])])


def global_references(text):
    """The global names a module's code reads, in any of its scopes (builtins included)."""
    table = symtable.symtable(text, "<copied>", "exec")
    found = set()
    stack = [table]
    while stack:
        current = stack.pop()
        for symbol in current.get_symbols():
            if not symbol.is_referenced():
                continue
            if current is table or symbol.is_global() or symbol.is_declared_global():
                found.add(symbol.get_name())
        stack.extend(current.get_children())
    return found


# -- one namespace ------------------------------------------------------------------------------
def _import_key(statement, name):
    """What an import binds ``name`` to: ("tensorflow", None) for ``import tensorflow as tf``,
    ("os", "path") for ``from os import path``."""
    for alias in statement.names:
        if (alias.asname or alias.name.split(".")[0]) == name:
            if isinstance(statement, ast.Import):
                return (alias.name if alias.asname else alias.name.split(".")[0], None)
            return (statement.module, alias.name)
    return None


def _binds(piece):
    """The names a copied statement binds in the script."""
    if isinstance(piece.node, (ast.Import, ast.ImportFrom)):
        return piece.names
    return _bound_names(piece.node)


def _check_namespace(script, pieces, bound, imports, delegations, renames):
    """The copied statements and the script's own share one namespace now: NotTranslated
    where a name would mean something else in either. Returns the copied imports the
    script already has (same binding) as {(module, name)}, and the helper functions copied
    under a name of their own (``_wrapper``): {(module, name): new name}."""
    dropped = {id(s) for statements in imports.values() for s in statements}
    dropped |= set(map(id, delegations))
    own = {name: [s for s in statements if id(s) not in dropped]
           for name, statements in bound.items()}
    own = {name: statements for name, statements in own.items() if statements}
    imported = {name for statements in imports.values() for s in statements
                if isinstance(s, ast.ImportFrom) for alias in s.names
                for name in (alias.name, alias.asname)}
    referenced = global_references(script.text)
    present, copied, prefixed = set(), {}, {}
    for piece in pieces:
        for name in _binds(piece):
            if isinstance(piece.node, (ast.Import, ast.ImportFrom)):
                key = _import_key(piece.node, name)
                theirs = own.get(name, [])
                if theirs and all(isinstance(s, (ast.Import, ast.ImportFrom)) and
                                  _import_key(s, name) == key for s in theirs):
                    present.add((piece.module, name))
                    continue
            else:
                key = (piece.module, piece.node.lineno)
            if name in own and _wrapper(script, own[name], piece, imports):
                new = "_%s_%s" % (piece.module, name)
                if new in own or new in referenced:
                    raise NotTranslated(own[name][0], "%s.py's %s copied as %s, a name the "
                                        "script has" % (piece.module, name, new))
                prefixed[(piece.module, name)] = new
                continue
            if name in own:
                raise NotTranslated(own[name][0], "%s.py's %s, which the script uses, and the "
                                    "script's own %s: one name for two things once copied"
                                    % (piece.module, name, name))
            if copied.setdefault(name, key) != key:
                raise NotTranslated(script.tree.body[0], "%s from two helper modules" % name)
            if name in referenced and name not in imported and hasattr(builtins, name):
                raise NotTranslated(imports[piece.module][0], "%s: the script reads the "
                                    "built-in %s, and %s.py defines its own" % (
                                        name, name, piece.module))
    for piece in pieces:
        for name in global_references(piece.text):
            if name not in copied and name in own and (piece.module, name) not in present:
                raise NotTranslated(own[name][0], "%s: %s.py's code reads its own %s, which "
                                    "the script binds otherwise" % (name, piece.module, name))
    return present, prefixed


def _wrapper(script, statements, piece, imports):
    """The script's Legacy Mode function ``statements`` ends by returning the helper's
    function of the same name (``return tiny_model.model_fn(...)``), called as
    ``module.name``: the helper's is copied under another name (convert.py translates the
    wrapper, or the file falls back)."""
    if len(statements) != 1 or not isinstance(statements[0], ast.FunctionDef) or not \
            isinstance(piece.node, ast.FunctionDef) or piece.node.name not in CONTRACT_NAMES:
        return False
    function, last = statements[0], statements[0].body[-1]
    aliases = {s.names[0].asname or piece.module for s in imports[piece.module]
               if isinstance(s, ast.Import)}
    call = getattr(last, "value", None)
    return function.name == piece.node.name and isinstance(last, ast.Return) and isinstance(
        call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr == \
        function.name and isinstance(call.func.value, ast.Name) and call.func.value.id in aliases


# -- the new text -------------------------------------------------------------------------------
def _assemble(script, imports, pieces, renames, delegations, helpers, present, prefixed):
    """The script's lines with its helper imports replaced by the imports the copied code
    needs, the copied definitions after the imports, each delegating function replaced by
    the helper's; and the origin of every line."""
    text = _unqualified(script, imports, prefixed)
    lines = text.splitlines(True)
    removed = sorted((_first_line(s), s.end_lineno) for statements in imports.values()
                     for s in statements)
    # line -> (last line replaced, [(text, origin)])
    replace = {first: (last, []) for first, last in removed}
    before = _placed_imports(script, _import_lines(pieces, present), removed)
    at = _block_line(script, removed[-1][1])
    block = _block(pieces, renames, delegations, prefixed)
    for function, name in delegations.items():
        piece = next(p for p in pieces if p.node is helpers[p.module].definitions()[name]
                     and p.module == _module_of(function, imports, helpers))
        replace[_first_line(function)] = (function.end_lineno, _delegated(function, name,
                                                                          piece))
    out = []
    line = 1
    while line <= len(lines):
        out += before.get(line, [])
        if line in replace:
            last, new = replace[line]
            out += new
            line = last + 1
        else:
            out.append((lines[line - 1], (None, line)))
            line += 1
        if line - 1 == at and block:
            blank = len(lines[at:]) - len(list(itertools.dropwhile(
                lambda text: not text.strip(), lines[at:])))
            out += block + [("\n", None)] * max(0, 2 - blank)  # PEP 8 before what follows
            block = None
    origins = {number: origin for number, (_, origin) in enumerate(out, 1)}
    copied = ["%s.py: %s" % (module, ", ".join(
        name for p in pieces if p.module == module and not isinstance(
            p.node, (ast.Import, ast.ImportFrom)) for name in _binds(p)) or "-")
        for module in imports]
    anchors = {helper.file: helper.anchor for helper in helpers.values()}
    return Inlined("".join(text for text, _ in out), origins, copied, anchors)


def _unqualified(script, imports, prefixed):
    """The script text with each ``module.name`` of a helper imported as a module read as
    ``name``, or as the name it is copied under (same lines)."""
    from legacy_compat.convert.keras.source import Script

    edited = Script(script.text)
    aliases = {s.names[0].asname or module: module for module, statements in imports.items()
               for s in statements if isinstance(s, ast.Import)}
    for node in ast.walk(edited.tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and \
                node.value.id in aliases:
            edited.replace(node, prefixed.get((aliases[node.value.id], node.attr), node.attr))
    return edited.result()


def _module_of(function, imports, helpers):
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            for module, statements in imports.items():
                if any(isinstance(s, ast.Import) and (s.names[0].asname or module) ==
                       node.value.id for s in statements):
                    return module
    return None


def _block_line(script, last_import):
    """The line after which the copied definitions go: the end of the imports at the top
    (or of the last helper import, if that comes later)."""
    end = 0
    for statement in script.tree.body:
        if isinstance(statement, (ast.Import, ast.ImportFrom)) or (
                end == 0 and _is_docstring(statement)):
            end = statement.end_lineno
        else:
            break
    return max(end, last_import)


def _placed_imports(script, imports, removed):
    """line -> the copied imports that go before it: each before the first of the script's
    imports at the top that sorts after it (standard library, then the others, by name),
    else where the helper's import was."""
    run = []
    for statement in script.tree.body:
        if not isinstance(statement, (ast.Import, ast.ImportFrom)):
            if run or not _is_docstring(statement):
                break
            continue
        if (_first_line(statement), statement.end_lineno) not in removed:
            run.append((_import_order(statement), statement.lineno))
    before = {}
    for text, origin in imports:
        key = _import_order(ast.parse(text).body[0])
        line = next((line for order, line in run if order > key), removed[0][0])
        before.setdefault(line, []).append((text, origin))
    return before


def _import_order(statement):
    module = statement.names[0].name if isinstance(statement, ast.Import) else \
        statement.module or ""
    standard = module.split(".")[0] in getattr(sys, "stdlib_module_names", ())
    return (not standard, module.lower())


def _import_lines(pieces, present):
    """The copied code's imports the script lacks, one statement each, as written there."""
    lines = []
    for piece in pieces:
        node = piece.node
        if not isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        aliases = [a for a in node.names if (a.asname or a.name.split(".")[0]) in piece.names
                   and (piece.module, a.asname or a.name.split(".")[0]) not in present]
        if not aliases:
            continue
        statement = (ast.Import if isinstance(node, ast.Import) else ast.ImportFrom)(
            names=aliases, **({} if isinstance(node, ast.Import) else {
                "module": node.module, "level": 0}))
        lines.append((ast.unparse(statement) + "\n", (piece.module + ".py", node.lineno)))
    return lines


def _block(pieces, renames, delegations, prefixed):
    """The copied definitions, module by module in their source order, PEP 8 apart."""
    delegated = {(name, function.name) for function, name in delegations.items()}
    out, module, previous = [], None, None
    for piece in pieces:
        if isinstance(piece.node, (ast.Import, ast.ImportFrom)) or not piece.direct:
            continue
        if any((name, name) in delegated for name in piece.names):
            continue  # the delegating function's place holds it
        if piece.module != module:
            out += [("\n", None)] * 2 + [(
                "# From %s.py, the helper module beside this script:\n" % piece.module, None)]
            module, previous = piece.module, None
        definition = isinstance(piece.node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                             ast.ClassDef))
        if previous is not None:
            out += [("\n", None)] * (2 if definition or previous else 0)
        out += _piece_lines(piece, rename=prefixed.get((piece.module, getattr(
            piece.node, "name", None))))
        previous = definition
    for local, name in sorted(renames.items()):
        out.append(("%s = %s  # imported as %s\n" % (local, name, local), None))
    return out


def _piece_lines(piece, rename=None):
    first = _first_line(piece.node)
    lines = piece.text.splitlines(True)
    if rename:
        at = piece.node.lineno - first
        lines[at] = lines[at].replace("def %s(" % piece.node.name, "def %s(" % rename, 1)
    return [(text, (piece.module + ".py", first + offset))
            for offset, text in enumerate(lines)]


def _delegated(function, name, piece):
    """The helper's function in place of the script's that only called it."""
    comment = "# From %s.py (this script's %s only returned its %s):\n" % (
        piece.module, function.name, name)
    return [(comment, None)] + _piece_lines(piece, rename=function.name if
                                             function.name != name else None)
