"""Reading the checkpoint a job resumes from, and refusing one that is broken.

TensorFlow treats an unreadable ``checkpoint`` state file, or one naming
files that are gone, as "no checkpoint" and trains again from step 0 over the
directory (``get_checkpoint_state`` only logs a warning). A job that was
meant to resume would then silently lose everything it trained, so a
checkpoint directory that looks used but cannot be read stops the job here
with the file and the way out.
"""

import os

from legacy_compat.errors import CheckpointError

STATE_FILE = "checkpoint"


def _recover_hint(model_dir):
    return ("edit %s so that model_checkpoint_path names an older complete checkpoint "
            "(a model.ckpt-N prefix whose .index and .data-* files are all there; "
            "all_model_checkpoint_paths lists them), or move %s away to train from step 0"
            % (os.path.join(model_dir, STATE_FILE), model_dir))


def global_step(tf, model_dir, verify=False):
    """The global step of the newest checkpoint in ``model_dir``; None when there is none.

    Raises :class:`CheckpointError` when there is a checkpoint state file but
    the checkpoint it names cannot be read (with ``verify``: read completely,
    which costs one pass over the checkpoint; the trainer does it once, before
    resuming).
    """
    state_path = os.path.join(model_dir, STATE_FILE)
    if not tf.gfile.Exists(state_path):
        return None
    state = tf.train.get_checkpoint_state(model_dir)
    if state is None or not state.model_checkpoint_path:
        raise CheckpointError(
            "the checkpoint state file cannot be parsed (or names no checkpoint), so TensorFlow "
            "would train from step 0 over this directory", path=state_path,
            hint=_recover_hint(model_dir))
    prefix = state.model_checkpoint_path
    if not os.path.isabs(prefix) and "://" not in prefix:
        prefix = os.path.join(model_dir, prefix)
    if not tf.gfile.Exists(prefix + ".index") and not tf.gfile.Exists(prefix):
        raise CheckpointError(
            "it names the checkpoint %s, but %s.index is missing" % (prefix, prefix),
            path=state_path, hint=_recover_hint(model_dir))
    try:
        reader = tf.train.NewCheckpointReader(prefix)
        # Reading every tensor checks every checksum: a truncated or damaged data file is
        # found now, with its name, instead of halfway through restoring it.
        for name in sorted(reader.get_variable_to_shape_map()) if verify else ():
            reader.get_tensor(name)
    except Exception as error:  # TF's own error types differ between releases
        raise CheckpointError(
            "checkpoint %s cannot be read (%s: %s)" % (
                prefix, type(error).__name__, str(error).strip().splitlines()[0]),
            path=prefix, hint=_recover_hint(model_dir))
    if not reader.has_tensor("global_step"):
        return None  # a checkpoint without a global step: nothing to resume by
    return int(reader.get_tensor("global_step"))
