"""Rule registry: each module in ``legacy_compat.convert.rules`` registers itself.

A rule is a function ``rule(ctx)`` that reads ``ctx.source`` / ``ctx.tree`` and
records edits, findings and extra files on the context.  Rules run in
ascending ``order``; each one sees the output of the previous ones.
There is no central list: adding a rule means adding a module.
"""
import dataclasses
import importlib
import pkgutil
from typing import Callable, Dict, List


@dataclasses.dataclass(frozen=True)
class Rule:
    name: str
    order: int
    summary: str
    function: Callable


_RULES: Dict[str, Rule] = {}
_LOADED = False


def register(name, order, summary):
    """Decorator: ``@register("tf-renames", order=40, summary="...")``."""

    def decorate(function):
        if name in _RULES and _RULES[name].function is not function:
            raise ValueError("conversion rule %r is registered twice" % name)
        _RULES[name] = Rule(name, order, summary, function)
        return function

    return decorate


def load_rules():
    global _LOADED
    if not _LOADED:
        from legacy_compat.convert import rules

        for module in pkgutil.iter_modules(rules.__path__):
            importlib.import_module("%s.%s" % (rules.__name__, module.name))
        _LOADED = True


def all_rules() -> List[Rule]:
    load_rules()
    return sorted(_RULES.values(), key=lambda rule: (rule.order, rule.name))


def get_rule(name) -> Rule:
    load_rules()
    return _RULES[name]
