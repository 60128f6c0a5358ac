"""Fixed-input scenarios for the tf.contrib stand-ins, run on a real TF 1.x and on ours.

``run_all(tf, workdir)`` takes the ``tensorflow`` a legacy script sees (the real TF 1.x in a
matrix cell; the TF 1.x view on TF 2.x) and returns {scenario: result or {"error": ...}}.
Results are plain JSON: values, shapes, dtypes and the variables each scenario created.

    .nox/matrix-tf1.10.1-py2.7/bin/python tests/matrix/probes/standin_scenarios.py \
        tests/fixtures/tf1_reference/tf1.10.1.json

Python 2.7 compatible.
"""
from __future__ import print_function

import json
import os
import sys
import tempfile

SCENARIOS = []
SEED = 1234


def scenario(function):
    SCENARIOS.append(function)
    return function


def _plain(value):
    import numpy as np
    if isinstance(value, np.ndarray):
        return {"values": value.tolist(), "shape": list(value.shape), "dtype": str(value.dtype)}
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return dict((str(k), _plain(v)) for k, v in value.items())
    return value


def _variables(tf):
    return {
        "global": sorted("%s %s %s" % (v.op.name, v.dtype.base_dtype.name, v.shape.as_list())
                         for v in tf.global_variables()),
        "trainable": sorted(v.op.name for v in tf.trainable_variables()),
        "local": sorted(v.op.name for v in tf.local_variables()),
    }


def _session(tf):
    session = tf.Session()
    session.run([tf.global_variables_initializer(), tf.local_variables_initializer()])
    return session


CSV_WITH_HEADER = "4,3,setosa,versicolor\n1.5,2.0,3.25,0\n4.0,5.5,6.0,1\n7.0,8.0,9.5,1\n0.5,0.25,1.0,0\n"
CSV_WITHOUT_HEADER = "1.5,2.0,3.25,0\n4.0,5.5,6.0,1\n7.0,8.0,9.5,2\n"


@scenario
def load_csv_with_header(tf, workdir):
    import numpy as np
    path = os.path.join(workdir, "with_header.csv")
    with open(path, "w") as out:
        out.write(CSV_WITH_HEADER)
    data = tf.contrib.learn.datasets.base.load_csv_with_header(path, np.int32, np.float32)
    return {"data": _plain(data.data), "target": _plain(data.target)}


@scenario
def load_csv_without_header(tf, workdir):
    import numpy as np
    path = os.path.join(workdir, "without_header.csv")
    with open(path, "w") as out:
        out.write(CSV_WITHOUT_HEADER)
    data = tf.contrib.learn.datasets.base.load_csv_without_header(path, np.int64, np.float64)
    return {"data": _plain(data.data), "target": _plain(data.target)}


def _regression(tf):
    x = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    y = tf.constant([[1.0], [2.0], [3.0]])
    w = tf.get_variable("w", initializer=tf.constant([[0.5], [-0.25]]))
    b = tf.get_variable("b", initializer=tf.constant([0.1]))
    return tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y)), w, b


def _optimize(tf, **kwargs):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(SEED)
        loss, w, b = _regression(tf)
        step = tf.train.get_or_create_global_step()
        train = tf.contrib.layers.optimize_loss(loss, step, **kwargs)
        session = _session(tf)
        losses = [session.run(train) for _ in range(3)]
        result = {"losses": _plain(losses), "w": _plain(session.run(w)),
                  "b": _plain(session.run(b)), "global_step": _plain(session.run(step)),
                  "variables": _variables(tf)}
        session.close()
    return result


@scenario
def optimize_loss_sgd(tf, workdir):
    return _optimize(tf, learning_rate=0.05, optimizer="SGD")


@scenario
def optimize_loss_adam_clipped(tf, workdir):
    return _optimize(tf, learning_rate=0.1, optimizer="Adam", clip_gradients=0.5)


@scenario
def optimize_loss_optimizer_instance(tf, workdir):
    return _optimize(tf, learning_rate=None, optimizer=tf.train.MomentumOptimizer(0.05, 0.9))


