"""The state one rule works on, and the small services rules share."""
import ast
from typing import Dict, List, Optional

from legacy_compat.convert.findings import Finding
from legacy_compat.convert.textpos import Edit, LineIndex


class RuleContext:
    """Current source of one file plus what the running rule records.

    ``source``/``tree``/``index`` describe the text the rule must edit.
    ``state`` is shared by all rules for this file (e.g. ``py2_division``).
    """

    def __init__(self, path, source, state, rule_name=""):
        self.path = path
        self.source = source
        self.state = state
        self.rule_name = rule_name
        self.edits: List[Edit] = []
        self.findings: List[Finding] = []
        self.new_source: Optional[str] = None
        self._tree = None
        self._index = None

    @property
    def tree(self):
        if self._tree is None:
            self._tree = ast.parse(self.source)
        return self._tree

    @property
    def index(self):
        if self._index is None:
            self._index = LineIndex(self.source)
        return self._index

    # -- recording -------------------------------------------------------
    def replace_node(self, node, text):
        start, end = self.index.node_span(node)
        self.edits.append(Edit(start, end, text))

    def replace_span(self, start, end, text):
        self.edits.append(Edit(start, end, text))

    def replace_source(self, text):
        """For whole-file rewrites (the fissix stage); findings then use new lines."""
        self.new_source = text

    def report(self, severity, message, node=None, line=None, col=None, suggestion=None):
        if node is not None:
            line, col = self.index.position(self.index.offset(node.lineno, node.col_offset))
        self.findings.append(Finding(self.path, line or 0, col or 0, severity, message,
                                     suggestion, self.rule_name))

    # -- shared services -------------------------------------------------
    def need_helper(self, name):
        """Ask the pipeline to add a named replacement helper to this file."""
        self.state.setdefault("helpers", set()).add(name)

    def tf_alias(self):
        """Local name bound to the ``tensorflow`` module; adds an import if none."""
        from legacy_compat.convert.names import ImportMap

        alias = ImportMap.from_tree(self.tree).module_alias("tf")
        if alias is None:
            self.state["add_tf_import"] = True
            return "tf"
        return alias

    @property
    def imports(self):
        from legacy_compat.convert.names import ImportMap

        return ImportMap.from_tree(self.tree)


def top_level_functions(tree) -> Dict[str, ast.FunctionDef]:
    return {node.name: node for node in tree.body
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
