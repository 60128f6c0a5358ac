"""A stand-in for ``sagemaker_tensorflow.PipeModeDataset`` when that package is missing.

Carried by converted scripts too (see ``__init__``).

Pipe Mode (``"TrainingInputMode": "Pipe"`` for the channel in inputdataconfig.json)
streams a channel through FIFOs, one per epoch: ``<pipe_dir>/<channel>_0``, then
``<channel>_1`` and so on. As the real package did, every new iteration of the
dataset (a new iterator, or the next round of ``.repeat()``) opens the next epoch's
FIFO, with the epoch counter kept in ``state_dir`` so datasets built later in the job
(evaluation, the next training chunk) carry on from it; records are read one by one
as they arrive, TFRecord framing with its checksums. TensorFlow's own readers cannot
read a FIFO ("Illegal seek"), so the framing is checked here and tf.data gets the bytes
of whatever has arrived (up to a few MB) in one piece with the offsets of its records,
which a ``substr`` op cuts out: one Python call per piece, not one copy per record, with
CRC-32C from a compiled package where one is installed (google-crc32c or crc32c) and a
pure-Python table otherwise (Python 2.7, platforms without wheels; about 3 MB/s).

In File Mode (or outside SageMaker) the same bytes are the channel's files on disk,
so the stand-in reads those in sorted order, which is the order Pipe Mode streams S3
keys in.

Python 2.7 compatible.
"""

import collections
import io
import json
import logging
import os
import struct
import threading
import time

import numpy

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
        # One Python call per piece of the stream; its records are cut out by TensorFlow.
        pieces = api.data.Dataset.from_generator(
            pipes.pieces, (api.string, api.int64, api.int64),
            (api.TensorShape([]), api.TensorShape([None]), api.TensorShape([None])))
        substr = getattr(getattr(api, "strings", None), "substr", None) or api.substr

        def records(piece, starts, lengths):
            return api.data.Dataset.from_tensor_slices(substr(piece, starts, lengths))
        return pieces.flat_map(records)
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
        for piece, starts, lengths in self.pieces():
            for start, length in zip(starts, lengths):
                yield piece[start:start + length]

    def pieces(self):
        """The next epoch's FIFO as (bytes, record starts, record lengths), a piece for what
        has arrived; the offsets as int64 arrays."""
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
        for framed in _ReadAhead(io.open(path, "rb", buffering=0), path, self.max_corrupted):
            yield framed


class _Stopped(Exception):
    """The dataset let go of the FIFO before its end."""


class _ReadAhead(object):
    """A FIFO read and framed by a thread of its own while tf.data takes what is ready.

    The reading and the checks (Python, mostly in system calls and the compiled CRC) then
    overlap tf.data's work on the pieces before, instead of waiting for each other (the
    offsets are made int64 arrays here too). At most ``DEPTH`` pieces are held; the thread
    closes the FIFO at its end, or as soon as the dataset stops taking (a job that trains
    part of an epoch), which lets the writer go on.
    """

    DEPTH = 4

    def __init__(self, stream, name, max_corrupted):
        self.pieces = collections.deque()
        self.changed = threading.Condition()
        self.stopped = False
        try:
            self.wake_read, self.wake_write = os.pipe()
        except OSError:
            self.wake_read = self.wake_write = None
        self.stream = stream
        gathering = _Gathering(stream, self.wake_read)
        thread = threading.Thread(target=self._read, name="PipeModeDataset " + name,
                                  args=(frame_tfrecords(gathering, name, max_corrupted),))
        thread.daemon = True  # a writer that stalls must not keep the job from ending
        thread.start()

    def _read(self, framed):
        try:
            try:
                for piece, starts, lengths in framed:
                    piece = piece, numpy.array(starts, numpy.int64), numpy.array(lengths,
                                                                                 numpy.int64)
                    with self.changed:
                        while len(self.pieces) >= self.DEPTH and not self.stopped:
                            self.changed.wait()
                        if self.stopped:
                            return
                        self.pieces.append((piece, None))
                        self.changed.notify()
                end = (None, None)
            except _Stopped:
                return
            except Exception as error:  # handed to the dataset, which raises it
                end = (None, error)
            with self.changed:
                self.pieces.append(end)
                self.changed.notify()
        finally:
            self.stream.close()
            if self.wake_read is not None:
                os.close(self.wake_read)

    def __iter__(self):
        try:
            while True:
                with self.changed:
                    while not self.pieces:
                        self.changed.wait()
                    piece, error = self.pieces.popleft()
                    self.changed.notify()
                if error is not None:
                    raise error
                if piece is None:
                    return
                yield piece
        finally:
            self.stop()

    def stop(self):
        with self.changed:
            self.stopped = True
            self.changed.notify()
        if self.wake_write is not None:
            try:
                os.write(self.wake_write, b"x")
            except OSError:  # the thread has ended and closed the other end
                pass
            os.close(self.wake_write)
            self.wake_write = None


