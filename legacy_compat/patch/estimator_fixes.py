"""The adapter rules, applied to whichever Estimator class the running TF has.

Each rule fixes a behaviour that changed between TF 1.4 and 2.15 so a legacy
script behaves the same everywhere:

* input functions (and serving_input_fn) may return a no-argument callable,
  raw numpy arrays, or, on TF 1.4.1, a tf.data.Dataset (legacy_compat.adapters);
* a model_fn whose train_op does not advance the global step still stops at
  ``training_steps`` (the step is advanced for it, once per train step);
* a PREDICT EstimatorSpec without export_outputs gets the default
  ``serving_default`` PredictOutput (TF 1.4.1 refused to export it);
* the training loss is recorded for the progress line;
* in a parameter-server cluster the master saves whole checkpoints itself (unsharded), so
  checkpoints do not need a directory that every host shares.
"""

import logging

from legacy_compat import adapters, progress, tfapi
from legacy_compat.patch import registry

logger = logging.getLogger("legacy_compat")
_warned = set()

# Ops that write a variable; the first input is the variable (ref or resource handle).
_WRITE_OPS = frozenset(["AssignAdd", "AssignAddVariableOp", "Assign", "AssignVariableOp",
                        "ScatterAdd", "ResourceScatterAdd"])


def _tf():
    return tfapi.tensorflow()


def call_input_fn(wrapped, instance, args, kwargs):
    tf = _tf()
    input_fn, _, _ = _argument(args, kwargs, 0, "input_fn")
    name = getattr(input_fn, "__name__", "<lambda>")
    what = name if name != "<lambda>" else "input_fn"
    return adapters.input_result(tf, wrapped(*args, **kwargs), what,
                                 not tfapi.before("1.5"))


def _argument(args, kwargs, index, name):
    if name in kwargs:
        return kwargs[name], args, kwargs
    if len(args) > index:
        return args[index], args, kwargs
    return None, args, kwargs


def export(wrapped, instance, args, kwargs):
    """serving_input_receiver_fn may return a receiver *function* (TF 1.4/1.5 leniency)."""
    receiver_fn, _, _ = _argument(args, kwargs, 1, "serving_input_receiver_fn")
    if receiver_fn is not None:
        tf = _tf()

        def unwrapped_receiver_fn():
            return adapters.unwrap_callable(tf, receiver_fn(), "serving_input_fn")

        if "serving_input_receiver_fn" in kwargs:
            kwargs = dict(kwargs, serving_input_receiver_fn=unwrapped_receiver_fn)
        else:
            args = tuple(args[:1]) + (unwrapped_receiver_fn,) + tuple(args[2:])
    return wrapped(*args, **kwargs)


def call_model_fn(wrapped, instance, args, kwargs):
    spec = wrapped(*args, **kwargs)
    mode, _, _ = _argument(args, kwargs, 2, "mode")
    if spec is None or not hasattr(spec, "_replace"):
        return spec
    if mode == "train":
        spec = _ensure_global_step_advances(spec)
        if getattr(getattr(spec, "scaffold", None), "saver", None) is None:
            _unsharded_saver_in_cluster(getattr(instance, "config", None))
        if getattr(spec, "loss", None) is not None:
            _tf_v1().add_to_collection(progress.LOSS_COLLECTION, spec.loss)
    elif mode == "infer" and getattr(spec, "export_outputs", None) is None \
            and getattr(spec, "predictions", None) is not None:
        spec = _with_default_export_outputs(spec)
    return spec


def _tf_v1():
    return tfapi.v1_module()


def _unsharded_saver_in_cluster(config):
    """Give a parameter-server job the Estimator's Saver, unsharded.

    The Estimator's default Saver is sharded: every parameter server writes its variables into
    the checkpoint directory *on its own host*, and parameter server 0 merges the pieces, which
    only works where all hosts share that directory. On SageMaker every host has its own
    /opt/ml (an s3:// checkpoint_path is staged there), so the first save failed with
    "model.ckpt-0_temp/part-00000-of-00002 not found" (the legacy container had TensorFlow write
    to S3 itself). Unsharded, the master fetches the variables and writes the checkpoint alone,
    where it uploads from.
    """
    if not getattr(config, "num_ps_replicas", 0):
        return
    tf = _tf_v1()
    if tf.get_collection(tf.GraphKeys.SAVERS):
        return
    tf.add_to_collection(tf.GraphKeys.SAVERS, tf.train.Saver(
        sharded=False, max_to_keep=config.keep_checkpoint_max,
        keep_checkpoint_every_n_hours=config.keep_checkpoint_every_n_hours,
        defer_build=True, save_relative_paths=True))


def _with_default_export_outputs(spec):
    tf = _tf_v1()
    output = tfapi.estimator().export.PredictOutput(spec.predictions)
    return spec._replace(export_outputs={
        tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY: output})


def advances_global_step(train_op, global_step):
    """Whether anything ``train_op`` depends on writes the global step."""
    target = global_step.op
    seen = set()
    stack = [train_op.op if hasattr(train_op, "op") else train_op]
    while stack:
        op = stack.pop()
        if op in seen:
            continue
        seen.add(op)
        if op.type in _WRITE_OPS and op.inputs and op.inputs[0].op is target:
            return True
        stack.extend(tensor.op for tensor in op.inputs)
        stack.extend(op.control_inputs)
    return False


def _ensure_global_step_advances(spec):
    tf = _tf_v1()
    train_op = getattr(spec, "train_op", None)
    global_step = tf.train.get_global_step()
    if train_op is None or global_step is None or advances_global_step(train_op, global_step):
        return spec
    if "global_step" not in _warned:
        _warned.add("global_step")
        logger.warning(
            "model_fn's train_op does not advance the global step (e.g. "
            "optimizer.minimize(loss) without global_step=...), so training would never reach "
            "training_steps; legacy-compat advances the shared global step once per train step. "
            "Pass global_step=tf.train.get_or_create_global_step() to minimize() to silence this.")
    with tf.control_dependencies([train_op]):
        advanced = tf.assign_add(global_step, 1)
    return spec._replace(train_op=advanced.op if hasattr(advanced, "op") else advanced)


def patch_estimator_module(module):
    """Post-import hook for the module that defines Estimator (its path differs by TF version)."""
    estimator = getattr(module, "Estimator", None)
    if estimator is None:
        return
    registry.wrap(estimator, "_call_input_fn", call_input_fn)
    registry.wrap(estimator, "_call_model_fn", call_model_fn)
    registry.wrap(estimator, "export_savedmodel", export)
    registry.wrap(estimator, "export_saved_model", export)
