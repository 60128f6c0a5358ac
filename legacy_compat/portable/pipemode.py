"""A stand-in for ``sagemaker_tensorflow.PipeModeDataset`` when that package is missing.

Carried by converted scripts too (see ``__init__``).

Pipe Mode (``"TrainingInputMode": "Pipe"`` for the channel in inputdataconfig.json)
streams a channel through FIFOs, one per epoch: ``<pipe_dir>/<channel>_0``, then
``<channel>_1`` and so on. As the real package did, every new iteration of the
dataset (a new iterator, or the next round of ``.repeat()``) opens the next epoch's
FIFO, with the epoch counter kept in ``state_dir`` so datasets built later in the job
(evaluation, the next training chunk) carry on from it; records are read one by one
as they arrive, TFRecord framing with its checksums. TensorFlow's own readers cannot
read a FIFO ("Illegal seek"), so the reading is done here and handed to tf.data: in
batches of whatever has arrived (up to a few MB), not one Python call per record, with
CRC-32C from a compiled package where one is installed (google-crc32c or crc32c) and a
pure-Python table otherwise (Python 2.7, platforms without wheels; about 3 MB/s).

In File Mode (or outside SageMaker) the same bytes are the channel's files on disk,
so the stand-in reads those in sorted order, which is the order Pipe Mode streams S3
keys in.

Python 2.7 compatible.
"""

import io
import json
import logging
import os
import struct
import time

from legacy_compat.portable.tfhandle import tf_v1

DEFAULT_BASE_DIR = "/opt/ml"
DEFAULT_INPUT_DATA_DIR = "/opt/ml/input/data"
# How long to wait for the next epoch's FIFO to appear before giving up.
FIFO_WAIT_SECS = 1800

logger = logging.getLogger("legacy_compat")


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


def _input_dir():
    return os.environ.get("SM_INPUT_DIR") or os.path.join(DEFAULT_BASE_DIR, "input")


def input_mode(channel, config_dir=None):
    """The channel's TrainingInputMode from inputdataconfig.json ("File" when not given)."""
    config_dir = config_dir or os.environ.get("SM_INPUT_CONFIG_DIR") or os.path.join(
        _input_dir(), "config")
    path = os.path.join(config_dir, "inputdataconfig.json")
    if not os.path.exists(path):
        return "File"
    with open(path) as handle:
        config = json.load(handle)
    return (config.get(channel) or {}).get("TrainingInputMode", "File")


def PipeModeDataset(channel, record_format="TFRecord", state_dir=None, pipe_dir=None,
                    config_dir=None, benchmark=False, benchmark_records_interval=0,
                    max_corrupted_records_to_skip=0):
    """A tf.data dataset of the channel's TFRecord records: from its FIFOs in Pipe Mode,
    from its files otherwise (``benchmark*`` are the real class's and ignored)."""
    if record_format != "TFRecord":
        raise ValueError(
            "PipeModeDataset stand-in: record_format={0!r} for channel {1!r} is not supported; "
            "it reads TFRecord files only (install sagemaker-tensorflow for RecordIO "
            "pipes)".format(record_format, channel))
    api = tf_v1()
    if input_mode(channel, config_dir) == "Pipe":
        pipes = EpochPipes(channel, pipe_dir or os.path.join(_input_dir(), "data"),
                           state_dir or os.path.join(os.path.dirname(_input_dir()), "pipe_state"),
                           max_corrupted_records_to_skip)
        # One Python call per batch of records; flat_map hands them on one by one.
        batches = api.data.Dataset.from_generator(pipes.batches, api.string,
                                                  api.TensorShape([None]))
        return batches.flat_map(api.data.Dataset.from_tensor_slices)
    directory = channel_dir(channel, pipe_dir)
    files = channel_files(directory)
    if not files:
        raise MissingChannelError(
            "PipeModeDataset: channel {0!r} directory {1} ({2}) has no files".format(
                channel, directory, channel_env_var(channel)))
    return api.data.TFRecordDataset(files)