@scenario
def local_variable(tf, workdir):
    graph = tf.Graph()
    with graph.as_default():
        variable = tf.contrib.framework.local_variable([1.0, 2.0, 3.0], name="counts")
        session = _session(tf)
        value = session.run(variable)
        session.close()
        return {"value": _plain(value), "name": variable.op.name,
                "dtype": variable.dtype.base_dtype.name, "variables": _variables(tf)}


def _initialized(tf, initializer, shape):
    graph = tf.Graph()
    with graph.as_default():
        tf.set_random_seed(SEED)
        variable = tf.get_variable("v", shape=shape, initializer=initializer)
        session = _session(tf)
        value = session.run(variable)
        session.close()
    import numpy as np
    return {"shape": list(value.shape), "dtype": str(value.dtype),
            "mean": float(np.mean(value)), "std": float(np.std(value)),
            "min": float(np.min(value)), "max": float(np.max(value)),
            "values": value.ravel()[:8].tolist()}


@scenario
def xavier_uniform(tf, workdir):
    return _initialized(tf, tf.contrib.layers.xavier_initializer(seed=7), [64, 32])


@scenario
def xavier_normal(tf, workdir):
    return _initialized(tf, tf.contrib.layers.xavier_initializer(uniform=False, seed=7), [3, 3, 16, 32])


@scenario
def variance_scaling_fan_in_normal(tf, workdir):
    return _initialized(tf, tf.contrib.layers.variance_scaling_initializer(seed=7), [128, 64])


def _regularized(tf, regularizer):
    graph = tf.Graph()
    with graph.as_default():
        weights = tf.constant([[1.0, -2.0], [0.5, 3.0]])
        penalty = regularizer(weights)
        if penalty is None:
            return {"penalty": None}
        session = tf.Session()
        value = session.run(penalty)
        session.close()
        return {"penalty": _plain(value), "dtype": penalty.dtype.base_dtype.name}


@scenario
def l2_regularizer(tf, workdir):
    return _regularized(tf, tf.contrib.layers.l2_regularizer(0.1))


@scenario
def l1_regularizer(tf, workdir):
    return _regularized(tf, tf.contrib.layers.l1_regularizer(0.25))


@scenario
def l2_regularizer_zero_scale(tf, workdir):
    return _regularized(tf, tf.contrib.layers.l2_regularizer(0.0))


def _batches(tf, dataset):
    graph_value = dataset.make_one_shot_iterator().get_next()
    session = tf.Session()
    batches = []
    try:
        while True:
            batches.append(_plain(session.run(graph_value)))
    except tf.errors.OutOfRangeError:
        pass
    session.close()
    return batches


@scenario
def map_and_batch(tf, workdir):
    graph = tf.Graph()
    with graph.as_default():
        dataset = tf.data.Dataset.range(10).apply(
            tf.contrib.data.map_and_batch(lambda x: x * 2, 4))
        return {"batches": _batches(tf, dataset)}


@scenario
def contrib_dataset_map_num_threads(tf, workdir):
    path = os.path.join(workdir, "lines.txt")
    with open(path, "w") as out:
        out.write("1\n2\n3\n4\n5\n")
    graph = tf.Graph()
    with graph.as_default():
        lines = tf.contrib.data.TextLineDataset(path)
        numbers = lines.map(lambda line: tf.string_to_number(line) * 10.0, num_threads=2,
                            output_buffer_size=3)
        return {"batches": _batches(tf, numbers.batch(2))}


def run_all(tf, workdir=None):
    workdir = workdir or tempfile.mkdtemp()
    results = {}
    for function in SCENARIOS:
        try:
            results[function.__name__] = function(tf, workdir)
        except Exception as error:  # recorded: a scenario a release cannot run
            results[function.__name__] = {"error": "%s: %s" % (type(error).__name__, error)}
    return results


def main(argv):
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    tf.logging.set_verbosity(tf.logging.ERROR)
    results = {"tf": tf.__version__, "scenarios": run_all(tf)}
    text = json.dumps(results, indent=1, sort_keys=True) + "\n"
    if len(argv) > 1:
        with open(argv[1], "w") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
