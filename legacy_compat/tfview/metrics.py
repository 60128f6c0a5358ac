"""Regression metrics that accept labels and predictions of different float types.

The Legacy Mode documentation's own abalone example computes
``tf.metrics.root_mean_squared_error(tf.cast(labels, tf.float64), predictions)``
with float32 predictions; TensorFlow refuses the mixed subtraction
(``Input 'y' of 'SquaredDifference' Op has type float32 that does not match type
float64``). Users run that example unchanged, so the view casts the predictions
to the labels' type (the wider one in practice) and says so once.
"""

import logging

logger = logging.getLogger("legacy_compat")
_warned = set()


def _reconciling(name):
    def metric(labels, predictions, *args, **kwargs):
        import tensorflow as tf
        v1 = tf.compat.v1
        original = getattr(v1.metrics, name)
        labels_t = tf.convert_to_tensor(labels)
        predictions_t = tf.convert_to_tensor(predictions)
        if (labels_t.dtype.is_floating and predictions_t.dtype.is_floating
                and labels_t.dtype != predictions_t.dtype):
            if name not in _warned:
                _warned.add(name)
                logger.warning("tf.metrics.%s got %s labels and %s predictions; casting the "
                               "predictions to %s (TensorFlow itself refuses the mix)", name,
                               labels_t.dtype.name, predictions_t.dtype.name, labels_t.dtype.name)
            predictions_t = tf.cast(predictions_t, labels_t.dtype)
        return original(labels_t, predictions_t, *args, **kwargs)

    metric.__name__ = name
    return metric


mean_squared_error = _reconciling("mean_squared_error")
root_mean_squared_error = _reconciling("root_mean_squared_error")
mean_absolute_error = _reconciling("mean_absolute_error")
mean_relative_error = _reconciling("mean_relative_error")
