"""How the optional Legacy Mode hyperparameters map onto the running TensorFlow.

The table (``TABLE``) is data: one row per hyperparameter in the Legacy Mode
documentation's "Optional Hyperparameters" list (plus the container's
``training_steps`` / ``evaluation_steps``), saying what it meant and what it
becomes here. ``docs/hyperparameters.md`` is generated from it::

    python -m legacy_compat.schedule > docs/hyperparameters.md

:func:`plan` turns a job's hyperparameters into a :class:`Plan` for the
trainer, with one log line per key saying what it became. Nothing is dropped
in silence: a key that cannot be honoured is warned about.
"""

from collections import namedtuple

from packaging import version as _version

from legacy_compat import contract
from legacy_compat import hyperparameters as hp
from legacy_compat.errors import ConfigError

Row = namedtuple("Row", "key documented_for meaning becomes")

_V1_6 = _version.parse("1.6")
_V1_10 = _version.parse("1.10")

TABLE = (
    Row("training_steps", "container", "Absolute global step at which training stops (default 1000).",
        "`TrainSpec(max_steps=...)`; a checkpoint already past it is evaluated and exported, not "
        "trained."),
    Row("evaluation_steps", "container", "Batches per evaluation (default 100; null: until the "
        "input ends).", "`EvalSpec(steps=...)` / `Estimator.evaluate(steps=...)`."),
    Row("save_summary_steps", "all versions", "Save summaries every this many steps.",
        "`RunConfig(save_summary_steps=...)`."),
    Row("save_checkpoints_secs", "all versions", "Save checkpoints every this many seconds "
        "(container default 300).", "`RunConfig(save_checkpoints_secs=...)`; the 300 s default is "
        "not injected when `save_checkpoints_steps` is set."),
    Row("save_checkpoints_steps", "all versions", "Save checkpoints every this many steps.",
        "`RunConfig(save_checkpoints_steps=...)`."),
    Row("keep_checkpoint_max", "all versions", "How many recent checkpoints to keep.",
        "`RunConfig(keep_checkpoint_max=...)`."),
    Row("keep_checkpoint_every_n_hours", "all versions", "Keep one checkpoint every N hours.",
        "`RunConfig(keep_checkpoint_every_n_hours=...)`."),
    Row("log_step_count_steps", "all versions", "Log global step/sec every N steps.",
        "`RunConfig(log_step_count_steps=...)`, and the cadence of the progress line."),
    Row("start_delay_secs", "TF 1.6+", "Start evaluating after waiting this many seconds.",
        "Honoured on every version by legacy-compat's step schedule: no evaluation before N "
        "seconds of training (TF itself applied it only to a separate evaluator task)."),
    Row("throttle_secs", "TF 1.6+", "Do not re-evaluate unless the last evaluation started at "
        "least this many seconds ago.", "`EvalSpec(throttle_secs=...)` (0 becomes 1 on TF 1.4-1.9, "
        "which reject 0); with a step cadence, the minimum time between evaluations."),
    Row("min_eval_frequency", "TF 1.4/1.5", "Minimum global steps between evaluations; 0: "
        "evaluate only after training (container default 1000 on TF 1.4/1.5).",
        "Honoured on every version: train N steps, evaluate and export, repeat. Injected as 1000 "
        "on TF 1.4/1.5 only, as the legacy container did."),
    Row("train_steps_per_iteration", "TF 1.4/1.5", "Train steps per training-evaluation "
        "iteration.", "Honoured on every version: the step schedule's chunk size."),
    Row("eval_delay_secs", "TF 1.4/1.5", "Start evaluating after waiting this many seconds.",
        "Same as `start_delay_secs`, on every version."),
    Row("continuous_eval_throttle_secs", "TF 1.4/1.5", "Do not re-evaluate unless the last "
        "evaluation started at least this many seconds ago.",
        "Same as `throttle_secs` under the step schedule, on every version."),
    Row("delay_workers_by_global_step", "TF 1.4/1.5", "Delay workers by global step instead of "
        "time.", "Only meaningful with several hosts; warned about and ignored on one host."),
    Row("eval_metrics", "TF 1.4/1.5", "Extra metric functions for Experiment.",
        "Cannot be expressed in JSON hyperparameters; warned about and ignored: return "
        "`eval_metric_ops` from model_fn instead."),
)

