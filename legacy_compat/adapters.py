"""Normalising what user functions return, whatever TF version runs them.

TF 1.4/1.5 accepted an input function (or serving_input_fn) that returned a
no-argument callable; 1.6+ treated the callable as the features and failed
(sagemaker-python-sdk#153). Some scripts return raw numpy arrays. TF 1.4.1
refused a tf.data.Dataset. All of these are turned into what the running TF
accepts.
"""

import logging

logger = logging.getLogger("legacy_compat")

_warned = set()


def _warn_once(key, message, *args):
    if key not in _warned:
        _warned.add(key)
        logger.warning(message, *args)


def _is_numpy(value):
    return type(value).__module__ == "numpy" and hasattr(value, "dtype")


def _to_tensors(tf, value):
    if _is_numpy(value):
        return tf.convert_to_tensor(value)
    if isinstance(value, dict):
        return dict((key, _to_tensors(tf, item)) for key, item in value.items())
    return value


def _is_tf_value(tf, value):
    return isinstance(value, (tf.Tensor, tf.SparseTensor)) or _is_dataset(tf, value)


def _is_dataset(tf, value):
    dataset_type = getattr(getattr(tf, "data", None), "Dataset", None)
    return dataset_type is not None and isinstance(value, dataset_type)


def unwrap_callable(tf, value, what):
    """Call a no-argument callable returned where a value was expected (1.4/1.5 leniency)."""
    if callable(value) and not _is_tf_value(tf, value) and not isinstance(value, type):
        _warn_once(what, "%s returned a function instead of its result; calling it "
                         "(TF 1.4/1.5 allowed this, 1.6+ did not)", what)
        return value()
    return value


def input_result(tf, value, what, accepts_dataset=True):
    """Normalise an input function's return value for the Estimator."""
    value = unwrap_callable(tf, value, what)
    if _is_dataset(tf, value) and not accepts_dataset:
        _warn_once(what + ":dataset", "%s returned a tf.data.Dataset, which this TensorFlow "
                                      "does not accept; reading it through an iterator", what)
        value = value.make_one_shot_iterator().get_next()
    if isinstance(value, tuple) and len(value) == 2:
        features, labels = value
        if _is_numpy(features) or _is_numpy(labels) or any(
                _is_numpy(v) for v in (features.values() if isinstance(features, dict) else ())):
            _warn_once(what + ":numpy", "%s returned numpy arrays; converting them to constant "
                                        "tensors (the whole array is one batch)", what)
        return _to_tensors(tf, features), _to_tensors(tf, labels)
    return _to_tensors(tf, value)
