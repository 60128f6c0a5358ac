"""A stand-in for ``sagemaker_tensorflow.PipeModeDataset`` when that package is missing.

Real Pipe Mode streams a channel through a FIFO.  Run outside SageMaker (or in File
Mode), the same bytes are the channel's files on disk, so the stand-in reads those in
sorted order, which is the order Pipe Mode streams S3 keys in.
"""

import os

DEFAULT_INPUT_DATA_DIR = "/opt/ml/input/data"


class MissingChannelError(EnvironmentError):
    """The channel has no directory, or no files, in any place we look."""


def channel_env_var(channel):
    return "SM_CHANNEL_" + channel.upper()


def channel_dir(channel, pipe_dir=None):
    """Directory holding ``channel``'s files, or raise MissingChannelError naming the places."""
    env_var = channel_env_var(channel)
    candidates = []
    if os.environ.get(env_var):
        candidates.append(os.environ[env_var])
    if pipe_dir is not None:
        candidates.append(os.path.join(pipe_dir, channel))
    if os.environ.get("SM_INPUT_DIR"):
        candidates.append(os.path.join(os.environ["SM_INPUT_DIR"], "data", channel))
    candidates.append(os.path.join(DEFAULT_INPUT_DATA_DIR, channel))
    for candidate in candidates:
        if os.path.isdir(candidate):
            return candidate
    raise MissingChannelError(
        "PipeModeDataset: no data for channel {0!r}: {1} is not set, and none of {2} is a "
        "directory. Pass the channel to the job (the runner then sets {1}) or fix the "
        "channel name.".format(channel, env_var, ", ".join(candidates)))


def channel_files(directory):
    """Every non-hidden file below ``directory``, sorted by relative path."""
    found = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if not name.startswith("."):
                path = os.path.join(root, name)
                found.append((os.path.relpath(path, directory), path))
    return [path for _, path in sorted(found)]


def PipeModeDataset(channel, record_format="TFRecord", state_dir=None, pipe_dir=None,
                    config_dir=None, benchmark=False, benchmark_records_interval=0,
                    max_corrupted_records_to_skip=0):
    """A tf.data dataset of the channel's TFRecord records (the other arguments are the
    real class's and only matter for a real pipe)."""
    if record_format != "TFRecord":
        raise ValueError(
            "PipeModeDataset stand-in: record_format={0!r} for channel {1!r} is not supported; "
            "it reads TFRecord files only (install sagemaker-tensorflow for RecordIO "
            "pipes)".format(record_format, channel))
    directory = channel_dir(channel, pipe_dir)
    files = channel_files(directory)
    if not files:
        raise MissingChannelError(
            "PipeModeDataset: channel {0!r} directory {1} ({2}) has no files".format(
                channel, directory, channel_env_var(channel)))
    return tfrecord_dataset(files)


def tfrecord_dataset(files):
    # Its own function: legacy-compat convert copies this module's code into converted
    # scripts and writes this one for plain TensorFlow (legacy_compat/convert/helpers.py).
    from legacy_compat import tfapi
    return tfapi.v1_module().data.TFRecordDataset(files)
