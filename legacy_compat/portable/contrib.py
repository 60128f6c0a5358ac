"""Our own versions of the few ``tf.contrib`` functions legacy scripts use (see ``__init__``).

They follow the TF 1.x contrib behaviour (same arguments, same return types, what
TF 1.10.1 writes: tests/fixtures/contrib_reference.json). User code under
``legacy-compat train`` reaches them through ``tfview.symbols.PROVIDED``; a converted
script calls them by name from its support module.
"""

import collections
import csv
import io
import numbers
import sys

import numpy as np

from legacy_compat.portable.tfhandle import gfile, tf_v1

try:
    _string_types = (basestring,)  # noqa: F821 (Python 2)
except NameError:
    _string_types = (str,)

Dataset = collections.namedtuple("Dataset", ["data", "target"])

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
# The summaries optimize_loss can write (contrib's OPTIMIZER_SUMMARIES).
OPTIMIZE_LOSS_SUMMARIES = ("learning_rate", "loss", "gradients", "gradient_norm",
                           "global_gradient_norm")


def _csv_rows(filename):
    # contrib read through gfile, so S3/GCS paths worked; keep that for scheme paths only.
    if "://" in filename:
        with gfile().GFile(filename, "r") as handle:
            text = handle.read()
        return [row for row in csv.reader(text.splitlines()) if row]
    if sys.version_info[0] == 2:
        handle = open(filename, "rb")
    else:
        handle = io.open(filename, "r", newline="")
    with handle:
        return [row for row in csv.reader(handle) if row]


def load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1):
    """Load a CSV whose first row is ``n_samples,n_features,[target names...]``."""
    rows = _csv_rows(filename)
    if not rows:
        raise ValueError("load_csv_with_header: {0} is empty; expected a header row "
                         "'n_samples,n_features,...'".format(filename))
    header, rows = rows[0], rows[1:]
    try:
        n_samples, n_features = int(header[0]), int(header[1])
    except (IndexError, ValueError):
        raise ValueError("load_csv_with_header: the first row of {0} is {1!r}; expected "
                         "'n_samples,n_features,...' (use load_csv_without_header for a "
                         "file without that header)".format(filename, ",".join(header)))
    if len(rows) != n_samples:
        raise ValueError("load_csv_with_header: the header of {0} says {1} samples, the "
                         "file has {2} data rows".format(filename, n_samples, len(rows)))
    data = np.zeros((n_samples, n_features), dtype=features_dtype)
    target = np.zeros((n_samples,), dtype=target_dtype)
    for i, row in enumerate(rows):
        target[i] = np.asarray(row.pop(target_column), dtype=target_dtype)
        data[i] = np.asarray(row, dtype=features_dtype)
    return Dataset(data=data, target=target)


def load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1):
    """Load a headerless CSV; ``target_column`` (default: the last) is the target."""
    data, target = [], []
    for row in _csv_rows(filename):
        target.append(row.pop(target_column))
        data.append(np.asarray(row, dtype=features_dtype))
    return Dataset(data=np.array(data), target=np.array(target, dtype=target_dtype))


def _make_optimizer(tf, optimizer, lr):
    if isinstance(optimizer, _string_types) and optimizer in OPTIMIZE_LOSS_OPTIMIZERS:
        class_name, kwargs = OPTIMIZE_LOSS_OPTIMIZERS[optimizer]
        return getattr(tf.train, class_name)(learning_rate=lr, **kwargs)
    if isinstance(optimizer, type) and issubclass(optimizer, tf.train.Optimizer):
        return optimizer(learning_rate=lr)
    if isinstance(optimizer, tf.train.Optimizer):
        return optimizer
    if callable(optimizer):
        made = optimizer(lr) if lr is not None else optimizer()
        if isinstance(made, tf.train.Optimizer):
            return made
        raise ValueError("optimize_loss: the optimizer function returned {0!r}, not a "
                         "tf.train.Optimizer".format(made))
    raise ValueError("optimize_loss: optimizer must be one of {0}, a tf.train.Optimizer "
                     "subclass or instance, or a function returning one; got {1!r}".format(
                         sorted(OPTIMIZE_LOSS_OPTIMIZERS), optimizer))


