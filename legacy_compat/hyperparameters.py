"""Hyperparameter decoding (the keys and defaults themselves are in legacy_compat.contract).

The SageMaker SDK JSON-encodes every hyperparameter value; the legacy
container decoded each with ``json.loads`` and crashed on anything else. We
decode the same way but keep a non-JSON value as a string (with a warning), so
a hand-written hyperparameters.json does not kill the job.
"""

import json
import logging

import six

from legacy_compat import contract

logger = logging.getLogger("legacy_compat")

# The facts live in the contract; these names are kept for the modules that read them here.
TUNING_OBJECTIVE_KEY = contract.TUNING_OBJECTIVE_KEY
RUNCONFIG_KEYS = contract.RUN_CONFIG_KEYS
EVALSPEC_KEYS = contract.EVAL_SPEC_KEYS
with_defaults = contract.with_defaults


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


def pick(hyperparameters, keys):
    """The subset of ``hyperparameters`` named in ``keys`` (present keys only)."""
    return dict((key, hyperparameters[key]) for key in keys if key in hyperparameters)
