"""TF 1.x names and signatures that moved between releases, bridged on every release.

A script written for one TF 1.x release imports names that a release before or after it
lacks, or calls them with a signature that changed.  Each bridge below applies only where
the running TensorFlow lacks the name (or the signature); where TF has it, TF's own object
stays.  Found by the surface recorded from the real releases
(legacy_compat/tfview/surface/, docs/tf1-view.md):

* ``Dataset.map(f, num_threads=N, output_buffer_size=M)``: TF 1.2-1.4's
  ``tf.contrib.data.Dataset.map``; the core ``tf.data.Dataset`` (1.4+) takes
  ``num_parallel_calls`` and has no buffer argument.  Kept meaning: N elements mapped in
  parallel, then a prefetch buffer of M elements.
* ``tf.contrib.data.{Dataset, TFRecordDataset, TextLineDataset, FixedLengthRecordDataset,
  Iterator}``: gone from 1.7; they are the core ``tf.data`` classes.
* ``tf.contrib.data.map_and_batch``: added in 1.6 (``drop_remainder`` in 1.8).
* ``categorical_column_with_vocabulary_file(key, path)`` without ``vocabulary_size``:
  required until TF 1.5; counted from the file, as later releases do.
* a dense categorical feature of unknown static rank (``Dataset.from_generator`` without
  ``output_shapes``): TF 1.4's feature columns stopped on it ("Undefined input_tensor
  shape."); turned into sparse ids from its runtime shape, as TF 1.5+ does.
* float64 or integer features / labels for a float Keras model in ``model_to_estimator``:
  cast (TF 1.6+ casts them to Keras' float type; TF 1.4 and 1.5 stopped on the dtype).
* ``model_to_estimator`` of a ``Sequential`` whose first layer is an explicit ``InputLayer``:
  from TF 1.8 ``Sequential.layers`` leaves that layer out, so TF's clone of the model had no
  input and was never built ("'Sequential' object has no attribute 'train_function'"); the
  clone keeps it, as TF 1.4-1.7 and TF 2.x do.

Each boundary is the first release whose own source has the behaviour (read from the
released wheels, 1.4.1 to 1.12.0).
"""

import logging

from legacy_compat import tfapi
from legacy_compat.patch import registry
from legacy_compat.portable.argspec import argspec

logger = logging.getLogger("legacy_compat")
_warned = set()

CONTRIB_DATA_NAMES = ("Dataset", "TFRecordDataset", "TextLineDataset",
                      "FixedLengthRecordDataset", "Iterator")


def _warn_once(key, message, *args):
    if key not in _warned:
        _warned.add(key)
        logger.info(message, *args)


def legacy_map(wrapped, instance, args, kwargs):
    """``map`` that also takes TF 1.2-1.4's ``num_threads`` / ``output_buffer_size``."""
    if "num_threads" not in kwargs and "output_buffer_size" not in kwargs:
        return wrapped(*args, **kwargs)
    kwargs = dict(kwargs)
    num_threads = kwargs.pop("num_threads", None)
    buffer_size = kwargs.pop("output_buffer_size", None)
    if num_threads is not None:
        if "num_parallel_calls" in kwargs or len(args) > 1:
            raise ValueError("Dataset.map: give num_threads (TF 1.2-1.4) or num_parallel_calls, "
                             "not both")
        kwargs["num_parallel_calls"] = num_threads
    _warn_once("map", "Dataset.map(num_threads=, output_buffer_size=) (TF 1.2-1.4): mapping "
                      "with num_parallel_calls=%s, then prefetch(%s)", num_threads, buffer_size)
    result = wrapped(*args, **kwargs)
    if buffer_size is not None:
        result = result.prefetch(buffer_size)
    return result


def patch_dataset_module(module):
    """``tensorflow.python.data.ops.dataset_ops``: every Dataset class that defines map."""
    for class_name in ("Dataset", "DatasetV1", "DatasetV2"):
        owner = getattr(module, class_name, None)
        if isinstance(owner, type) and "map" in vars(owner):
            registry.wrap(owner, "map", legacy_map)


def patch_contrib_data(module):
    """``tensorflow.contrib.data`` on TF 1.x: the names later or earlier releases had."""
    tf = tfapi.tensorflow()
    for name in CONTRIB_DATA_NAMES:
        registry.provide(module, name, getattr(tf.data, name, None))
    from legacy_compat.portable import contrib
    registry.provide(module, "map_and_batch", contrib.map_and_batch)


def _count_lines(path):
    with tfapi.v1_module().gfile.GFile(path, "r") as handle:
        return sum(1 for _ in handle)


def vocabulary_file_size(wrapped, instance, args, kwargs):
    """Count the vocabulary when the script (written for TF 1.5+) leaves out its size."""
    if len(args) >= 3 or kwargs.get("vocabulary_size") is not None:
        return wrapped(*args, **kwargs)
    path = args[1] if len(args) > 1 else kwargs.get("vocabulary_file")
    if path is None:
        return wrapped(*args, **kwargs)
    kwargs = dict(kwargs)
    kwargs["vocabulary_size"] = _count_lines(path)
    _warn_once("vocab:" + str(path), "categorical_column_with_vocabulary_file: no "
               "vocabulary_size (TF 1.5+ counts it); counted %d lines in %s",
               kwargs["vocabulary_size"], path)
    return wrapped(*args, **kwargs)


def _requires_vocabulary_size(function):
    spec = argspec(function)
    if "vocabulary_size" not in spec.args:
        return False
    required = len(spec.args) - len(spec.defaults)
    return spec.args.index("vocabulary_size") < required


