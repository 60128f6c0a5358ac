"""Pipe Mode: the PipeModeDataset stand-in reads real FIFOs fed by a writer process."""
import json
import os
import shutil
import struct
import subprocess
import sys
import threading

import pytest
import tensorflow as real_tf

from conftest import ROOT, run_cli, script
from legacy_compat.portable import pipemode

WRITER = os.path.join(ROOT, "tests", "pipe_writer.py")
tf1 = real_tf.compat.v1


def write_records(path, records):
    with real_tf.io.TFRecordWriter(str(path)) as writer:
        for record in records:
            writer.write(record)
    return str(path)


def pipe_config(base, channel, mode="Pipe"):
    config = base / "input" / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "inputdataconfig.json").write_text(json.dumps({channel: {"TrainingInputMode": mode}}))
    (base / "input" / "data").mkdir(parents=True, exist_ok=True)
    return base


def start_writer(pipe_dir, channel, epochs, sources, pause=None):
    args = [sys.executable, WRITER, str(pipe_dir), channel, str(epochs)] + list(sources)
    if pause:
        args += ["--pause", str(pause[0]), str(pause[1])]
    return subprocess.Popen(args)


@pytest.fixture
def no_real_package():
    try:
        import sagemaker_tensorflow  # noqa: F401
        pytest.skip("the real sagemaker_tensorflow is installed")
    except ImportError:
        pass


def test_pipe_mode_streams_each_epochs_fifo_record_by_record(tmp_path, monkeypatch, no_real_package,
                                                           crc):
    base = pipe_config(tmp_path / "opt_ml", "training")
    monkeypatch.setenv("SM_INPUT_DIR", str(base / "input"))
    monkeypatch.delenv("SM_CHANNEL_TRAINING", raising=False)
    first = write_records(tmp_path / "epoch0", [b"a0", b"a1", b"a2"])
    second = write_records(tmp_path / "epoch1", [b"b0", b"b1"])
    record_size = 8 + 4 + 2 + 4
    go = tmp_path / "go"
    writer = start_writer(base / "input" / "data", "training", 2, [first, second],
                          pause=(2 * record_size, go))
    # Should the reader wait for the whole stream, the writer goes on after 20 s and the
    # test fails instead of hanging.
    timer = threading.Timer(20, go.write_text, [u""])
    timer.start()
    try:
        with tf1.Graph().as_default():
            dataset = pipemode.PipeModeDataset("training").repeat(2)
            next_record = tf1.data.make_one_shot_iterator(dataset).get_next()
            with tf1.Session() as session:
                # The writer holds epoch 0 open after two records: they arrive anyway.
                assert [session.run(next_record) for _ in range(2)] == [b"a0", b"a1"]
                assert not go.exists(), "the first records only came when the stream ended"
                go.write_text(u"")
                # Then the rest of epoch 0, and .repeat() opens the next epoch's FIFO.
                assert [session.run(next_record) for _ in range(3)] == [b"a2", b"b0", b"b1"]
                with pytest.raises(real_tf.errors.OutOfRangeError):
                    session.run(next_record)
        assert writer.wait(30) == 0
    finally:
        timer.cancel()
        if writer.poll() is None:
            writer.kill()
            writer.wait()
    # The epoch count lives on for datasets built later in the job.
    assert (base / "pipe_state" / "training").read_text() == "2"


def _open_here(path):
    """Whether this process holds ``path`` open."""
    fds = "/proc/self/fd"
    for fd in os.listdir(fds):
        try:
            if os.readlink(os.path.join(fds, fd)) == str(path):
                return True
        except OSError:  # closed meanwhile
            pass
    return False


@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs /proc (Linux)")
def test_a_fifo_let_go_before_its_end_is_closed_at_once(tmp_path):
    """The reading thread closes the FIFO as soon as the dataset stops taking, even while
    the writer sends nothing (it would otherwise hold the writer, and the next epoch)."""
    records = [b"r%d" % i for i in range(4)]
    source = write_records(tmp_path / "epoch0", records)
    go = tmp_path / "go"
    writer = start_writer(tmp_path, "training", 1, [source], pause=(2 * (8 + 4 + 2 + 4), go))
    try:
        pipes = pipemode.EpochPipes("training", str(tmp_path), str(tmp_path / "state"))
        pieces = pipes.pieces()
        piece, starts, lengths = next(pieces)
        assert [piece[a:a + n] for a, n in zip(starts, lengths)] == records[:2]
        fifo = tmp_path / "training_0"
        assert _open_here(fifo)
        pieces.close()  # what tf.data does with an iterator it drops
        for _ in range(100):
            if not _open_here(fifo):
                break
            threading.Event().wait(0.05)
        assert not _open_here(fifo), "the FIFO stayed open after the dataset let it go"
    finally:
        go.write_text(u"")
        writer.kill()
        writer.wait()


