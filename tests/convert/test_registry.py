"""Rule order from declared dependencies, the settings object and the typed shared state."""
import dataclasses
import random
import textwrap

import pytest

from legacy_compat.convert import entry_point
from legacy_compat.convert.context import SealedError
from legacy_compat.convert.pipeline import convert_text
from legacy_compat.convert.registry import (EVERY_RULE, Rule, RuleOrderError, all_rules,
                                            get_rule, register, run_order)
from legacy_compat.convert.settings import ScriptKind, Settings
from tests.convert.test_cli import CLEAN_PY2


def _rule(name, *after):
    return Rule(name, "test rule", lambda ctx: None, tuple(after))


def _names(rules):
    return [rule.name for rule in rules]


def test_every_rule_runs_after_what_it_declares():
    order = _names(all_rules())
    assert order[0] == "py2-to-py3"
    assert order[-3:] == ["script-mode-entry-point", "add-helpers", "error-markers"]
    for rule in all_rules():
        for dep in rule.after:
            if dep != EVERY_RULE:
                assert order.index(dep) < order.index(rule.name), (rule.name, dep)


def test_order_does_not_depend_on_registration_order():
    rules = all_rules()
    for seed in range(5):
        shuffled = list(rules)
        random.Random(seed).shuffle(shuffled)
        assert _names(run_order(shuffled)) == _names(rules)


def test_independent_rules_are_ordered_by_name_and_last_rules_after_all():
    rules = [_rule("z-last", EVERY_RULE), _rule("b"), _rule("a", "c"), _rule("c")]
    assert _names(run_order(rules)) == ["b", "c", "a", "z-last"]


def test_cycle_is_rejected_with_the_rules_involved():
    with pytest.raises(RuleOrderError, match="x, y.*cycle"):
        run_order([_rule("x", "y"), _rule("y", "x"), _rule("free")])


def test_unknown_dependency_is_rejected():
    with pytest.raises(RuleOrderError, match="'x' runs after 'no-such-rule'"):
        run_order([_rule("x", "no-such-rule")])


def test_ordinary_rule_cannot_run_after_a_last_rule():
    with pytest.raises(RuleOrderError, match="runs after every rule"):
        run_order([_rule("finish", EVERY_RULE), _rule("x", "finish")])


def test_after_must_be_a_tuple():
    with pytest.raises(TypeError):
        register("x", summary="s", after="py2-to-py3")


def test_missing_dependency_outside_the_subset_is_ignored():
    # A single rule runs alone in the rule tests; its after= names real rules.
    assert _names(run_order([get_rule("tf-imports")])) == ["tf-imports"]


def test_helper_requested_after_add_helpers_is_a_loud_bug():
    late = Rule("late", "asks too late", lambda ctx: ctx.need_helper("local_variable"))
    with pytest.raises(SealedError, match="'late' requested a helper.*'add-helpers'"):
        convert_text("x = 1\n", "t.py", rules=[get_rule("add-helpers"),
                                               dataclasses.replace(late, after=(EVERY_RULE,
                                                                                "add-helpers"))])


def test_error_after_error_markers_is_a_loud_bug():
    late = Rule("late", "reports too late", lambda ctx: ctx.report("ERROR", "late", line=1),
                (EVERY_RULE, "error-markers"))
    with pytest.raises(SealedError, match="'late' reported an ERROR after 'error-markers'"):
        convert_text("x = 1\n", "t.py", rules=[get_rule("error-markers"), late])


def test_settings_are_read_only_and_checked():
    settings = Settings()
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.target_tf = "2.12"
    for unknown in ("2.11", "2.22", "2.1", "tf2.21"):
        with pytest.raises(ValueError, match="2.12, 2.13.*2.21"):
            Settings(target_tf=unknown)
    assert settings.target_tf == "2.21"  # the newest TF
    assert settings.needs_revived_estimator
    assert Settings(target_tf="2.16").needs_revived_estimator
    assert not Settings(target_tf="2.15").needs_revived_estimator
    with pytest.raises(ValueError, match="ScriptKind"):
        Settings(script_kind="module")


def test_rules_see_the_settings():
    seen = []
    probe = Rule("probe", "records settings", lambda ctx: seen.append(ctx.settings))
    settings = Settings(target_tf="2.13")
    convert_text("x = 1\n", "t.py", rules=[probe], settings=settings)
    assert seen == [settings]


def test_module_kind_never_gets_an_entry_point():
    conversion = convert_text(CLEAN_PY2, "train.py", settings=Settings(script_kind=ScriptKind.MODULE))
    assert entry_point.BEGIN not in conversion.output and not conversion.is_legacy_script
    assert 'print("building")' in conversion.output
    assert entry_point.BEGIN in convert_text(CLEAN_PY2, "train.py").output


def test_training_kind_reports_a_script_without_the_legacy_functions():
    source = textwrap.dedent("""\
        def model_fn(features, labels, mode, params):
            return None
        """)
    errors = convert_text(source, "helper.py",
                          settings=Settings(script_kind=ScriptKind.TRAINING)).errors
    assert [e.message for e in errors] == [
        "not a Legacy Mode training script: train_input_fn missing at the top level"]
    assert not convert_text(source, "helper.py").errors