def optimize_loss(loss, global_step, learning_rate, optimizer, gradient_noise_scale=None,
                  gradient_multipliers=None, clip_gradients=None, learning_rate_decay_fn=None,
                  update_ops=None, variables=None, name=None, summaries=None,
                  colocate_gradients_with_ops=False, increment_global_step=True):
    """tf.contrib.layers.optimize_loss: returns ``loss`` that also runs one training step."""
    tf = tf_v1()
    if gradient_noise_scale is not None:
        raise ValueError("optimize_loss: gradient_noise_scale is not supported by "
                         "legacy-compat; add noise to the gradients in your own train op")
    if global_step is None:
        global_step = tf.train.get_global_step()
    if global_step is None:
        raise ValueError("optimize_loss: global_step is None and the graph has none; "
                         "call tf.train.get_or_create_global_step() first")
    needs_lr = isinstance(optimizer, _string_types + (type,))
    if learning_rate is None and needs_lr:
        raise ValueError("optimize_loss: learning_rate is None but optimizer {0!r} needs "
                         "one".format(optimizer))
    if summaries is None:
        summaries = ["loss", "learning_rate", "global_gradient_norm"]
    unknown = [summary for summary in summaries if summary not in OPTIMIZE_LOSS_SUMMARIES]
    if unknown:
        raise ValueError("optimize_loss: summaries {0!r} are not among {1}".format(
            unknown, ", ".join(OPTIMIZE_LOSS_SUMMARIES)))
    with tf.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if update_ops is None:
            update_ops = set(tf.get_collection(tf.GraphKeys.UPDATE_OPS))
        if update_ops:
            with tf.control_dependencies(list(update_ops)):
                loss = tf.identity(loss)
        lr = None
        if learning_rate is not None:
            if isinstance(learning_rate, numbers.Number):
                lr = tf.get_variable("learning_rate", [], trainable=False,
                                     initializer=tf.constant_initializer(learning_rate))
            else:
                lr = learning_rate
            # As contrib did: a summary of the learning rate only when it decays.
            if learning_rate_decay_fn is not None:
                lr = learning_rate_decay_fn(lr, global_step)
                if "learning_rate" in summaries:
                    tf.summary.scalar("learning_rate", lr)
        opt = _make_optimizer(tf, optimizer, lr)
        if variables is None:
            variables = tf.trainable_variables()
        grads = opt.compute_gradients(
            loss, variables, colocate_gradients_with_ops=colocate_gradients_with_ops)
        grads = [(g, v) for g, v in grads if g is not None]
        if gradient_multipliers is not None:
            grads = _multiply_gradients(tf, grads, gradient_multipliers)
        norms = "global_gradient_norm" in summaries or "gradient_norm" in summaries
        if norms:
            tf.summary.scalar("global_norm/gradient_norm", tf.global_norm([g for g, _ in grads]))
        if clip_gradients is not None:
            if callable(clip_gradients):
                grads = clip_gradients(grads)
            else:
                clipped, _ = tf.clip_by_global_norm([g for g, _ in grads], clip_gradients)
                grads = list(zip(clipped, [v for _, v in grads]))
        if "loss" in summaries:
            tf.summary.scalar("loss", loss)
        for gradient, variable in grads:
            values = gradient.values if isinstance(gradient, tf.IndexedSlices) else gradient
            var_name = variable.name.replace(":", "_")
            if "gradients" in summaries:
                tf.summary.histogram("gradients/%s" % var_name, values)
            if "gradient_norm" in summaries:
                tf.summary.scalar("gradient_norm/%s" % var_name, tf.global_norm([values]))
        if clip_gradients is not None and norms:
            tf.summary.scalar("global_norm/clipped_gradient_norm",
                              tf.global_norm([g for g, _ in grads]))
        step = global_step if increment_global_step else None
        update = opt.apply_gradients(grads, global_step=step, name="train")
        with tf.control_dependencies([update]):
            return tf.identity(loss)


def _multiply_gradients(tf, grads, multipliers):
    """contrib's gradient_multipliers: keys are variables or their names."""
    result = []
    for gradient, variable in grads:
        key = variable if variable in multipliers else variable.name
        if key in multipliers:
            if isinstance(gradient, tf.IndexedSlices):
                gradient = tf.IndexedSlices(gradient.values * multipliers[key], gradient.indices,
                                            gradient.dense_shape)
            else:
                gradient = gradient * tf.cast(multipliers[key], gradient.dtype)
        result.append((gradient, variable))
    return result