def test_a_corrupt_record_in_a_fifo_fails_the_dataset(tmp_path, crc):
    source = write_records(tmp_path / "epoch0", [b"good", b"bad!", b"last"])
    with open(source, "rb") as handle:
        raw = bytearray(handle.read())
    raw[8 + 4 + 4 + 4 + 8 + 4] ^= 0xFF  # a byte of the second record's data
    with open(source, "wb") as handle:
        handle.write(bytes(raw))
    writer = start_writer(tmp_path, "training", 2, [source])
    try:
        pipes = pipemode.EpochPipes("training", str(tmp_path), str(tmp_path / "state"))
        with pytest.raises(pipemode.CorruptRecordError, match="training_0: record 1 is corrupt"):
            list(pipes.records())
        skipping = pipemode.EpochPipes("training", str(tmp_path), str(tmp_path / "state"), 1)
        assert list(skipping.records()) == [b"good", b"last"]
    finally:
        writer.kill()
        writer.wait()


def test_file_mode_channels_still_read_files(tmp_path, monkeypatch, no_real_package):
    base = pipe_config(tmp_path / "opt_ml", "training", mode="File")
    monkeypatch.setenv("SM_INPUT_DIR", str(base / "input"))
    channel = base / "input" / "data" / "training"
    channel.mkdir()
    write_records(channel / "part-0", [b"f0"])
    monkeypatch.setenv("SM_CHANNEL_TRAINING", str(channel))
    assert pipemode.input_mode("training") == "File"
    with tf1.Graph().as_default():
        record = tf1.data.make_one_shot_iterator(pipemode.PipeModeDataset("training")).get_next()
        with tf1.Session() as session:
            assert session.run(record) == b"f0"


CRC_FUNCTIONS = [pytest.param(pipemode.crc32c_python, id="pure-Python CRC")]
if pipemode.crc32c is not pipemode.crc32c_python:
    CRC_FUNCTIONS.append(pytest.param(pipemode.crc32c, id="compiled CRC"))


@pytest.fixture(params=CRC_FUNCTIONS)
def crc(request, monkeypatch):
    """Each test using it runs with the pure-Python fallback and with the compiled CRC."""
    monkeypatch.setattr(pipemode, "crc32c", request.param)
    return request.param


def test_corrupt_records_are_named_and_skipped_only_when_asked(tmp_path, crc):
    path = write_records(tmp_path / "records", [b"good", b"bad!", b"last"])
    with open(path, "rb") as handle:
        raw = bytearray(handle.read())
    raw[8 + 4 + 4 + 4 + 8 + 4] ^= 0xFF  # a byte of the second record's data
    with pytest.raises(pipemode.CorruptRecordError) as raised:
        list(pipemode.read_tfrecords(_stream(raw), "training_0"))
    assert "training_0: record 1 is corrupt" in str(raised.value)
    assert list(pipemode.read_tfrecords(_stream(raw), "training_0", max_corrupted=1)) == [
        b"good", b"last"]
    with pytest.raises(pipemode.CorruptRecordError, match="ended inside a record"):
        list(pipemode.read_tfrecords(_stream(raw[:-3]), "training_0", max_corrupted=1))
    length = struct.pack("<Q", 4)
    assert pipemode.masked_crc(length) == struct.unpack("<I", bytes(raw[8:12]))[0]


def test_a_corrupt_length_fails_after_the_records_before_it(tmp_path, crc):
    path = write_records(tmp_path / "records", [b"good", b"bad!", b"last"])
    with open(path, "rb") as handle:
        raw = bytearray(handle.read())
    raw[8 + 4 + 4 + 4 + 8] ^= 0xFF  # the second record's length checksum
    batches = pipemode.read_tfrecord_batches(_stream(raw), "training_0", max_corrupted=5)
    assert next(batches) == [b"good"]
    # A length that cannot be trusted is never skipped: nothing after it can be framed.
    with pytest.raises(pipemode.CorruptRecordError,
                       match="training_0: record 1 has a corrupted length"):
        next(batches)


def _stream(data):
    import io
    return io.BytesIO(bytes(data))


def test_both_crc32c_implementations_agree():
    import random
    rng = random.Random(0)
    blobs = [b"", b"123456789", b"\x00" * 32] + [
        bytes(bytearray(rng.getrandbits(8) for _ in range(rng.randint(1, 3000))))
        for _ in range(20)]
    assert pipemode.crc32c_python(b"123456789") == 0xE3069283  # the CRC-32C check value
    for blob in blobs:
        assert pipemode.crc32c(blob) == pipemode.crc32c_python(blob)


