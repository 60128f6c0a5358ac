"""The Legacy Mode contract as code a converted script carries (see ``__init__``).

The tables and functions here are the facts of how the legacy container called a
script and laid out its outputs; ``legacy_compat.contract`` documents them and adds
the checks ``legacy-compat train`` makes before training. ``legacy-compat train``
and a converted script both run these functions.
"""

import logging
import os
import shutil
import time

from legacy_compat.portable.argspec import argspec

# -- the functions a script defines ------------------------------------------------------------
BUILDER_PRECEDENCE = ("estimator_fn", "keras_model_fn", "model_fn")

# -- values the container gave the user's functions -------------------------------------------
TRAINING_CHANNEL = "training"

# Input-function parameter name -> what it receives (the canonical value names).
INPUT_FN_PARAMETERS = {
    "training_dir": "training_dir",
    "dir": "training_dir",
    "hyperparameters": "hyperparameters",
    "params": "hyperparameters",
    "input_channels": "input_channels",
    "channels": "input_channels",
}

# -- hyperparameters ---------------------------------------------------------------------------
DEFAULT_TRAINING_STEPS = 1000
DEFAULT_EVALUATION_STEPS = 100
DEFAULT_SAVE_CHECKPOINTS_SECS = 300

# The platform sends this one unencoded; its presence marks a tuning job.
TUNING_OBJECTIVE_KEY = "_tuning_objective_metric"

# Keys the container forwarded to RunConfig / EvalSpec; every key still reaches the user.
RUN_CONFIG_KEYS = (
    "save_summary_steps",
    "save_checkpoints_secs",
    "save_checkpoints_steps",
    "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
)
EVAL_SPEC_KEYS = ("start_delay_secs", "throttle_secs")

# Any of these set: train in chunks of global steps and evaluate between them (the TF 1.4/1.5
# meaning of min_eval_frequency & co.), instead of TensorFlow's time-based train_and_evaluate.
STEP_SCHEDULE_KEYS = ("min_eval_frequency", "train_steps_per_iteration", "eval_delay_secs",
                      "start_delay_secs", "continuous_eval_throttle_secs")

# -- outputs ---------------------------------------------------------------------------------
EXPORTER_NAME = "Servo"  # exports go to <dir>/export/Servo/<timestamp>

def parameter_names(fn):
    """The parameters of ``fn`` that can be passed by name (not ``*args`` / ``**kwargs``)."""
    spec = argspec(fn)
    return spec.args + spec.kwonlyargs


def input_fn_arguments(input_fn, values):
    """Keyword arguments for a legacy input function, bound by parameter name.

    ``values`` maps ``training_dir``, ``hyperparameters`` and ``input_channels``
    to this job's values. Any other parameter gets None, even one with a
    default, as in the legacy container.
    """
    return dict((name, values.get(INPUT_FN_PARAMETERS.get(name)))
                for name in parameter_names(input_fn))


def serving_input_arguments(serving_input_fn, hyperparameters):
    """Positional arguments for serving_input_fn: the hyperparameters, if it takes any."""
    spec = argspec(serving_input_fn)
    return (hyperparameters,) if spec.args or spec.varargs else ()


def with_defaults(hyperparameters):
    """A copy of ``hyperparameters`` with the legacy container's defaults injected.

    The user's functions see them too. ``save_checkpoints_secs`` is not
    injected when ``save_checkpoints_steps`` is set: the container injected
    both and TensorFlow refused the pair (sagemaker-python-sdk#175).
    """
    result = dict(hyperparameters)
    result.setdefault("training_steps", DEFAULT_TRAINING_STEPS)
    result.setdefault("evaluation_steps", DEFAULT_EVALUATION_STEPS)
    if result.get("save_checkpoints_steps") is None:
        result.setdefault("save_checkpoints_secs", DEFAULT_SAVE_CHECKPOINTS_SECS)
    return result


def checkpoint_dir(checkpoint_path, model_dir, hyperparameters, job_name):
    """Where checkpoints go (the container's ``_get_checkpoint_dir``).

    No ``checkpoint_path``: the model directory. A tuning job (the
    hyperparameters carry the tuning objective) gets
    ``<checkpoint_path>/<job>/checkpoints``, so parallel trials do not share
    one checkpoint directory.
    """
    path = checkpoint_path or hyperparameters.get("checkpoint_path")
    if not path:
        return model_dir
    if TUNING_OBJECTIVE_KEY in hyperparameters and job_name:
        suffix = job_name + "/checkpoints"
        if not path.rstrip("/").endswith(suffix):
            path = path.rstrip("/") + "/" + suffix
    return path


