"""The Legacy Mode contract: every fact about how the legacy container ran a script.

This module is the one place those facts are told. The tables and functions a
converted script needs as well live in ``legacy_compat/portable/contract.py``
(imported below, so this module's names are the whole contract):
``legacy-compat train`` runs them, ``legacy-compat convert`` copies them into
the module it writes beside a converted script. This module imports no
TensorFlow and runs on Python 2.7 and 3.6+.

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

import logging

from legacy_compat.errors import ScriptContractError
from legacy_compat.portable.argspec import argspec
# The portable part: the tables and functions a converted script carries too.
from legacy_compat.portable.contract import (  # noqa: F401  (this module's names)
    BUILDER_PRECEDENCE, DEFAULT_EVALUATION_STEPS, DEFAULT_SAVE_CHECKPOINTS_SECS,
    DEFAULT_TRAINING_STEPS, EVAL_SPEC_KEYS, EXPORTER_NAME, INPUT_FN_PARAMETERS, RUN_CONFIG_KEYS,
    STEP_SCHEDULE_KEYS, TRAINING_CHANNEL, TUNING_OBJECTIVE_KEY, checkpoint_dir,
    evaluation_cadence, export_base, input_fn_arguments, latest_global_step, newest_export,
    parameter_names, publish_export, run_step_schedule, serving_input_arguments, trained_past,
    warn_data_ran_out, with_defaults)

logger = logging.getLogger("legacy_compat")

# -- what only legacy-compat train checks ------------------------------------------------------
REQUIRED_INPUT_FNS = ("train_input_fn", "eval_input_fn")
SERVING_INPUT_FN = "serving_input_fn"

# name -> (positional arguments it is called with, the signature we document)
POSITIONAL_SIGNATURES = {
    "model_fn": (4, "model_fn(features, labels, mode, hyperparameters)"),
    "keras_model_fn": (1, "keras_model_fn(hyperparameters)"),
    "estimator_fn": (2, "estimator_fn(run_config, hyperparameters)"),
    "serving_input_fn": (1, "serving_input_fn(hyperparameters)"),
}

# Injected by the container on TF 1.4/1.5 only (where Experiment consumed it).
LEGACY_MIN_EVAL_FREQUENCY = 1000

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

# tf.contrib functions without a TF 2 name that legacy-compat stands in for
# (legacy_compat/portable/contrib.py), in the TF 1.x view and in converted scripts alike:
# legacy name -> stand-in function name.
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


# == checks for legacy-compat train (they raise ScriptContractError) ===============================

def _argspec(fn):
    spec = argspec(fn)
    required = spec.args[:len(spec.args) - len(spec.defaults)]
    return spec.args, required, spec.varargs is not None


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
