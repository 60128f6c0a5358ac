"""Replacement functions for tf.contrib APIs that have no drop-in TF 2 name.

When a rule needs one, the pipeline adds it to the converted file inside a
delimited block right after the imports, so the converted script stays
self-contained (it must run without legacy-compat installed).
"""

from legacy_compat import contract

BEGIN = "# --- Replacements for tf.contrib (added by legacy-compat convert) ---"
END = "# --- end of tf.contrib replacements ---"
IMPORTS = ("import collections", "import csv", "import os", "", "import numpy",
           "import tensorflow as tf")

HELPERS = {}

HELPERS["csv_dataset"] = '''\
CsvDataset = collections.namedtuple("CsvDataset", ["data", "target"])
'''

HELPERS["load_csv_with_header"] = '''\
def load_csv_with_header(filename, target_dtype, features_dtype, target_column=-1):
    """Replaces tf.contrib.learn.datasets.base.load_csv_with_header.

    The first row holds the number of samples and features; every other row
    is one sample whose ``target_column`` is the label.
    """
    with open(filename) as csv_file:
        rows = csv.reader(csv_file)
        header = next(rows)
        n_samples, n_features = int(header[0]), int(header[1])
        data = numpy.zeros((n_samples, n_features), dtype=features_dtype)
        target = numpy.zeros((n_samples,), dtype=target_dtype)
        for i, row in enumerate(rows):
            target[i] = numpy.asarray(row.pop(target_column), dtype=target_dtype)
            data[i] = numpy.asarray(row, dtype=features_dtype)
    return CsvDataset(data=data, target=target)
'''

HELPERS["load_csv_without_header"] = '''\
def load_csv_without_header(filename, target_dtype, features_dtype, target_column=-1):
    """Replaces tf.contrib.learn.datasets.base.load_csv_without_header."""
    with open(filename) as csv_file:
        rows = numpy.array([row for row in csv.reader(csv_file) if row])
    target = rows[:, target_column].astype(target_dtype)
    data = numpy.delete(rows, target_column, axis=1).astype(features_dtype)
    return CsvDataset(data=data, target=target)
'''

HELPERS["optimize_loss"] = '''\
def optimize_loss(loss, global_step, learning_rate, optimizer, clip_gradients=None,
                  learning_rate_decay_fn=None, update_ops=None, variables=None, name=None,
                  summaries=None, increment_global_step=True, **unsupported):
    """Replaces tf.contrib.layers.optimize_loss for the arguments scripts commonly use.

    ``optimizer`` is a name ("SGD", "Adam", "Adagrad", "Momentum", "RMSProp",
    "Ftrl"), an optimizer class or factory taking the learning rate, or an
    optimizer instance.  ``summaries`` is accepted and ignored.
    """
    if unsupported:
        raise TypeError("optimize_loss replacement does not support: %s" % ", ".join(unsupported))
    optimizers_by_name = {
@OPTIMIZERS@
    }
    if global_step is None:
        global_step = tf.compat.v1.train.get_or_create_global_step()
    # Same variables as tf.contrib (OptimizeLoss/learning_rate, slots under OptimizeLoss/),
    # so checkpoints of the TF 1.x script and of the converted one match.
    with tf.compat.v1.variable_scope(name, "OptimizeLoss", [loss, global_step]):
        if isinstance(learning_rate, (int, float)):
            learning_rate = tf.compat.v1.get_variable(
                "learning_rate", [], trainable=False,
                initializer=tf.compat.v1.constant_initializer(learning_rate))
        if learning_rate is not None and learning_rate_decay_fn is not None:
            learning_rate = learning_rate_decay_fn(learning_rate, global_step)
        if isinstance(optimizer, str):
            optimizer = optimizers_by_name[optimizer](learning_rate)
        elif not isinstance(optimizer, tf.compat.v1.train.Optimizer):
            optimizer = optimizer(learning_rate)
        if update_ops is None:
            update_ops = tf.compat.v1.get_collection(tf.compat.v1.GraphKeys.UPDATE_OPS)
        with tf.control_dependencies(update_ops):
            gradients = optimizer.compute_gradients(loss, var_list=variables)
            if clip_gradients is not None:
                clipped, _ = tf.clip_by_global_norm([g for g, _ in gradients], clip_gradients)
                gradients = [(g, v) for g, (_, v) in zip(clipped, gradients)]
            train_op = optimizer.apply_gradients(
                gradients, global_step=global_step if increment_global_step else None,
                name="train")
        with tf.control_dependencies([train_op]):
            return tf.identity(loss)
'''

