"""Hyperparameter decoding and the keys the legacy container consumed.

The SageMaker SDK JSON-encodes every hyperparameter value; the legacy
container decoded each with ``json.loads`` and crashed on anything else. We
decode the same way but keep a non-JSON value as a string (with a warning), so
a hand-written hyperparameters.json does not kill the job.
"""

import json
import logging

import six

logger = logging.getLogger("legacy_compat")

# The platform sends this one unencoded; the legacy container special-cased it.
TUNING_OBJECTIVE_KEY = "_tuning_objective_metric"

DEFAULT_TRAINING_STEPS = 1000
DEFAULT_EVALUATION_STEPS = 100
DEFAULT_SAVE_CHECKPOINTS_SECS = 300

# Keys the legacy container forwarded to RunConfig / EvalSpec; everything else
# reaches the user's functions untouched.
RUNCONFIG_KEYS = (
    "save_summary_steps",
    "save_checkpoints_secs",
    "save_checkpoints_steps",
    "keep_checkpoint_max",
    "keep_checkpoint_every_n_hours",
    "log_step_count_steps",
)
EVALSPEC_KEYS = ("start_delay_secs", "throttle_secs")


def decode_value(key, value):
    """Decode one JSON-encoded hyperparameter value.

    Values that are already Python objects (a dict given on the command line)
    pass through. A string that is not JSON stays a string, with a warning
    naming the key, because the old container would have failed on it.
    """
    if not isinstance(value, six.string_types):
        return value
    if key == TUNING_OBJECTIVE_KEY:
        return value.strip('"')
    try:
        return json.loads(value)
    except ValueError:
        logger.warning(
            "hyperparameter %r: value %r is not JSON; using it as the string %r "
            "(SageMaker sends every value JSON-encoded, e.g. '\"adam\"')",
            key, value, value)
        return value


def decode(raw):
    """Decode a mapping of JSON-encoded hyperparameters into Python values."""
    return dict((key, decode_value(key, value)) for key, value in raw.items())


def with_defaults(hyperparameters):
    """Return a copy with the legacy container's defaults injected.

    Users see the defaults too, as they did in the container. The
    ``save_checkpoints_secs`` default is skipped when ``save_checkpoints_steps``
    is set: the legacy container injected both and TensorFlow refused the pair
    (sagemaker-python-sdk#175).
    """
    result = dict(hyperparameters)
    result.setdefault("training_steps", DEFAULT_TRAINING_STEPS)
    result.setdefault("evaluation_steps", DEFAULT_EVALUATION_STEPS)
    if result.get("save_checkpoints_steps") is None:
        result.setdefault("save_checkpoints_secs", DEFAULT_SAVE_CHECKPOINTS_SECS)
    return result


def pick(hyperparameters, keys):
    """The subset of ``hyperparameters`` named in ``keys`` (present keys only)."""
    return dict((key, hyperparameters[key]) for key in keys if key in hyperparameters)