class _Gathering(object):
    """A FIFO read as it arrives, in pieces as large as what is already there.

    A pipe holds 64 KB by default; the buffer is raised to 1 MB where Linux allows it, and
    a read goes on while more has already arrived, so each piece handed to tf.data is
    large when the writer is fast and small (never held back) when it is slow.
    """

    def __init__(self, stream, wake=None):
        self.stream = stream
        self.fd = None
        self.wake = None  # readable once the reading is to stop
        try:
            import fcntl
            import select
            self.fd = stream.fileno()
            self.ready = select.select
            self.wake = wake
            fcntl.fcntl(self.fd, getattr(fcntl, "F_SETPIPE_SZ", 1031), 1 << 20)
        except Exception:  # not Linux, not a pipe, or above /proc/sys/fs/pipe-max-size
            pass

    def readinto(self, view):
        if self.wake is not None and self.wake in self.ready([self.fd, self.wake], [], [])[0]:
            raise _Stopped()
        have = self.stream.readinto(view)  # waits until something arrives
        if not have or self.fd is None:
            return have
        try:
            while have < len(view) and self.ready([self.fd], [], [], 0)[0]:
                more = self.stream.readinto(view[have:])
                if not more:
                    break  # the writer closed the FIFO: the next read says so too
                have += more
        except Exception:  # select unavailable for this stream: one read is enough
            pass
        return have


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
    """Yield the records of a TFRecord stream in lists, one for each piece
    ``frame_tfrecords`` yields."""
    for piece, starts, lengths in frame_tfrecords(stream, name, max_corrupted, crc):
        yield [piece[start:start + length] for start, length in zip(starts, lengths)]


def frame_tfrecords(stream, name, max_corrupted=0, crc=None):
    """Yield a TFRecord stream as ``(piece, starts, lengths)``: bytes holding the complete
    records of what has arrived (a read returns what the writer has sent, so records are
    never held back waiting for more), with the offset and length of each record in it whose
    checksums hold. EOF between records ends it.

    ``stream`` needs ``readinto`` (a raw ``io`` stream); ``crc`` is the CRC-32C function
    (default: the compiled one when installed).
    """
    crc = crc or crc32c
    header_size, footer_size = _HEADER.size, _FOOTER.size
    unpack_header, unpack_footer = _HEADER.unpack_from, _FOOTER.unpack_from
    # A length's checksum depends on the length only, and records tend to repeat lengths.
    length_crcs = {}
    # One buffer for the whole stream: reads land in memory already in use, and only the
    # complete records are copied out, once, for tf.data.
    buffer = bytearray(READ_SIZE)
    have = 0  # bytes in the buffer, from the start of the first record not yet handed on
    needed = header_size  # bytes the next step needs
    skipped = 0
    index = 0
    while True:
        if needed > len(buffer):  # a record larger than the buffer
            buffer = buffer[:have] + bytearray(max(needed, 2 * len(buffer)) - have)
        view = memoryview(buffer)
        while have < needed:
            got = stream.readinto(view[have:])
            if not got:
                break
            have += got
        if have < needed:
            break
        # Frame and check every complete record of what is there. Only ints are kept per
        # record (no tuples): objects the cyclic collector tracks would make it run over the
        # program's whole heap (TensorFlow's) several times an epoch. Each record is copied
        # for its checksum into memory the previous one freed.
        position, broken = 0, False
        starts, lengths = [], []
        while True:
            if have - position < header_size:
                needed = header_size
                break
            length, length_crc = unpack_header(buffer, position)
            expected = length_crcs.get(length)
            if expected is None:
                expected = length_crcs[length] = masked_crc(
                    view[position:position + 8].tobytes(), crc)
            if expected != length_crc:
                broken = True  # raised after the records before it are handed on
                break
            start = position + header_size
            end = start + length
            if have < end + footer_size:
                needed = header_size + length + footer_size
                break
            if unpack_footer(buffer, end)[0] != masked_crc(view[start:end].tobytes(), crc):
                if skipped >= max_corrupted:
                    raise CorruptRecordError(
                        "PipeModeDataset: {0}: record {1} is corrupt: its data checksum does not "
                        "match (max_corrupted_records_to_skip={2})".format(
                            name, index, max_corrupted))
                skipped += 1
                logger.warning("PipeModeDataset: %s: skipping corrupt record %d (its data "
                               "checksum does not match)", name, index)
            else:
                starts.append(start)
                lengths.append(length)
            index += 1
            position = end + footer_size
        if starts:
            yield view[:position].tobytes(), starts, lengths
        if broken:
            # The length itself cannot be trusted: nothing after this can be framed.
            raise CorruptRecordError(
                "PipeModeDataset: {0}: record {1} has a corrupted length (checksum mismatch); "
                "is the channel really TFRecord?".format(name, index))
        buffer[:have - position] = buffer[position:have]
        have -= position
    if have:
        where = "a record header" if have < header_size else "a record"
        raise CorruptRecordError(
            "PipeModeDataset: {0}: record {1} is corrupt: the stream ended inside {2} "
            "(max_corrupted_records_to_skip={3})".format(name, index, where, max_corrupted))