# The names optimize_loss accepts, shared with legacy-compat train (contract).
HELPERS["optimize_loss"] = HELPERS["optimize_loss"].replace("@OPTIMIZERS@", "\n".join(
    '        "%s": lambda rate: tf.compat.v1.train.%s(rate%s),' % (
        name, class_name, "".join(", %s=%r" % item for item in sorted(kwargs.items())))
    for name, (class_name, kwargs) in sorted(contract.OPTIMIZE_LOSS_OPTIMIZERS.items())))

HELPERS["local_variable"] = '''\
def local_variable(initial_value, validate_shape=True, name=None, use_resource=None):
    """Replaces tf.contrib.framework.local_variable."""
    return tf.compat.v1.Variable(
        initial_value, trainable=False, collections=[tf.compat.v1.GraphKeys.LOCAL_VARIABLES],
        validate_shape=validate_shape, name=name, use_resource=use_resource)
'''

HELPERS["xavier_initializer"] = '''\
def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """Replaces tf.contrib.layers.xavier_initializer (Glorot initialisation)."""
    if uniform:
        return tf.compat.v1.variance_scaling_initializer(
            scale=1.0, mode="fan_avg", distribution="uniform", seed=seed, dtype=dtype)
    # contrib's normal variant: a truncated normal with stddev sqrt(1.3 / fan_avg);
    # compat.v1 divides its stddev by 0.8796..., so scale the variance to match.
    return tf.compat.v1.variance_scaling_initializer(
        scale=1.3 * 0.87962566103423978 ** 2, mode="fan_avg", distribution="truncated_normal",
        seed=seed, dtype=dtype)
'''

HELPERS["l2_regularizer"] = '''\
def l2_regularizer(scale, scope=None):
    """Replaces tf.contrib.layers.l2_regularizer: scale * sum(w ** 2) / 2."""
    return lambda weights: tf.multiply(scale, tf.nn.l2_loss(weights), name=scope)
'''

HELPERS["l1_regularizer"] = '''\
def l1_regularizer(scale, scope=None):
    """Replaces tf.contrib.layers.l1_regularizer: scale * sum(|w|)."""
    return lambda weights: tf.multiply(scale, tf.reduce_sum(tf.abs(weights)), name=scope)
'''



def _pipe_mode_source():
    """legacy-compat train's PipeModeDataset stand-in, as a self-contained helper.

    The code is read from legacy_compat/tfview/pipemode.py so that both paths behave the
    same; only the function is renamed (the converted script keeps the real class when
    ``sagemaker_tensorflow`` is installed).
    """
    import ast
    import os
    path = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        "tfview", "pipemode.py")
    with open(path) as handle:
        source = handle.read()
    tree = ast.parse(source)
    lines = source.splitlines(True)

    def segment(node):
        # ast.get_source_segment splits the whole source on every call: quadratic, and
        # this runs at import time in every convert process.
        first, last = node.lineno - 1, node.end_lineno - 1
        if first == last:
            return lines[first].encode("utf-8")[node.col_offset:node.end_col_offset].decode("utf-8")
        return "".join([lines[first].encode("utf-8")[node.col_offset:].decode("utf-8")]
                       + lines[first + 1:last]
                       + [lines[last].encode("utf-8")[:node.end_col_offset].decode("utf-8")])

    imports, parts = [], []
    for node in tree.body:
        if isinstance(node, ast.Import):
            # The stand-in's own standard-library imports, unless the block already has them.
            text = segment(node)
            if text not in IMPORTS:
                imports.append(text)
            continue
        if isinstance(node, ast.ImportFrom):
            continue
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module docstring
        parts.append(segment(node))
    text = "\n\n\n".join(["\n".join(imports)] + parts if imports else parts) + "\n"
    # A converted script has TensorFlow 2 as `tf`, not legacy_compat's door to it.
    door = "from legacy_compat import tfapi\n    api = tfapi.v1_module()"
    if door not in text:
        raise AssertionError("legacy_compat/tfview/pipemode.py no longer reaches TensorFlow "
                             "as the converter's helper expects: %r" % door)
    text = text.replace(door, "api = tf.compat.v1")
    return text.replace("def PipeModeDataset(", "def pipe_mode_dataset_from_files(")


HELPERS["pipe_mode_dataset"] = _pipe_mode_source()

DEPENDENCIES = {
    "load_csv_with_header": ("csv_dataset",),
    "load_csv_without_header": ("csv_dataset",),
}
ORDER = list(HELPERS)


def block(names):
    """The delimited helper block for ``names`` (dependencies included)."""
    wanted = set(names)
    for name in list(wanted):
        wanted.update(DEPENDENCIES.get(name, ()))
    parts = [BEGIN, "\n".join(IMPORTS), ""]
    for name in ORDER:
        if name in wanted:
            parts.append("")
            parts.append(HELPERS[name].rstrip("\n"))
            parts.append("")
    parts.append("")
    parts.append(END)
    return "\n".join(parts) + "\n"
