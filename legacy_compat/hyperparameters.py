"""Hyperparameter decoding (the keys and defaults themselves are in legacy_compat.contract).

Which values are decoded is the rule in ``TYPE_RULE`` (rendered into
docs/hyperparameters.md). The legacy container crashed on a value that is not
JSON; we keep it as a string (with a warning), so a hand-written
hyperparameters.json does not kill the job.
"""

import json
import logging

import six

from legacy_compat import contract
from legacy_compat.portable.hyperparameters import decode_text

logger = logging.getLogger("legacy_compat")

# Keys that only SageMaker writes into hyperparameters.json: an object holding one is a copy
# of that file, JSON-encoded value by value.
SAGEMAKER_KEYS = (
    "sagemaker_program",
    "sagemaker_submit_directory",
    "sagemaker_requirements",
    "sagemaker_region",
    "sagemaker_job_name",
    "sagemaker_container_log_level",
    "sagemaker_enable_cloudwatch_metrics",
    contract.TUNING_OBJECTIVE_KEY,
)
SAGEMAKER_KEY_PREFIXES = ("sagemaker_s3_uri_",)
# `--hyperparameters sagemaker:PATH` marks PATH as a SageMaker hyperparameters.json.
SAGEMAKER_FILE_PREFIX = "sagemaker:"

TYPE_RULE = """\
Values given as JSON, on the command line (`--hyperparameters '{...}'`) or in a JSON file
(`--hyperparameters FILE.json`), are taken as written: `"123"` is a string, `123` a number.

A SageMaker `hyperparameters.json` is decoded value by value, as the legacy container did: the
SageMaker SDK JSON-encodes every value, so `"123"` becomes the number 123 and `"\\"adam\\""` the
string `adam` (a value that is not JSON stays a string, with a warning). That is the container's
`/opt/ml/input/config/hyperparameters.json`, a file marked `--hyperparameters %s`, and
any hyperparameters holding a key only SageMaker writes: %s.
""" % (SAGEMAKER_FILE_PREFIX + "FILE",
       ", ".join(["`%s`" % key for key in SAGEMAKER_KEYS] +
                 ["`%s<channel>`" % prefix for prefix in SAGEMAKER_KEY_PREFIXES]))


def decode_value(key, value):
    """Decode one JSON-encoded hyperparameter value.

    Values that are already Python objects (a dict given on the command line)
    pass through. A string that is not JSON stays a string, with a warning
    naming the key, because the old container would have failed on it.
    """
    if not isinstance(value, six.string_types):
        return value
    decoded, is_json = decode_text(key, value)
    if not is_json:
        logger.warning(
            "hyperparameter %r: value %r is not JSON; using it as the string %r "
            "(SageMaker sends every value JSON-encoded, e.g. '\"adam\"')",
            key, value, value)
    return decoded


def decode(raw):
    """Decode a mapping of JSON-encoded hyperparameters into Python values."""
    return dict((key, decode_value(key, value)) for key, value in raw.items())


class SageMakerFile(dict):
    """Hyperparameters read from a file the user marked as a SageMaker hyperparameters.json."""

    def __init__(self, values, path=None):
        super(SageMakerFile, self).__init__(values)
        self.path = path


def to_argument(values):
    """``--hyperparameters`` text from which another ``legacy-compat train`` gets the same values.

    Plain JSON loses the SageMaker file's mark (the reader would take ``"30"`` as a string), so a
    marked file is handed on as ``sagemaker:PATH``, or decoded here when its path is unknown.
    """
    if isinstance(values, SageMakerFile):
        if values.path:
            return SAGEMAKER_FILE_PREFIX + values.path
        return json.dumps(decode(values))
    return json.dumps(values)


def is_sagemaker_encoded(values):
    """True for a SageMaker hyperparameters.json: marked as one, or holding a SageMaker key."""
    if isinstance(values, SageMakerFile):
        return True
    return any(key in SAGEMAKER_KEYS or key.startswith(SAGEMAKER_KEY_PREFIXES) for key in values)


def as_given(values):
    """Hyperparameters given to a local job, typed by ``TYPE_RULE``."""
    values = values or {}
    if is_sagemaker_encoded(values):
        return decode(values)
    _warn_if_encoded_looking(values)
    return dict(values)


def _warn_if_encoded_looking(values):
    # Taken as written, but a copy of hyperparameters.json stripped of the SageMaker keys
    # looks like this: say how to have it decoded.
    if not values or not all(isinstance(v, six.string_types) for v in values.values()):
        return
    for key in sorted(values):
        try:
            decoded = json.loads(values[key])
        except ValueError:
            continue
        if not isinstance(decoded, six.string_types):
            logger.warning(
                "hyperparameter %r is the string %r, taken as written; if these are the "
                "JSON-encoded values of a SageMaker hyperparameters.json, pass the file as "
                "--hyperparameters %sFILE to decode them", key, values[key], SAGEMAKER_FILE_PREFIX)
            return


def pick(hyperparameters, keys):
    """The subset of ``hyperparameters`` named in ``keys`` (present keys only)."""
    return dict((key, hyperparameters[key]) for key in keys if key in hyperparameters)
