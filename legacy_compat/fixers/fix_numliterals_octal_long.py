"""``fix_numliterals`` that also handles ``0777L`` (-> ``0o777``) and ``7L.real`` (-> ``7 .real``).

Stock ``fix_numliterals`` drops the ``L`` or adds the ``0o``, never both, so
``0777L`` became ``0777``, and ``7L.real`` became ``7.real``; Python 3 refuses
both (found by the standard-library sweep: test_format.py, test_grammar.py,
test_index.py).
"""
from fissix.fixer_util import Number
from fissix.fixes.fix_numliterals import FixNumliterals


class FixNumliteralsOctalLong(FixNumliterals):
    def transform(self, node, results):
        value = node.value[:-1] if self.is_long(node) else node.value
        if value.startswith("0") and value.isdigit() and len(set(value)) > 1:
            value = "0o" + value[1:]
        follower = node.next_sibling
        if value.isdigit() and follower is not None and follower.prefix == "" \
                and follower.leaves and str(next(follower.leaves())) == ".":
            value += " "  # `7.real` would read as the float `7.`
        return Number(value, prefix=node.prefix)
