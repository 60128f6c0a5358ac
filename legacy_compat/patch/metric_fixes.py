"""Regression metrics that accept labels and predictions of different float types.

The Legacy Mode documentation's own abalone example computes
``tf.metrics.root_mean_squared_error(tf.cast(labels, tf.float64), predictions)``
with float32 predictions, which every TensorFlow from 1.4 to 2.15 refuses
(``Tensor conversion requested dtype float64 for Tensor with dtype float32``).
Users run that example unchanged, so the predictions are cast to the labels'
float type, with one warning per metric.
"""

import logging

from legacy_compat import contract, tfapi
from legacy_compat.patch import registry

logger = logging.getLogger("legacy_compat")

_warned = set()


def _reconcile(wrapped, instance, args, kwargs):
    tf = tfapi.tensorflow()
    args = list(args)
    labels = kwargs["labels"] if "labels" in kwargs else (args[0] if args else None)
    predictions = kwargs["predictions"] if "predictions" in kwargs else (
        args[1] if len(args) > 1 else None)
    if labels is not None and predictions is not None:
        labels = tf.convert_to_tensor(labels)
        predictions = tf.convert_to_tensor(predictions)
        if labels.dtype.is_floating and predictions.dtype.is_floating \
                and labels.dtype != predictions.dtype:
            name = getattr(wrapped, "__name__", "metric")
            if name not in _warned:
                _warned.add(name)
                logger.warning("tf.metrics.%s got %s labels and %s predictions; casting the "
                               "predictions to %s (TensorFlow itself refuses the mix)", name,
                               labels.dtype.name, predictions.dtype.name, labels.dtype.name)
            predictions = tf.cast(predictions, labels.dtype)
        for index, (key, value) in enumerate((("labels", labels), ("predictions", predictions))):
            if key in kwargs:
                kwargs[key] = value
            else:
                args[index] = value
    return wrapped(*args, **kwargs)


def metrics_modules(tf):
    """The module objects user code reaches as tf.metrics (v1 API) on this TF."""
    modules = []
    for owner in (tf, tfapi.v1_module()):
        module = getattr(owner, "metrics", None) if owner is not None else None
        if module is not None and all(module is not m for m in modules):
            modules.append(module)
    return modules


def patch_tensorflow(tf):
    for module in metrics_modules(tf):
        for name in contract.REGRESSION_METRICS:
            registry.wrap(module, name, _reconcile)
