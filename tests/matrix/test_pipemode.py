"""The PipeModeDataset stand-in on the real TF 1.x releases: FIFOs fed by a writer process.

Python 2.7 compatible.
"""
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WRITER = os.path.join(ROOT, "tests", "pipe_writer.py")


def test_pipe_mode_reads_one_fifo_per_epoch(tmpdir, tf, monkeypatch):
    from legacy_compat.portable import pipemode
    api = tf.compat.v1 if hasattr(getattr(tf, "compat", None), "v1") else tf
    writer_cls = getattr(getattr(tf, "io", None), "TFRecordWriter", None) or \
        tf.python_io.TFRecordWriter
    sources = []
    for epoch, records in enumerate([[b"a0", b"a1"], [b"b0"]]):
        path = str(tmpdir.join("epoch%d" % epoch))
        writer = writer_cls(path)
        for record in records:
            writer.write(record)
        writer.close()
        sources.append(path)
    config = tmpdir.join("input", "config").ensure(dir=True)
    config.join("inputdataconfig.json").write(json.dumps({"train": {"TrainingInputMode": "Pipe"}}))
    data = tmpdir.join("input", "data").ensure(dir=True)
    monkeypatch.setenv("SM_INPUT_DIR", str(tmpdir.join("input")))
    feeder = subprocess.Popen([sys.executable, WRITER, str(data), "train", "2"] + sources)
    try:
        with api.Graph().as_default():
            dataset = pipemode.PipeModeDataset("train").repeat(2)
            next_record = dataset.make_one_shot_iterator().get_next()
            with api.Session() as session:
                got = [session.run(next_record) for _ in range(3)]
        assert got == [b"a0", b"a1", b"b0"]
        assert feeder.wait() == 0
    finally:
        if feeder.poll() is None:
            feeder.kill()
            feeder.wait()