def test_the_compiled_crc32c_is_used_where_installed():
    try:
        import google_crc32c
    except ImportError:
        pytest.skip("google-crc32c is not installed: the fallback runs (tested above)")
    if google_crc32c.implementation != "c":
        pytest.skip("google-crc32c has no C extension here")
    assert pipemode.crc32c is google_crc32c.value
    assert pipemode.CRC32C_IMPLEMENTATION.startswith("google-crc32c")


class _Trickle(object):
    """A raw stream like a FIFO: each read returns at most ``piece`` bytes."""

    def __init__(self, data, piece):
        self.data, self.piece, self.reads = bytes(data), piece, 0

    def readinto(self, view):
        self.reads += 1
        size = min(len(view), self.piece, len(self.data))
        view[:size] = self.data[:size]
        self.data = self.data[size:]
        return size


def test_records_are_handed_on_in_batches_whatever_the_reads_return(tmp_path, crc, monkeypatch):
    records = [(b"%05d" % i) * (i % 7) for i in range(500)] + [b"x" * 70000]
    with open(write_records(tmp_path / "records", records), "rb") as handle:
        raw = handle.read()
    # Everything at once: one batch, not one hand-off per record.
    assert list(pipemode.read_tfrecord_batches(_stream(raw), "c_0")) == [records]
    # Reads cut through headers, data and footers; a record larger than a read is joined.
    monkeypatch.setattr(pipemode, "READ_SIZE", 1000)
    for piece in (1, 5, 13, 4096):
        batches = list(pipemode.read_tfrecord_batches(_Trickle(raw, piece), "c_0"))
        assert [r for batch in batches for r in batch] == records
        assert all(batches)
    assert list(pipemode.read_tfrecords(_Trickle(raw, 333), "c_0")) == records
    # A stream cut inside a record is an error, whatever the read sizes.
    for cut in (3, 12 + 4):
        with pytest.raises(pipemode.CorruptRecordError, match="ended inside a record"):
            list(pipemode.read_tfrecord_batches(_Trickle(raw[:-cut], 7), "c_0"))


def _examples(count):
    rng = __import__("numpy").random.RandomState(0)
    records = []
    for _ in range(count):
        x = rng.uniform(-1, 1, 7).astype("float32")
        feature = {"x": real_tf.train.Feature(float_list=real_tf.train.FloatList(value=x)),
                   "y": real_tf.train.Feature(float_list=real_tf.train.FloatList(
                       value=[float(x.sum())]))}
        records.append(real_tf.train.Example(
            features=real_tf.train.Features(feature=feature)).SerializeToString())
    return records


def test_a_container_job_trains_from_a_pipe_mode_channel(tmp_path, no_real_package):
    base = pipe_config(tmp_path / "opt_ml", "training")
    hyperparameters = {"sagemaker_program": "pipe_mode.py", "training_steps": 20,
                       "evaluation_steps": 2}
    (base / "input" / "config" / "hyperparameters.json").write_text(json.dumps(
        dict((k, json.dumps(v)) for k, v in hyperparameters.items())))
    (base / "code").mkdir()
    for name in ("pipe_mode.py", "tiny_model.py"):
        shutil.copy(script(name), str(base / "code" / name))
    source = write_records(tmp_path / "examples", _examples(40))
    writer = start_writer(base / "input" / "data", "training", 0, [source])
    try:
        run = run_cli(["train"], str(base), env={"LEGACY_COMPAT_BASE_DIR": str(base)})
    finally:
        writer.kill()
        writer.wait()
    assert run.returncode == 0, run.output[-4000:]
    assert os.path.exists(str(base / "output" / "success"))
    assert run.exports()
    # 20 steps of 16 from 40-record epochs for training, then evaluation's own epochs.
    assert int((base / "pipe_state" / "training").read_text()) >= 9
    assert "reading channel 'training' from %s (CRC-32C: %s)" % (
        base / "input" / "data" / "training_0", pipemode.CRC32C_IMPLEMENTATION) in run.output


def test_the_converters_copy_of_the_stand_in_needs_no_legacy_compat():
    # legacy-compat convert copies this stand-in into converted scripts, which run without us.
    from legacy_compat.convert import helpers
    text = helpers.support_module()
    assert "import legacy_compat" not in text and "from legacy_compat" not in text
    assert "import struct" in text and "def PipeModeDataset(" in text