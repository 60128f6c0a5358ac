"""The Legacy Mode contract: every fact about how the legacy container ran a script.

This module is the one place those facts live. ``legacy-compat train`` uses it
directly; ``legacy-compat convert`` renders the entry point it appends to a
converted script from it (``legacy_compat/convert/entry_point.py`` copies the
tables and the functions listed in ``PORTABLE`` into the generated code, which
must not import legacy_compat). So this module imports no TensorFlow, runs on
Python 2.7 and 3.6+, and the ``PORTABLE`` functions use only the standard
library and the tables named in ``PORTABLE``.

The facts, as the container's sources show them (sections 2-6 of the project's
Legacy Mode container reference):

* builders: ``estimator_fn`` > ``keras_model_fn`` > ``model_fn``; ``model_fn``
  always gets four positional arguments, ``estimator_fn(run_config,
  hyperparameters)`` and ``keras_model_fn(hyperparameters)`` are positional too;
* input functions are called by *parameter name* (``INPUT_FN_PARAMETERS``).
  **Binding rule for any other parameter: it receives None, even when it has a
  default.** That is what the container did (it built the call from
  ``getargspec(fn).args``, which lists defaulted parameters too), so a script
  that ran there sees the same values here and in a converted script; we warn
  about such a parameter instead of silently overriding its default.
  ``*args`` / ``**kwargs`` receive nothing; Python 3 keyword-only parameters
  follow the same rule as the others;
* ``serving_input_fn(hyperparameters)`` is positional; one that takes no
  parameters is called without arguments (the container would have failed;
  both paths accept it, see ``serving_input_arguments``);
* hyperparameter defaults ``training_steps=1000``, ``evaluation_steps=100``,
  ``save_checkpoints_secs=300`` (not when ``save_checkpoints_steps`` is set),
  visible to the user's functions;
* the RunConfig / EvalSpec keys, the step schedule for ``min_eval_frequency``
  & co., the checkpoint directory (tuning-job suffix) and the export layout
  ``<model dir>/export/Servo/<timestamp>``.
"""

import inspect
import logging
import os
import shutil
import time

from legacy_compat.errors import ScriptContractError

logger = logging.getLogger("legacy_compat")

# -- the functions a script defines ------------------------------------------------------------
BUILDER_PRECEDENCE = ("estimator_fn", "keras_model_fn", "model_fn")
REQUIRED_INPUT_FNS = ("train_input_fn", "eval_input_fn")
SERVING_INPUT_FN = "serving_input_fn"

# name -> (positional arguments it is called with, the signature we document)
POSITIONAL_SIGNATURES = {
    "model_fn": (4, "model_fn(features, labels, mode, hyperparameters)"),
    "keras_model_fn": (1, "keras_model_fn(hyperparameters)"),
    "estimator_fn": (2, "estimator_fn(run_config, hyperparameters)"),
    "serving_input_fn": (1, "serving_input_fn(hyperparameters)"),
}

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
# Injected by the container on TF 1.4/1.5 only (where Experiment consumed it).
LEGACY_MIN_EVAL_FREQUENCY = 1000

# -- outputs ---------------------------------------------------------------------------------
EXPORTER_NAME = "Servo"  # exports go to <dir>/export/Servo/<timestamp>

# -- what user code expects of TensorFlow and NumPy -------------------------------------------
# Metrics that subtract predictions from labels: a float64 cast of the labels must be matched.
REGRESSION_METRICS = ("mean_squared_error", "root_mean_squared_error", "mean_absolute_error",
                      "mean_relative_error")

# Names NumPy 1.24 removed -> the builtins each one aliased (the first that exists: Python 2
# has `long` and `unicode`; the last one is the Python 3 builtin).
NUMPY_ALIASES = {
    "bool": ("bool",),
    "complex": ("complex",),
    "float": ("float",),
    "int": ("int",),
    "long": ("long", "int"),
    "object": ("object",),
    "str": ("str",),
    "unicode": ("unicode", "str"),
}

