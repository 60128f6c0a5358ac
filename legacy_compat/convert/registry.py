"""Rule registry: each module in ``legacy_compat.convert.rules`` registers itself.

A rule is a function ``rule(ctx)`` that reads ``ctx.source`` / ``ctx.tree`` and
records edits, findings and requests on the context; each rule sees the
output of the rules before it.  There is no central list and no order
number: a rule names the rules whose output it needs (``after=``), and the
run order is a topological order of those declarations, ties broken by name
so the order never depends on import order.

``after=(EVERY_RULE,)`` means "after every rule that does not itself say
so": the steps that finish a file (inserting requested helpers, marking
ERROR lines) use it, so a new rewriting rule cannot end up after them.
"""
import dataclasses
import heapq
import importlib
import pkgutil
from typing import Callable, Dict, List, Tuple

EVERY_RULE = "*"


class RuleOrderError(Exception):
    """The declared rule dependencies name an unknown rule or form a cycle."""


@dataclasses.dataclass(frozen=True)
class Rule:
    name: str
    summary: str
    function: Callable
    after: Tuple[str, ...] = ()

    @property
    def runs_last(self):
        return EVERY_RULE in self.after


_RULES: Dict[str, Rule] = {}
_LOADED = False
_ORDER: List[Rule] = []


def register(name, summary, after=()):
    """Decorator: ``@register("tf-imports", after=("tf-renames",), summary="...")``."""
    if isinstance(after, str):
        raise TypeError("after= takes a tuple of rule names, not %r" % after)

    def decorate(function):
        if name in _RULES and _RULES[name].function is not function:
            raise ValueError("conversion rule %r is registered twice" % name)
        _RULES[name] = Rule(name, summary, function, tuple(after))
        del _ORDER[:]
        return function

    return decorate


def load_rules():
    global _LOADED
    if not _LOADED:
        from legacy_compat.convert import rules

        for module in pkgutil.iter_modules(rules.__path__):
            importlib.import_module("%s.%s" % (rules.__name__, module.name))
        _LOADED = True


def run_order(rules) -> List[Rule]:
    """``rules`` in an order that honours every ``after=`` among them.

    A dependency on a rule outside ``rules`` is ignored (tests run single
    rules), but it must name a registered rule.
    """
    rules = list(rules)
    by_name = {rule.name: rule for rule in rules}
    known = set(_RULES) | set(by_name)
    ordinary = [rule.name for rule in rules if not rule.runs_last]
    needs = {}
    for rule in rules:
        deps = set()
        for dep in rule.after:
            if dep == EVERY_RULE:
                deps.update(ordinary)
            elif dep not in known:
                raise RuleOrderError("conversion rule %r runs after %r, which is not a rule"
                                     % (rule.name, dep))
            elif dep in by_name:
                if by_name[dep].runs_last and not rule.runs_last:
                    raise RuleOrderError(
                        "conversion rule %r runs after %r, which runs after every rule; "
                        "add %r to its after=" % (rule.name, dep, EVERY_RULE))
                deps.add(dep)
        deps.discard(rule.name)
        needs[rule.name] = deps
    waiting_on = {name: set(deps) for name, deps in needs.items()}
    ready = [name for name, deps in waiting_on.items() if not deps]
    heapq.heapify(ready)
    order = []
    while ready:
        name = heapq.heappop(ready)
        order.append(by_name[name])
        for other, deps in waiting_on.items():
            if name in deps:
                deps.discard(name)
                if not deps:
                    heapq.heappush(ready, other)
    if len(order) != len(rules):
        stuck = sorted(name for name, deps in waiting_on.items() if deps)
        raise RuleOrderError("conversion rules %s depend on each other in a cycle (after=)"
                             % ", ".join(stuck))
    return order


def all_rules() -> List[Rule]:
    load_rules()
    if not _ORDER:
        _ORDER.extend(run_order(_RULES.values()))
    return list(_ORDER)


def get_rule(name) -> Rule:
    load_rules()
    return _RULES[name]
