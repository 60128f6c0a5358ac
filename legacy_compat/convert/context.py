"""What one rule works on: the parsed source, the run's settings and the file's shared state."""
import ast
import dataclasses
from typing import Dict, List, Optional, Set

from legacy_compat.convert.findings import ERROR, Finding
from legacy_compat.convert.names import ImportMap, dotted_chains
from legacy_compat.convert.settings import DEFAULT, Settings
from legacy_compat.convert.textpos import Edit, LineIndex


class ParsedSource:
    """One source text, parsed once, with the indexes the rules share.

    A rule that edits the text produces a new ``ParsedSource``; one that does
    not leaves this one (tree, node index, imports) to the next rule.
    """

    def __init__(self, text, tree=None):
        self.text = text
        self._tree = tree
        self._index = None
        self._by_type = None
        self._imports = None
        self._chains = None

    @property
    def tree(self):
        """The ``ast`` module; raises ``SyntaxError`` if the text is not Python 3."""
        if self._tree is None:
            self._tree = ast.parse(self.text)
        return self._tree

    @property
    def index(self):
        if self._index is None:
            self._index = LineIndex(self.text)
        return self._index

    def nodes(self, *types):
        """Nodes of the given ``ast`` types, in ``ast.walk`` order (one walk per text)."""
        if self._by_type is None:
            by_type = {}
            for position, node in enumerate(ast.walk(self.tree)):
                by_type.setdefault(type(node), []).append((position, node))
            self._by_type = by_type
        if len(types) == 1:
            return [node for _, node in self._by_type.get(types[0], ())]
        found = [item for kind in types for item in self._by_type.get(kind, ())]
        return [node for _, node in sorted(found, key=lambda item: item[0])]

    @property
    def imports(self):
        if self._imports is None:
            self._imports = ImportMap.from_nodes(self.nodes(ast.Import, ast.ImportFrom))
        return self._imports

    @property
    def chains(self):
        """Every maximal dotted name ``a.b.c`` in load context (see ``names.dotted_chains``)."""
        if self._chains is None:
            self._chains = list(dotted_chains(self))
        return self._chains


class SealedError(AssertionError):
    """A rule asked for something after the rule that provides it had run (a rule-order bug)."""


@dataclasses.dataclass
class FileState:
    """What the rules of one file share, each field written through one method.

    ``helpers`` / ``tf_import`` are requests that ``add-helpers`` fulfils;
    once it has run they are sealed, so a rule ordered after it fails loudly
    instead of being ignored.  Likewise no ERROR may be reported after
    ``error-markers`` has marked them.
    """

    helpers: Set[str] = dataclasses.field(default_factory=set)
    tf_import: bool = False
    extra_files: Dict[str, str] = dataclasses.field(default_factory=dict)
    is_legacy_script: bool = False
    findings: List[Finding] = dataclasses.field(default_factory=list)
    requests_sealed_by: Optional[str] = None
    errors_sealed_by: Optional[str] = None

    def _check_requests(self, rule):
        if self.requests_sealed_by:
            raise SealedError("conversion rule %r requested a helper or import after %r had "
                              "inserted them; declare after=" % (rule, self.requests_sealed_by))

    def request_helper(self, rule, name):
        self._check_requests(rule)
        self.helpers.add(name)

    def request_tf_import(self, rule):
        self._check_requests(rule)
        self.tf_import = True

    def seal_errors(self, rule):
        """Called by the rule that marks ERROR lines: no ERROR may come after it."""
        self.errors_sealed_by = rule

    def take_requests(self, rule):
        """(helpers, tf import wanted) for the rule that inserts them; seals the requests."""
        self._check_requests(rule)
        self.requests_sealed_by = rule
        return set(self.helpers), self.tf_import


class RuleContext:
    """Current source of one file plus what the running rule records."""

    def __init__(self, path, parsed, state, rule_name="", settings=DEFAULT):
        self.path = path
        self.parsed = parsed
        self.state: FileState = state
        self.settings: Settings = settings
        self.rule_name = rule_name
        self.edits: List[Edit] = []
        self.findings: List[Finding] = []
        self.new_source: Optional[str] = None
        self.new_tree = None

    @property
    def source(self):
        return self.parsed.text

    @property
    def tree(self):
        return self.parsed.tree

    @property
    def index(self):
        return self.parsed.index

    @property
    def imports(self):
        return self.parsed.imports

    def nodes(self, *types):
        return self.parsed.nodes(*types)

    # -- recording -------------------------------------------------------
    def replace_node(self, node, text):
        start, end = self.index.node_span(node)
        self.edits.append(Edit(start, end, text))

    def replace_span(self, start, end, text):
        self.edits.append(Edit(start, end, text))

    def replace_source(self, text, tree=None):
        """For whole-file rewrites (the fissix stage); findings then use new lines.

        ``tree`` is the ``ast`` of ``text`` when the rule has it already.
        """
        self.new_source = text
        self.new_tree = tree

    def report(self, severity, message, node=None, line=None, col=None, suggestion=None):
        if severity == ERROR and self.state.errors_sealed_by:
            raise SealedError("conversion rule %r reported an ERROR after %r had marked them; "
                              "declare after=" % (self.rule_name, self.state.errors_sealed_by))
        if node is not None:
            line, col = self.index.position(self.index.offset(node.lineno, node.col_offset))
        self.findings.append(Finding(self.path, line or 0, col or 0, severity, message,
                                     suggestion, self.rule_name))

    # -- shared services -------------------------------------------------
    def need_helper(self, name):
        """Ask ``add-helpers`` to add a named replacement helper to this file."""
        self.state.request_helper(self.rule_name, name)

    def tf_alias(self):
        """Local name bound to the ``tensorflow`` module; asks for an import if none."""
        alias = self.imports.module_alias("tf")
        if alias is None:
            self.state.request_tf_import(self.rule_name)
            return "tf"
        return alias


def top_level_functions(tree) -> Dict[str, ast.FunctionDef]:
    return {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
