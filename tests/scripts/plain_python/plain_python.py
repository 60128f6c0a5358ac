# A Legacy Mode script that uses plain Python, not just TensorFlow: its input functions read
# the CSV with the built-in open(), and at import it checks file(), function and class
# __dict__, generators, pickle and inspect on its own objects, as does its helper module.
# CPython 2 refuses most of these in restricted execution mode. The checks are written out
# here and in plain_helpers because restricted mode is decided frame by frame.
import inspect
import os
import pickle
import shutil
import sys
import tempfile

import numpy as np
import tensorflow as tf

import plain_helpers
from plain_helpers import Scaler

PY2 = sys.version_info[0] == 2


class Tally(object):
    def __init__(self, name):
        self.name = name
        self.count = 0


def steps(start):
    while start > 0:
        yield start
        start -= 1


def language_checks():
    done = []
    scratch = tempfile.mkdtemp()
    try:
        path = os.path.join(scratch, "note.txt")
        with open(path, "w") as handle:
            handle.write("written by the script\n")
        with open(path) as handle:
            assert handle.read() == "written by the script\n"
        done.append("open")
        if PY2:
            handle = file(path)  # noqa: F821 (Python 2 only)
            try:
                assert handle.readline() == "written by the script\n"
            finally:
                handle.close()
            done.append("file")
    finally:
        shutil.rmtree(scratch)

    language_checks.__dict__["checked"] = True
    assert language_checks.checked and language_checks.__globals__ is globals()
    done.append("function __dict__")
    tally = Tally("rows")
    assert "__init__" in Tally.__dict__ and tally.__dict__ == {"name": "rows", "count": 0}
    done.append("class __dict__")

    generator = steps(3)
    assert generator.gi_frame.f_locals["start"] == 3
    assert list(generator) == [3, 2, 1]
    done.append("generator")

    for obj in (tally, Scaler(0.5)):
        copy = pickle.loads(pickle.dumps(obj, 2))
        assert type(copy) is type(obj) and copy.__dict__ == obj.__dict__
    done.append("pickle")

    assert "def serving_input_fn(" in inspect.getsource(serving_input_fn)
    if PY2:
        assert inspect.getargspec(model_fn).args[:2] == ["features", "labels"]
    else:
        assert list(inspect.signature(model_fn).parameters)[:2] == ["features", "labels"]
    done.append("inspect")
    return done


def read_csv(path):
    with open(path) as handle:
        rows = [[float(cell) for cell in line.split(",")] for line in handle if line.strip()]
    data = np.array(rows, dtype=np.float32)
    return data[:, :7], data[:, 7]


def model_fn(features, labels, mode, hyperparameters):
    x = features["x"]
    predictions = tf.reshape(tf.layers.dense(x, 1, name="linear"), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"ages": predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    optimizer = tf.train.GradientDescentOptimizer(hyperparameters.get("learning_rate", 0.01))
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def _input(training_dir, name):
    x, y = read_csv(os.path.join(training_dir, name))
    # The helper reads the same file its own way (open() in its frames, a lazy sibling import).
    helper_x, helper_y = plain_helpers.read_csv(os.path.join(training_dir, name))
    assert len(helper_x) == len(x) and len(helper_y) == len(y)
    return {"x": tf.constant(x)}, tf.constant(y)


def train_input_fn(training_dir, hyperparameters):
    return _input(training_dir, "training_dataset.csv")


def eval_input_fn(training_dir, hyperparameters):
    return _input(training_dir, "evaluation_dataset.csv")


def serving_input_fn(hyperparameters):
    x = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({"x": x})()


sys.stdout.write("PLAIN-PYTHON %s: %s\n" % (__name__, ", ".join(language_checks())))
sys.stdout.flush()
