"""``fix_dict`` that treats loops like ``list()``: no ``list(...)`` wrapper there.

Stock ``fix_dict`` turns ``for k in d.iteritems()`` into ``for k in d.items()``
but wraps ``for k in d.items()`` in ``list(...)``; running it twice therefore
changes the output again.  Treating every special context as an iteration
context makes the fixer idempotent, so converting a converted file is a no-op.
"""
from fissix.fixes.fix_dict import FixDict


class FixDictStable(FixDict):
    def in_special_context(self, node, isiter):
        return super().in_special_context(node, True)