# tf.contrib functions without a TF 2 name that legacy-compat stands in for, both in the
# TF 1.x view (legacy_compat/tfview/contrib.py) and as helpers added to converted scripts
# (legacy_compat/convert/helpers.py): legacy name -> stand-in function name.
CONTRIB_STAND_INS = {
    "tensorflow.contrib.learn.datasets.base.load_csv_with_header": "load_csv_with_header",
    "tensorflow.contrib.learn.datasets.base.load_csv_without_header": "load_csv_without_header",
    "tensorflow.contrib.learn.datasets.load_csv_with_header": "load_csv_with_header",
    "tensorflow.contrib.learn.datasets.load_csv_without_header": "load_csv_without_header",
    "tensorflow.contrib.layers.optimize_loss": "optimize_loss",
    "tensorflow.contrib.layers.xavier_initializer": "xavier_initializer",
    "tensorflow.contrib.layers.xavier_initializer_conv2d": "xavier_initializer",
    "tensorflow.contrib.layers.l2_regularizer": "l2_regularizer",
    "tensorflow.contrib.layers.l1_regularizer": "l1_regularizer",
    "tensorflow.contrib.framework.local_variable": "local_variable",
}

# optimize_loss's optimizer names -> (tf.train (v1) optimizer class, keyword arguments besides
# the learning rate), as tf.contrib.layers.OPTIMIZER_CLS_NAMES had them.
OPTIMIZE_LOSS_OPTIMIZERS = {
    "Adagrad": ("AdagradOptimizer", {}),
    "Adam": ("AdamOptimizer", {}),
    "Ftrl": ("FtrlOptimizer", {}),
    "Momentum": ("MomentumOptimizer", {"momentum": 0.9}),
    "RMSProp": ("RMSPropOptimizer", {}),
    "SGD": ("GradientDescentOptimizer", {}),
}


# == portable functions: rendered verbatim into converted scripts ==================================

def parameter_names(fn):
    """The parameters of ``fn`` that can be passed by name (not ``*args`` / ``**kwargs``)."""
    spec = (getattr(inspect, "getfullargspec", None) or inspect.getargspec)(fn)
    names = list(spec.args) + list(getattr(spec, "kwonlyargs", None) or ())
    if inspect.ismethod(fn) and names:
        names = names[1:]
    return names


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
    spec = (getattr(inspect, "getfullargspec", None) or inspect.getargspec)(serving_input_fn)
    positional = list(spec.args)
    if inspect.ismethod(serving_input_fn) and positional:
        positional = positional[1:]
    return (hyperparameters,) if positional or spec.varargs else ()


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
    import logging
    # __name__: legacy-compat's own logger here, the script's in a converted entry point.
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


# What convert copies into the generated entry point, in this order (tables, then functions).
PORTABLE = (
    "TRAINING_CHANNEL", "INPUT_FN_PARAMETERS", "DEFAULT_TRAINING_STEPS",
    "DEFAULT_EVALUATION_STEPS", "DEFAULT_SAVE_CHECKPOINTS_SECS", "TUNING_OBJECTIVE_KEY",
    "RUN_CONFIG_KEYS", "EVAL_SPEC_KEYS", "STEP_SCHEDULE_KEYS", "EXPORTER_NAME",
    "parameter_names", "input_fn_arguments", "serving_input_arguments", "with_defaults",
    "checkpoint_dir", "evaluation_cadence", "warn_data_ran_out", "run_step_schedule",
    "trained_past",
    "latest_global_step", "export_base",
    "newest_export", "publish_export",
)


# == checks for legacy-compat train (they raise ScriptContractError) ===============================

def _argspec(fn):
    spec = (getattr(inspect, "getfullargspec", None) or inspect.getargspec)(fn)
    names = list(spec.args)
    if inspect.ismethod(fn) and names:
        names = names[1:]
    defaults = spec.defaults or ()
    required = names[:len(names) - len(defaults)]
    return names, required, spec.varargs is not None


def _where(fn):
    code = getattr(fn, "__code__", None)
    return (code.co_filename, code.co_firstlineno) if code else (None, None)


