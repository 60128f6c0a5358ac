"""The hyperparameter table: plans per TF version, and the step schedule on the installed TF."""

import os
import re

import pytest

from conftest import example, script
from legacy_compat import schedule
from legacy_compat.errors import ConfigError


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


def test_every_key_says_what_it_became():
    plan = schedule.plan({"save_summary_steps": 10, "keep_checkpoint_max": 3,
                          "min_eval_frequency": 50, "throttle_secs": 60}, "2.15.1")
    assert plan.run_config == {"save_summary_steps": 10, "keep_checkpoint_max": 3}
    assert plan.eval_spec == {}
    assert plan.notes == [
        ("keep_checkpoint_max", "RunConfig(keep_checkpoint_max=3)"),
        ("save_summary_steps", "RunConfig(save_summary_steps=10)"),
        ("min_eval_frequency", "50: step schedule, evaluating every 50 global steps, no "
                               "evaluation before 0s of training, at least 60s apart"),
        ("throttle_secs", "60: step schedule, evaluating every 50 global steps, no evaluation "
                          "before 0s of training, at least 60s apart")]
    plan = schedule.plan({"min_eval_frequency": 0, "start_delay_secs": 5}, "2.15.1")
    assert notes(plan)["start_delay_secs"] == (
        "5: step schedule, evaluating only after training, no evaluation before 5s of "
        "training, at least 0s apart")
    plan = schedule.plan({"throttle_secs": 30}, "2.15.1")
    assert (plan.eval_spec, plan.notes) == ({"throttle_secs": 30},
                                            [("throttle_secs", "EvalSpec(throttle_secs=30)")])
    assert not plan.step_schedule
    assert (plan.every_steps, plan.delay_secs, plan.throttle_secs) == (None, 0, 0)
    assert schedule.plan({}, "2.15.1").notes == []


def test_every_run_config_key_reaches_run_config():
    # The keys the legacy container forwarded to RunConfig, written out here.
    keys = {"save_summary_steps": 1, "save_checkpoints_secs": 2, "keep_checkpoint_max": 3,
            "keep_checkpoint_every_n_hours": 4, "log_step_count_steps": 5}
    assert schedule.plan(dict(keys, other=6), "2.15.1").run_config == keys
    assert schedule.plan({"save_checkpoints_steps": 7}, "2.15.1").run_config == {
        "save_checkpoints_steps": 7}


def test_the_injected_min_eval_frequency_says_so():
    plan = schedule.plan({}, "1.4.1")
    assert notes(plan)["min_eval_frequency"] == (
        "1000: step schedule, evaluating every 1000 global steps, no evaluation before 0s of "
        "training, at least 0s apart (not set: 1000 is the legacy container's default on "
        "TF 1.4.1)")
    assert (plan.every_steps, plan.delay_secs, plan.throttle_secs) == (1000, 0, 0)
    assert "legacy container's default" not in notes(
        schedule.plan({"min_eval_frequency": 1000}, "1.4.1"))["min_eval_frequency"]


def test_throttle_secs_zero_note_names_the_release():
    assert schedule.plan({"throttle_secs": 0}, "1.9.0").notes == [
        ("throttle_secs", "0 is rejected by TF 1.9.0: using 1 (evaluate after every checkpoint)")]


def test_both_checkpoint_cadences_are_refused():
    with pytest.raises(ConfigError) as caught:
        schedule.plan({"save_checkpoints_steps": 10, "save_checkpoints_secs": 60}, "2.15.1")
    assert str(caught.value) == (
        "hyperparameters save_checkpoints_steps=10 and save_checkpoints_secs=60 are both set; "
        "TensorFlow accepts only one\nHint: remove save_checkpoints_secs (legacy-compat no "
        "longer injects its 300 s default when save_checkpoints_steps is set)")
    for one in ({"save_checkpoints_steps": 10, "save_checkpoints_secs": None},
                {"save_checkpoints_steps": None, "save_checkpoints_secs": 60}):
        assert schedule.plan(one, "2.15.1").run_config == one


def test_unhonoured_keys_say_why():
    plan = schedule.plan({"delay_workers_by_global_step": True, "eval_metrics": {"a": 1}},
                         "2.15.1")
    assert plan.warnings == [
        ("delay_workers_by_global_step", "only meaningful with several hosts; ignored on one "
                                         "host"),
        ("eval_metrics", "metric functions cannot be passed as JSON hyperparameters; ignored "
                         "(return eval_metric_ops from model_fn)")]
    assert schedule.plan({"delay_workers_by_global_step": False, "eval_metrics": None},
                         "2.15.1").warnings == []


def test_python_m_schedule_prints_the_docs_page():
    import subprocess
    import sys
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = subprocess.run([sys.executable, "-m", "legacy_compat.schedule"], cwd=root,
                          env=dict(os.environ, PYTHONPATH=root), stdout=subprocess.PIPE,
                          check=True)
    assert proc.stdout.decode() == schedule.render_markdown()
    assert schedule.TABLE[0]._fields == ("key", "documented_for", "meaning", "becomes")


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