class EpochPipes(object):
    """The FIFOs of one Pipe Mode channel, one per epoch, read in turn."""

    def __init__(self, channel, pipe_dir, state_dir, max_corrupted_records_to_skip=0):
        self.channel = channel
        self.pipe_dir = pipe_dir
        self.state_dir = state_dir
        self.max_corrupted = max_corrupted_records_to_skip

    def next_epoch(self):
        """Take the next epoch number; the count survives new datasets in the same job."""
        if not os.path.isdir(self.state_dir):
            os.makedirs(self.state_dir)
        path = os.path.join(self.state_dir, self.channel)
        epoch = 0
        if os.path.exists(path):
            with open(path) as handle:
                epoch = int(handle.read().strip() or 0)
        with open(path + ".tmp", "w") as handle:
            handle.write(str(epoch + 1))
        os.rename(path + ".tmp", path)
        return epoch

    def fifo(self, epoch):
        return os.path.join(self.pipe_dir, "%s_%d" % (self.channel, epoch))

    def records(self):
        """Every record of the next epoch's FIFO, as it arrives."""
        for batch in self.batches():
            for record in batch:
                yield record

    def batches(self):
        """The records of the next epoch's FIFO, in lists of those that have arrived."""
        path = self.fifo(self.next_epoch())
        waited = time.time()
        while not os.path.exists(path):
            if time.time() - waited > FIFO_WAIT_SECS:
                raise IOError(
                    "PipeModeDataset: channel {0!r} is in Pipe mode but its FIFO {1} did not "
                    "appear within {2} s; SageMaker creates <channel>_<epoch> under {3} for each "
                    "epoch".format(self.channel, path, FIFO_WAIT_SECS, self.pipe_dir))
            time.sleep(0.1)
        logger.info("PipeModeDataset: reading channel %r from %s (CRC-32C: %s)", self.channel,
                    path, CRC32C_IMPLEMENTATION)
        # Unbuffered: a read returns what the writer has sent so far instead of waiting
        # for a full buffer, so records are handed on as they arrive.
        with io.open(path, "rb", buffering=0) as stream:
            for batch in read_tfrecord_batches(_Gathering(stream), path, self.max_corrupted):
                yield batch