class Plan(object):
    """What the trainer does with one job's hyperparameters."""

    def __init__(self):
        self.run_config = {}
        self.eval_spec = {}
        self.cadence = None            # contract.evaluation_cadence: None without a step schedule
        self.notes = []                # (key, what it became), logged at start
        self.warnings = []             # (key, why it is not honoured)

    @property
    def step_schedule(self):
        return self.cadence is not None

    @property
    def every_steps(self):
        return self.cadence["every_steps"] if self.cadence else None

    @property
    def delay_secs(self):
        return self.cadence["delay_secs"] if self.cadence else 0

    @property
    def throttle_secs(self):
        return self.cadence["throttle_secs"] if self.cadence else 0


def plan(params, tf_version):
    """Build the Plan for ``params`` (defaults already injected) on TF ``tf_version``.

    ``tf_version`` is a version (``tfapi.version()`` or its text); the cadence
    (what each key becomes) is ``contract.evaluation_cadence``, shared with
    converted scripts, which run on TF 2.x only.
    """
    tf_version = _version.parse(str(tf_version))
    result = Plan()
    params = dict(params)
    injected = None
    if tf_version < _V1_6 and "min_eval_frequency" not in params:
        params["min_eval_frequency"] = contract.LEGACY_MIN_EVAL_FREQUENCY
        injected = " (not set: %d is the legacy container's default on TF %s)" % (
            contract.LEGACY_MIN_EVAL_FREQUENCY, tf_version)

    result.run_config = hp.pick(params, contract.RUN_CONFIG_KEYS)
    if result.run_config.get("save_checkpoints_steps") is not None and \
            result.run_config.get("save_checkpoints_secs") is not None:
        raise ConfigError(
            "hyperparameters save_checkpoints_steps=%r and save_checkpoints_secs=%r are both "
            "set; TensorFlow accepts only one" % (result.run_config["save_checkpoints_steps"],
                                                  result.run_config["save_checkpoints_secs"]),
            hint="remove save_checkpoints_secs (legacy-compat no longer injects its 300 s "
                 "default when save_checkpoints_steps is set)")
    for key, value in sorted(result.run_config.items()):
        result.notes.append((key, "RunConfig(%s=%r)" % (key, value)))

    cadence = result.cadence = contract.evaluation_cadence(params)
    if cadence is not None:
        what = ("every %d global steps" % cadence["every_steps"] if cadence["every_steps"]
                else "only after training")
        for key in contract.STEP_SCHEDULE_KEYS + ("throttle_secs",):
            if params.get(key) is not None:
                result.notes.append((key, "%r: step schedule, evaluating %s, no evaluation before "
                                          "%ss of training, at least %ss apart%s"
                                     % (params[key], what, cadence["delay_secs"],
                                        cadence["throttle_secs"],
                                        injected if key == "min_eval_frequency" and injected
                                        else "")))
    else:
        result.eval_spec = hp.pick(params, contract.EVAL_SPEC_KEYS)
        # TF 1.4-1.9: "eval_spec.throttle_secs should be positive, given: 0."
        if result.eval_spec.get("throttle_secs") == 0 and tf_version < _V1_10:
            result.eval_spec["throttle_secs"] = 1
            result.notes.append(("throttle_secs", "0 is rejected by TF %s: using 1 (evaluate "
                                                  "after every checkpoint)" % tf_version))
        elif "throttle_secs" in result.eval_spec:
            result.notes.append(("throttle_secs", "EvalSpec(throttle_secs=%r)"
                                 % result.eval_spec["throttle_secs"]))

    if params.get("delay_workers_by_global_step"):
        result.warnings.append(("delay_workers_by_global_step",
                                "only meaningful with several hosts; ignored on one host"))
    if params.get("eval_metrics") is not None:
        result.warnings.append(("eval_metrics", "metric functions cannot be passed as JSON "
                                "hyperparameters; ignored (return eval_metric_ops from model_fn)"))
    return result


def render_markdown():
    lines = [
        "# Hyperparameters",
        "",
        "<!-- Generated by `python -m legacy_compat.schedule > docs/hyperparameters.md`; "
        "edit the TABLE in legacy_compat/schedule.py instead. -->",
        "",
        "Every hyperparameter reaches the user's functions unchanged (defaults included). The "
        "keys below are also consumed by `legacy-compat train`, on every TensorFlow from 1.4 to "
        "2.15; at start, one log line per key says what it became.",
        "",
        "| key | documented for | meaning | what legacy-compat does |",
        "|---|---|---|---|",
    ]
    for row in TABLE:
        lines.append("| `%s` | %s | %s | %s |" % (row.key, row.documented_for, row.meaning,
                                                  row.becomes))
    lines += ["", "## Types", "", hp.TYPE_RULE.rstrip()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys
    sys.stdout.write(render_markdown())