def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """tf.contrib.framework.local_variable: a non-trainable variable in LOCAL_VARIABLES."""
    tf = tf_v1()
    return tf.Variable(initial_value, trainable=False,
                       collections=[tf.GraphKeys.LOCAL_VARIABLES],
                       validate_shape=validate_shape, name=name, use_resource=use_resource)


def map_and_batch(map_func, batch_size, num_parallel_batches=None, drop_remainder=False,
                  num_parallel_calls=None):
    """tf.contrib.data.map_and_batch, as a function for ``Dataset.apply``."""
    if num_parallel_batches is not None and num_parallel_calls is not None:
        raise ValueError("map_and_batch: give num_parallel_batches or num_parallel_calls, "
                         "not both")
    if num_parallel_calls is None and num_parallel_batches is not None:
        num_parallel_calls = num_parallel_batches * batch_size

    def _apply(dataset):
        mapped = dataset.map(map_func, num_parallel_calls=num_parallel_calls)
        if not drop_remainder:
            return mapped.batch(batch_size)
        try:
            return mapped.batch(batch_size, drop_remainder=True)
        except TypeError:  # TF before 1.10: batch() has no drop_remainder
            return mapped.apply(tf_v1().contrib.data.batch_and_drop_remainder(batch_size))

    return _apply


def _fans(shape):
    """(fan_in, fan_out) as tf.contrib.layers' initializers counted them."""
    shape = [int(d) for d in shape]
    if not shape:
        return 1.0, 1.0
    if len(shape) == 1:
        return float(shape[0]), float(shape[0])
    receptive = 1
    for dim in shape[:-2]:
        receptive *= dim
    return float(shape[-2] * receptive), float(shape[-1] * receptive)


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=None):
    """tf.contrib.layers.variance_scaling_initializer (its 1.3 truncated-normal constant)."""
    tf = tf_v1()
    dtype = tf.float32 if dtype is None else dtype
    if mode not in ("FAN_IN", "FAN_OUT", "FAN_AVG"):
        raise TypeError("variance_scaling_initializer: mode must be FAN_IN, FAN_OUT or "
                        "FAN_AVG, got {0!r}".format(mode))
    if not getattr(tf.as_dtype(dtype), "is_floating", False):
        raise TypeError("variance_scaling_initializer: dtype must be a floating point type, "
                        "got {0!r}".format(dtype))

    def _initializer(shape, dtype=dtype, partition_info=None):
        fan_in, fan_out = _fans(shape)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = (3.0 * factor / n) ** 0.5
            return tf.random_uniform(shape, -limit, limit, dtype, seed=seed)
        return tf.truncated_normal(shape, 0.0, (1.3 * factor / n) ** 0.5, dtype, seed=seed)

    return _initializer


def xavier_initializer(uniform=True, seed=None, dtype=None):
    """tf.contrib.layers.xavier_initializer: Glorot, fan average."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed,
                                        dtype=dtype)


def _check_scale(function, scale):
    if isinstance(scale, numbers.Integral) or not isinstance(scale, numbers.Real):
        raise ValueError("{0}: scale must be a float, got {1!r}".format(function, scale))
    if scale < 0.0:
        raise ValueError("{0}: scale must be >= 0, got {1!r}".format(function, scale))


def _regularizer(name, penalty, scale, scope):
    """A contrib-style regularizer: ``scale * penalty(weights)``; None when scale is 0."""
    _check_scale(name, scale)
    if scale == 0.0:
        return lambda weights: None

    def regularize(weights):
        tf = tf_v1()
        with tf.name_scope(scope, name, [weights]) as scope_name:
            factor = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(factor, penalty(tf, weights), name=scope_name)

    return regularize


def l2_regularizer(scale, scope=None):
    """tf.contrib.layers.l2_regularizer: ``scale * sum(w ** 2) / 2``; None when scale is 0."""
    return _regularizer("l2_regularizer", lambda tf, weights: tf.nn.l2_loss(weights), scale, scope)


def l1_regularizer(scale, scope=None):
    """tf.contrib.layers.l1_regularizer: ``scale * sum(|w|)``; None when scale is 0."""
    return _regularizer("l1_regularizer", lambda tf, weights: tf.reduce_sum(tf.abs(weights)),
                        scale, scope)