class _Gathering(object):
    """A FIFO read as it arrives, in pieces as large as what is already there.

    A pipe holds 64 KB by default; the buffer is raised to 1 MB where Linux allows it, and
    a read goes on while more has already arrived, so each batch handed to tf.data is
    large when the writer is fast and small (never held back) when it is slow.
    """

    def __init__(self, stream):
        self.stream = stream
        self.fd = None
        try:
            import fcntl
            import select
            self.fd = stream.fileno()
            self.ready = select.select
            fcntl.fcntl(self.fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except Exception:  # not Linux, not a pipe, or above /proc/sys/fs/pipe-max-size
            pass

    def read(self, size):
        chunk = self.stream.read(size)  # waits until something arrives
        if not chunk or self.fd is None:
            return chunk
        parts, have = [chunk], len(chunk)
        try:
            while have < size and self.ready([self.fd], [], [], 0)[0]:
                more = self.stream.read(size - have)
                if not more:
                    break  # the writer closed the FIFO: the next read says so too
                parts.append(more)
                have += len(more)
        except Exception:  # select unavailable for this stream: one read is enough
            pass
        return b"".join(parts)


# -- TFRecord framing ------------------------------------------------------------------------------
# Each record: uint64 length, uint32 masked CRC-32C of the length, the data, uint32 masked
# CRC-32C of the data (all little-endian).
_HEADER = struct.Struct("<QI")
_FOOTER = struct.Struct("<I")


def _crc32c_table():
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ (0x82F63B78 if crc & 1 else 0)
        table.append(crc)
    return table


_CRC_TABLE = _crc32c_table()


def crc32c_python(data):
    """CRC-32C in pure Python: the fallback where no compiled package is installed."""
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in bytearray(data):
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _compiled_crc32c():
    """(function, name) of an installed compiled CRC-32C, or (None, None).

    Optional: a converted script carries this module without legacy-compat's dependencies.
    """
    try:
        import google_crc32c
        # Without its C extension the package falls back to Python code of its own.
        if getattr(google_crc32c, "implementation", "c") == "c":
            return google_crc32c.value, "google-crc32c (compiled)"
    except Exception:  # not installed, or a broken build
        pass
    try:
        import crc32c as crc32c_package
        return crc32c_package.crc32c, "crc32c (compiled)"
    except Exception:
        pass
    return None, None


def _choose_crc32c():
    compiled, name = _compiled_crc32c()
    if compiled is None:
        return crc32c_python, ("pure Python (slow, about 3 MB/s: pip install google-crc32c for "
                               "the compiled one)")
    return compiled, name


crc32c, CRC32C_IMPLEMENTATION = _choose_crc32c()


def masked_crc(data, crc=None):
    crc = (crc or crc32c)(data)
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


class CorruptRecordError(IOError):
    """A record whose framing or checksum is wrong."""


# What one read asks the stream for; a FIFO returns what has arrived, up to this much.
READ_SIZE = 4 << 20


def read_tfrecords(stream, name, max_corrupted=0):
    """Yield the records of a TFRecord stream one by one; EOF between records ends it."""
    for batch in read_tfrecord_batches(stream, name, max_corrupted):
        for record in batch:
            yield record


def read_tfrecord_batches(stream, name, max_corrupted=0, crc=None):
    """Yield the records of a TFRecord stream in lists: each list holds the complete records
    of what one read returned (a FIFO returns what has arrived), so records are never held
    back waiting for more. EOF between records ends it.

    ``crc`` is the CRC-32C function (default: the compiled one when installed).
    """
    crc = crc or crc32c
    header_size, footer_size = _HEADER.size, _FOOTER.size
    unpack_header, unpack_footer = _HEADER.unpack_from, _FOOTER.unpack_from
    buffer = b""
    position = 0   # start of the first record not yet handed on
    needed = header_size  # bytes from position on that the next step needs
    skipped = 0
    index = 0
    ended = False
    while not ended:
        # Read until the next step can go on (a record may be larger than one read).
        chunks = [buffer[position:]]
        have = len(chunks[0])
        while have < needed:
            chunk = stream.read(max(READ_SIZE, needed - have))
            if not chunk:
                ended = True
                break
            chunks.append(chunk)
            have += len(chunk)
        buffer = b"".join(chunks)
        position = 0
        size = len(buffer)
        batch = []
        while True:
            if size - position < header_size:
                needed = header_size
                break
            length, length_crc = unpack_header(buffer, position)
            if masked_crc(buffer[position:position + 8], crc) != length_crc:
                # The length itself cannot be trusted: nothing after this can be framed.
                raise CorruptRecordError(
                    "PipeModeDataset: {0}: record {1} has a corrupted length (checksum mismatch); "
                    "is the channel really TFRecord?".format(name, index))
            start = position + header_size
            end = start + length
            if size < end + footer_size:
                needed = header_size + length + footer_size
                break
            data = buffer[start:end]
            if unpack_footer(buffer, end)[0] != masked_crc(data, crc):
                if skipped >= max_corrupted:
                    raise CorruptRecordError(
                        "PipeModeDataset: {0}: record {1} is corrupt: its data checksum does not "
                        "match (max_corrupted_records_to_skip={2})".format(
                            name, index, max_corrupted))
                skipped += 1
                logger.warning("PipeModeDataset: %s: skipping corrupt record %d (its data "
                               "checksum does not match)", name, index)
            else:
                batch.append(data)
            index += 1
            position = end + footer_size
        if batch:
            yield batch
    if position < len(buffer):
        where = "a record header" if len(buffer) - position < header_size else "a record"
        raise CorruptRecordError(
            "PipeModeDataset: {0}: record {1} is corrupt: the stream ended inside {2} "
            "(max_corrupted_records_to_skip={3})".format(name, index, where, max_corrupted))