def evaluation_cadence(hyperparameters):
    """The step schedule's cadence, or None when no STEP_SCHEDULE_KEYS is set.

    With a cadence, training runs in chunks of ``every_steps`` global steps
    (``train_steps_per_iteration``, else ``min_eval_frequency``; None or 0:
    evaluate only after training), and evaluates between chunks once
    ``delay_secs`` of training have passed and at least ``throttle_secs``
    after the previous evaluation.
    """
    if all(hyperparameters.get(key) is None for key in STEP_SCHEDULE_KEYS):
        return None

    def first(keys):
        for key in keys:
            if hyperparameters.get(key) is not None:
                return hyperparameters[key]
        return None

    return {
        "every_steps": (hyperparameters.get("train_steps_per_iteration") or
                        hyperparameters.get("min_eval_frequency") or None),
        "delay_secs": first(("start_delay_secs", "eval_delay_secs")) or 0,
        "throttle_secs": first(("throttle_secs", "continuous_eval_throttle_secs")) or 0,
    }


def run_step_schedule(train, evaluate, cadence, target, step, clock=time.time):
    """Train to global step ``target`` from ``step``, evaluating on ``cadence``.

    ``train(stop)`` trains to global step ``stop`` (None: until the input
    ends) and returns the global step reached; ``evaluate(final)`` evaluates
    and exports and returns the metrics. The run always ends with an
    evaluation, also when ``step`` is already at ``target`` (a resumed job past
    training_steps is evaluated and exported, not trained). Returns the last
    metrics.
    """
    every = cadence["every_steps"] if cadence else None
    started = clock()
    last_evaluation = evaluated_at = metrics = None
    while target is None or step < target:
        stop = None if every is None else step + every
        if target is not None:
            stop = target if stop is None else min(stop, target)
        reached = train(stop) or step
        if reached <= step or stop is None or reached < stop:
            if stop is not None and reached < stop:
                warn_data_ran_out(reached, target)
            step = reached
            break  # the input ran out (or there was no step target)
        step = reached
        now = clock()
        due = (every is not None and now - started >= cadence["delay_secs"] and
               (last_evaluation is None or now - last_evaluation >= cadence["throttle_secs"]))
        if due and (target is None or step < target):
            metrics = evaluate(False)
            last_evaluation, evaluated_at = now, step
    if evaluated_at != step:
        metrics = evaluate(True)
    return metrics


def warn_data_ran_out(reached, target):
    """One behaviour on every release when train_input_fn ends before training_steps.

    TF 1.10 stopped after one pass, legacy-compat's TF 1.4 step schedule restarted the
    input and evaluated after every pass: stop, evaluate and export once, and say so.
    """
    # __name__: legacy-compat's own logger here, the converted script's support module there.
    logging.getLogger(__name__).warning(
        "train_input_fn ran out of data at global step %s, before training_steps=%s: training "
        "stops here and the model is evaluated and exported once. Repeat the data in "
        "train_input_fn (dataset.repeat(), num_epochs=None) to reach training_steps.",
        reached, target)


def trained_past(target, step):
    """True when a resumed job's checkpoint is already at ``training_steps``.

    ``training_steps`` is an absolute global step (sagemaker-python-sdk#140):
    such a job is evaluated and exported, not trained.
    """
    return target is not None and step is not None and step >= target


def latest_global_step(tf, model_dir):
    """The global step of the newest checkpoint in ``model_dir`` (``tf``: the v1 API), or None."""
    checkpoint = tf.train.latest_checkpoint(model_dir)
    if checkpoint is None:
        return None
    try:
        return int(tf.train.load_variable(checkpoint, "global_step"))
    except Exception:
        # Object-based checkpoints (a TF 2 Keras estimator) name the variable differently;
        # Estimator names every checkpoint <prefix>-<global step>.
        suffix = checkpoint.rpartition("-")[2]
        return int(suffix) if suffix.isdigit() else None


def export_base(directory):
    """Where exports of a model or checkpoint directory go: ``<directory>/export/Servo``."""
    return os.path.join(directory, "export", EXPORTER_NAME)


def newest_export(directory):
    """The newest ``<directory>/export/Servo/<timestamp>`` holding a SavedModel, or None."""
    base = export_base(directory)
    if not os.path.isdir(base):
        return None
    versions = [name for name in os.listdir(base)
                if name.isdigit() and os.path.exists(os.path.join(base, name, "saved_model.pb"))]
    return os.path.join(base, max(versions, key=int)) if versions else None


def publish_export(checkpoint_dir, model_dir):
    """Put the newest export of ``checkpoint_dir`` under ``model_dir``; return its path there.

    The container exported next to the checkpoints and copied the newest
    export into the model directory when the two differ. None: nothing exported.
    """
    source = newest_export(checkpoint_dir)
    if source is None:
        return None
    target = os.path.join(export_base(model_dir), os.path.basename(source))
    if os.path.abspath(source) != os.path.abspath(target):
        if os.path.exists(target):
            shutil.rmtree(target)
        shutil.copytree(source, target)
    return target