def require_functions(path, has, evaluate=True):
    """Raise ScriptContractError unless ``has(name)`` for a builder and the input functions.

    ``has`` answers for the names the script defines: statically from its
    source before TensorFlow is imported, and again on the imported module (a
    ``from helpers import *`` script is only known then). ``evaluate=False``
    (a train-only run) does not require eval_input_fn.
    """
    if not any(has(name) for name in BUILDER_PRECEDENCE):
        raise ScriptContractError(
            path, "model_fn",
            "no model builder: the script defines none of estimator_fn, keras_model_fn, model_fn",
            expected="def model_fn(features, labels, mode, hyperparameters) returning an "
                     "EstimatorSpec, or def keras_model_fn(hyperparameters) returning a compiled "
                     "tf.keras Model, or def estimator_fn(run_config, hyperparameters) "
                     "returning a tf.estimator.Estimator",
            hint="define one of them at module level")
    for name in REQUIRED_INPUT_FNS:
        if name == "eval_input_fn" and not evaluate:
            continue
        if not has(name):
            hint = "define %s at module level; it reads the %s data" % (
                name, "training" if name.startswith("train") else "evaluation")
            if name == "eval_input_fn":
                hint += " (or pass --no-eval to train and export without evaluation)"
            raise ScriptContractError(
                path, name, "required function %s is not defined" % name,
                expected="def %s(training_dir, hyperparameters) returning (features, labels) "
                         "or a tf.data.Dataset" % name,
                hint=hint)


def require_module_functions(path, module, evaluate=True):
    """``require_functions`` on an imported module: callables only."""
    require_functions(path, lambda name: callable(getattr(module, name, None)), evaluate)


def check_positional(path, name, fn):
    """Raise ScriptContractError when ``fn`` cannot take the positional arguments Legacy Mode passes."""
    count, signature = POSITIONAL_SIGNATURES[name]
    if not callable(fn):
        raise ScriptContractError(path, name, "%s is not a function" % name,
                                  expected="def %s" % signature)
    try:
        names, required, varargs = _argspec(fn)
    except TypeError:
        return  # builtins and C callables: let the call itself decide
    if name == SERVING_INPUT_FN and not names and not varargs:
        return  # called without arguments (serving_input_arguments)
    too_few = len(names) < count and not varargs
    too_many = len(required) > count
    if too_few or too_many:
        _, line = _where(fn)
        raise ScriptContractError(
            path, name,
            "%s(%s) takes %d positional arguments, but Legacy Mode calls it with %d" % (
                name, ", ".join(names), len(names), count),
            expected="def %s" % signature,
            hint="change the signature; parameter names do not matter, the order does",
            line=line)


def choose_builder(path, module, strict=False):
    """Return the name of the model builder to use, following the legacy precedence.

    The legacy container silently ignored the lower-precedence builders; we
    warn (or fail with --strict), because it is almost always a leftover.
    """
    present = [name for name in BUILDER_PRECEDENCE if callable(getattr(module, name, None))]
    if not present:
        require_functions(path, lambda name: False)
    chosen = present[0]
    if len(present) > 1:
        ignored = ", ".join(present[1:])
        message = ("the script defines %s; following the Legacy Mode precedence "
                   "(%s) %s is used and %s ignored"
                   % (" and ".join(present), " > ".join(BUILDER_PRECEDENCE), chosen, ignored))
        if strict:
            raise ScriptContractError(path, chosen, message,
                                      expected="exactly one of " + ", ".join(BUILDER_PRECEDENCE),
                                      hint="remove or rename the builders you do not use "
                                           "(or drop --strict to accept the precedence)")
        logger.warning("%s: %s", path, message)
    check_positional(path, chosen, getattr(module, chosen))
    return chosen


def bind_input_fn(path, name, fn, values):
    """``input_fn_arguments`` for legacy-compat train, with a clear error and warnings."""
    if not callable(fn):
        raise ScriptContractError(path, name, "%s is not a function" % name,
                                  expected="def %s(training_dir, hyperparameters)" % name)
    kwargs = input_fn_arguments(fn, values)
    for param in sorted(kwargs):
        if param not in INPUT_FN_PARAMETERS:
            logger.warning("%s: %s parameter %r is not one Legacy Mode fills "
                           "(training_dir/dir, hyperparameters/params, input_channels/channels); "
                           "passing None, as the legacy container did (even over a default)",
                           path, name, param)
    return kwargs