def patch_tensorflow(tf):
    """Bridges that hang off the top-level ``tensorflow`` package (TF 1.x only)."""
    if tfapi.is_tf2():
        return
    name = "categorical_column_with_vocabulary_file"
    column_module = getattr(tf, "feature_column", None)
    function = getattr(column_module, name, None)
    if function is not None and _requires_vocabulary_size(function):
        import sys
        registry.wrap(column_module, name, vocabulary_file_size)
        private = sys.modules.get("tensorflow.python.feature_column.feature_column")
        if private is not None:
            registry.wrap(private, name, vocabulary_file_size)


_CLONE_ARGS = ("mode", "keras_model", "custom_objects", "features", "labels")


def _cast_for_model(tf, value, dtype):
    """``value`` cast to the model's float ``dtype`` when it is another number type."""
    if isinstance(value, tf.Tensor) and dtype is not None and dtype.is_floating and \
            value.dtype != dtype and (value.dtype.is_floating or value.dtype.is_integer):
        _warn_once("keras-cast:" + value.dtype.name,
                   "input function returned %s tensors for a %s Keras model; casting them "
                   "(as TF 1.6+ does)", value.dtype.name, dtype.name)
        return tf.cast(value, dtype)
    return value


def cast_keras_inputs(wrapped, instance, args, kwargs):
    """float64 or integer features / labels for a float Keras model: cast, as TF 1.6+ does.

    TF 1.4/1.5's model_to_estimator fed them to the model unchanged and stopped on the
    dtype ("Tensor conversion requested dtype float32 for Tensor with dtype int64").
    """
    tf = tfapi.tensorflow()
    bound = dict(zip(_CLONE_ARGS, args))
    bound.update(kwargs)
    model = bound.get("keras_model")
    features, labels = bound.get("features"), bound.get("labels")
    inputs = list(getattr(model, "inputs", None) or [])
    outputs = list(getattr(model, "outputs", None) or [])
    if isinstance(features, dict):
        names = list(getattr(model, "input_names", None) or [])
        dtypes = dict((n, t.dtype) for n, t in zip(names, inputs))
        features = dict((k, _cast_for_model(tf, v, dtypes.get(k))) for k, v in features.items())
    elif inputs:
        features = _cast_for_model(tf, features, inputs[0].dtype)
    if outputs and not isinstance(labels, dict):
        labels = _cast_for_model(tf, labels, outputs[0].dtype)
    bound["features"], bound["labels"] = features, labels
    return wrapped(**dict((k, v) for k, v in bound.items() if k in _CLONE_ARGS))


def patch_keras_estimator_module(module):
    """model_to_estimator's module on TF 1.x (it moved between releases)."""
    if tfapi.before("1.6"):
        registry.wrap(module, "_clone_and_build_model", cast_keras_inputs)


def clone_keeps_input_layer(wrapped, instance, args, kwargs):
    """Clone a Sequential built on an explicit InputLayer with that layer (TF 1.8+ lost it)."""
    clone = wrapped(*args, **kwargs)
    model = args[0] if args else kwargs.get("model")
    input_tensors = args[1] if len(args) > 1 else kwargs.get("input_tensors")
    stack = list(getattr(model, "_layers", None) or [])
    if input_tensors is not None or getattr(clone, "built", True) or not stack or \
            type(stack[0]).__name__ != "InputLayer":
        return clone
    _warn_once("sequential-input", "cloning Sequential model %s (model_to_estimator): keeping "
                                   "its InputLayer, which TF 1.8+ left out of the clone",
               model.name)
    layers = [layer.__class__.from_config(layer.get_config()) for layer in stack]
    return type(clone)(layers=layers, name=model.name)


def patch_keras_models_module(module):
    """``keras.models`` on TF 1.8-1.x, where model_to_estimator clones the user's model."""
    if not tfapi.is_tf2() and not tfapi.before("1.8"):
        registry.wrap(module, "_clone_sequential_model", clone_keeps_input_layer)


def sparse_input_of_unknown_rank(wrapped, instance, args, kwargs):
    """TF 1.4's ``_to_sparse_input`` for a dense feature of unknown static rank.

    The rank is only known when the graph runs, so the ids are found the way TF 1.5+
    finds them: every cell that is not the ignore value, gathered by its full index.
    """
    tf = tfapi.tensorflow()
    value = args[0] if args else kwargs.get("input_tensor")
    ignore_value = args[1] if len(args) > 1 else kwargs.get("ignore_value")
    value = tf.convert_to_tensor_or_sparse_tensor(value)
    if isinstance(value, tf.SparseTensor) or value.get_shape().ndims is not None:
        return wrapped(*args, **kwargs)
    _warn_once("unknown-rank", "feature columns: a feature has no static rank (e.g. "
                               "Dataset.from_generator without output_shapes); finding its ids "
                               "from the runtime shape (as TF 1.5+ does)")
    with tf.name_scope(None, "to_sparse_input", [value]):
        if ignore_value is None:
            ignore_value = "" if value.dtype == tf.string else -1
        indices = tf.where(tf.not_equal(value, tf.cast(ignore_value, value.dtype)))
        return tf.SparseTensor(indices, tf.gather_nd(value, indices),
                               tf.shape(value, out_type=tf.int64))


def patch_feature_column_module(module):
    """``tensorflow.python.feature_column.feature_column`` on TF 1.4."""
    if tfapi.before("1.5"):
        registry.wrap(module, "_to_sparse_input", sparse_input_of_unknown_rank)
