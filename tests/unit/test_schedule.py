"""The hyperparameter table: plans per TF version, and the step schedule on the installed TF."""

import os
import re

from conftest import example, script
from legacy_compat import schedule


def notes(plan):
    return dict(plan.notes)


def test_min_eval_frequency_is_a_step_schedule_on_every_version():
    for version in ("1.4.1", "1.10.1", "2.15.1"):
        plan = schedule.plan({"min_eval_frequency": 50}, version)
        assert plan.step_schedule and plan.every_steps == 50
        assert "every 50 global steps" in notes(plan)["min_eval_frequency"]


def test_legacy_default_min_eval_frequency_only_on_1_4_and_1_5():
    assert schedule.plan({}, "1.5.1").every_steps == 1000
    assert "legacy container's default" in notes(schedule.plan({}, "1.4.1"))["min_eval_frequency"]
    assert not schedule.plan({}, "1.6.0").step_schedule


def test_min_eval_frequency_zero_means_only_after_training():
    plan = schedule.plan({"min_eval_frequency": 0}, "2.15.1")
    assert plan.step_schedule and plan.every_steps is None


def test_throttle_secs_zero_is_translated_before_tf_1_10():
    assert schedule.plan({"throttle_secs": 0}, "1.10.1").eval_spec == {"throttle_secs": 0}
    assert schedule.plan({"throttle_secs": 0}, "1.9.0").eval_spec == {"throttle_secs": 1}
    # On 1.4/1.5 the legacy default min_eval_frequency puts the job on the step schedule.
    plan = schedule.plan({"throttle_secs": 0, "min_eval_frequency": None}, "1.4.1")
    assert plan.eval_spec == {"throttle_secs": 1}
    assert "rejected by TF 1.4.1" in notes(plan)["throttle_secs"]


def test_delays_and_throttles_map_onto_the_step_schedule():
    plan = schedule.plan({"train_steps_per_iteration": 20, "eval_delay_secs": 5,
                          "continuous_eval_throttle_secs": 7}, "2.15.1")
    assert (plan.every_steps, plan.delay_secs, plan.throttle_secs) == (20, 5, 7)
    plan = schedule.plan({"start_delay_secs": 3}, "2.15.1")
    assert plan.step_schedule and plan.delay_secs == 3 and plan.every_steps is None


def test_unhonoured_keys_are_warned_about_not_dropped():
    plan = schedule.plan({"delay_workers_by_global_step": True, "eval_metrics": {"a": 1}}, "2.15.1")
    assert [key for key, _ in plan.warnings] == ["delay_workers_by_global_step", "eval_metrics"]


def test_every_documented_optional_hyperparameter_has_a_row():
    documented = {"save_summary_steps", "save_checkpoints_secs", "save_checkpoints_steps",
                  "keep_checkpoint_max", "keep_checkpoint_every_n_hours", "log_step_count_steps",
                  "start_delay_secs", "throttle_secs", "eval_metrics", "eval_delay_secs",
                  "continuous_eval_throttle_secs", "min_eval_frequency",
                  "delay_workers_by_global_step", "train_steps_per_iteration"}
    assert documented <= {row.key for row in schedule.TABLE}


def test_docs_page_is_generated_from_the_table():
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
                        "docs", "hyperparameters.md")
    with open(path) as handle:
        assert handle.read() == schedule.render_markdown()


def test_min_eval_frequency_evaluates_every_n_steps(train):
    run = train(script("returns_callables.py"), channels=[example("abalone", "data")],
                hyperparameters={"training_steps": 30, "min_eval_frequency": 10})
    assert run.returncode == 0, run.output
    steps = re.findall(r"Saving dict for global step (\d+)", run.output)
    assert steps == ["10", "20", "30"], steps
    assert len(run.exports()) == 3
    assert "hyperparameter min_eval_frequency: 10: step schedule" in run.output
