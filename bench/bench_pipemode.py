"""Pipe mode against File mode: the PipeModeDataset stand-in reading a FIFO, TF reading a file.

    python bench/bench_pipemode.py [--mb 150] [--record-bytes 4096] [--repeats 3] [--steps N]

1. Raw reading: every record of a --mb MB TFRecord file, once by ``tf.data.TFRecordDataset``
   from the file, once by the stand-in from a FIFO fed by tests/pipe_writer.py (as SageMaker
   feeds ``<channel>_<epoch>``), both batched by 256 and pulled through a v1 session; each
   a fresh child process, interleaved, paired ratio stand-in / TFRecordDataset.
2. A whole Legacy Mode job (``legacy-compat train``, container layout under a base dir)
   that trains one epoch of the same channel (parse_single_example, batch 128, a dense
   layer), once with the channel in File mode and once in Pipe mode; paired ratio Pipe / File.

The records are tf.train.Examples of about --record-bytes bytes (a float feature vector and a
label). Medians with their range; the load average is printed with them.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
WRITER = os.path.join(ROOT, "tests", "pipe_writer.py")
BATCH = 128

SCRIPT = '''\
import tensorflow as tf
from sagemaker_tensorflow import PipeModeDataset

WIDTH = %(width)d
FEATURES = {'x': tf.FixedLenFeature([WIDTH], tf.float32), 'y': tf.FixedLenFeature([], tf.float32)}


def _parse(record):
    parsed = tf.parse_single_example(record, FEATURES)
    return {'x': parsed['x']}, parsed['y']


def train_input_fn(training_dir, hyperparameters):
    dataset = PipeModeDataset(channel='training', record_format='TFRecord')
    return dataset.map(_parse).batch(%(batch)d)


def eval_input_fn(training_dir, hyperparameters):
    return tf.data.Dataset.from_tensors(({'x': tf.zeros([4, WIDTH])}, tf.zeros([4])))


def model_fn(features, labels, mode, hyperparameters):
    predictions = tf.reshape(tf.layers.dense(features['x'], 1), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'y': predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    train_op = tf.train.GradientDescentOptimizer(1e-4).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def serving_input_fn(hyperparameters):
    placeholder = tf.placeholder(tf.float32, [None, WIDTH])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({'x': placeholder})()
'''

READ = '''\
import os, sys, time
import tensorflow as tf
from legacy_compat.portable import pipemode
v1 = tf.compat.v1
v1.disable_eager_execution()
mode, path = sys.argv[1], sys.argv[2]
if mode == "file":
    dataset = tf.data.TFRecordDataset([path])
else:
    dataset = pipemode.PipeModeDataset("training")
batch = v1.data.make_one_shot_iterator(dataset.batch(256)).get_next()
count = 0
start = time.perf_counter()
with v1.Session() as session:
    try:
        while True:
            count += len(session.run(batch))
    except tf.errors.OutOfRangeError:
        pass
print("RESULT %d %.6f %s" % (count, time.perf_counter() - start, pipemode.CRC32C_IMPLEMENTATION))
'''


def write_channel(path, megabytes, record_bytes):
    import numpy as np
    import tensorflow as tf
    width = max(1, (record_bytes - 40) // 4)
    rng = np.random.RandomState(0)
    count = 0
    with tf.io.TFRecordWriter(path) as writer:
        while os.path.getsize(path) < megabytes * 1e6 if os.path.exists(path) else True:
            x = rng.uniform(-1, 1, (256, width)).astype(np.float32)
            for row in x:
                example = tf.train.Example(features=tf.train.Features(feature={
                    "x": tf.train.Feature(float_list=tf.train.FloatList(value=row)),
                    "y": tf.train.Feature(float_list=tf.train.FloatList(value=[row[:4].sum()]))}))
                writer.write(example.SerializeToString())
                count += 1
            writer.flush()
    return count, width


def _config(base, mode):
    config = os.path.join(base, "input", "config")
    os.makedirs(config, exist_ok=True)
    os.makedirs(os.path.join(base, "input", "data"), exist_ok=True)
    with open(os.path.join(config, "inputdataconfig.json"), "w") as handle:
        json.dump({"training": {"TrainingInputMode": mode}}, handle)


def _writer(base, source):
    return subprocess.Popen([sys.executable, WRITER, os.path.join(base, "input", "data"),
                             "training", "0", source])


def _timed(command, env):
    import resource
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.stderr.write(result.stdout[-3000:])
        raise SystemExit("benchmark command failed: %s" % " ".join(command))
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), result.stdout


def raw_read(work, source, mode, env):
    base = os.path.join(work, "read-" + mode)
    shutil.rmtree(base, ignore_errors=True)
    _config(base, "Pipe")
    writer = _writer(base, source) if mode == "pipe" else None
    try:
        env = dict(env, SM_INPUT_DIR=os.path.join(base, "input"))
        _, _, out = _timed([sys.executable, "-c", READ, mode, source], env)
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
    line = [l for l in out.splitlines() if l.startswith("RESULT ")][-1].split(" ", 3)
    return int(line[1]), float(line[2]), line[3]


def job(work, source, mode, steps, width, env):
    base = os.path.join(work, "job-" + mode)
    shutil.rmtree(base, ignore_errors=True)
    _config(base, mode)
    os.makedirs(os.path.join(base, "code"))
    with open(os.path.join(base, "code", "pipe_job.py"), "w") as handle:
        handle.write(SCRIPT % {"width": width, "batch": BATCH})
    hps = {"sagemaker_program": "pipe_job.py", "training_steps": steps, "evaluation_steps": 1}
    with open(os.path.join(base, "input", "config", "hyperparameters.json"), "w") as handle:
        json.dump(dict((k, json.dumps(v)) for k, v in hps.items()), handle)
    writer = None
    if mode == "File":
        channel = os.path.join(base, "input", "data", "training")
        os.makedirs(channel)
        os.link(source, os.path.join(channel, "part-0.tfrecord"))
    else:
        writer = _writer(base, source)
    try:
        wall, cpu, out = _timed([sys.executable, "-m", "legacy_compat", "train"],
                                dict(env, LEGACY_COMPAT_BASE_DIR=base))
    finally:
        if writer is not None:
            writer.kill()
            writer.wait()
    if not os.path.exists(os.path.join(base, "output", "success")):
        raise SystemExit("the %s-mode job wrote no success file:\n%s" % (mode, out[-3000:]))
    return wall, cpu


def _summary(values, unit="s"):
    return "%.2f %s (%.2f-%.2f)" % (statistics.median(values), unit, min(values), max(values))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=150)
    parser.add_argument("--record-bytes", type=int, default=4096)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--steps", type=int, default=0,
                        help="training steps of the job (default: one epoch of the channel)")
    parser.add_argument("--skip-job", action="store_true")
    parser.add_argument("--skip-read", action="store_true")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=ROOT, TF_CPP_MIN_LOG_LEVEL="2")
    work = tempfile.mkdtemp(prefix="bench-pipemode-")
    try:
        print("load average at the start: %.1f, %.1f, %.1f" % os.getloadavg())
        source = os.path.join(work, "channel.tfrecord")
        count, width = write_channel(source, args.mb, args.record_bytes)
        size = os.path.getsize(source) / 1e6
        print("channel: %.1f MB, %d records of %d bytes (%d floats)"
              % (size, count, os.path.getsize(source) // count, width))
        if not args.skip_read:
            times = {"file": [], "pipe": []}
            for index in range(args.repeats):
                for mode in ("file", "pipe") if index % 2 == 0 else ("pipe", "file"):
                    got, seconds, crc = raw_read(work, source, mode, env)
                    if got != count:
                        raise SystemExit("%s read %d records, not %d" % (mode, got, count))
                    times[mode].append(seconds)
            ratios = [p / f for p, f in zip(times["pipe"], times["file"])]
            print("raw read, %d interleaved pairs (CRC-32C: %s):" % (args.repeats, crc))
            print("  TFRecordDataset from the file: %s, %s"
                  % (_summary(times["file"]), _summary([size / t for t in times["file"]], "MB/s")))
            print("  stand-in from the FIFO:        %s, %s"
                  % (_summary(times["pipe"]), _summary([size / t for t in times["pipe"]], "MB/s")))
            print("  paired ratio stand-in / TFRecordDataset: %s (each: %s)"
                  % (_summary(ratios, "x"), ", ".join("%.2f" % r for r in ratios)))
        if not args.skip_job:
            steps = args.steps or count // BATCH
            walls = {"File": [], "Pipe": []}
            cpus = {"File": [], "Pipe": []}
            for index in range(args.repeats):
                for mode in ("File", "Pipe") if index % 2 == 0 else ("Pipe", "File"):
                    wall, cpu = job(work, source, mode, steps, width, env)
                    walls[mode].append(wall)
                    cpus[mode].append(cpu)
            ratios = [p / f for p, f in zip(walls["Pipe"], walls["File"])]
            print("legacy-compat train, %d steps of %d (one epoch), %d interleaved pairs:"
                  % (steps, BATCH, args.repeats))
            for mode in ("File", "Pipe"):
                print("  %s mode: wall %s, CPU %s" % (mode, _summary(walls[mode]),
                                                      _summary(cpus[mode])))
            print("  paired wall ratio Pipe / File: %s (each: %s)"
                  % (_summary(ratios, "x"), ", ".join("%.2f" % r for r in ratios)))
        print("load average at the end: %.1f, %.1f, %.1f" % os.getloadavg())
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
