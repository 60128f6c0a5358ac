"""What real legacy scripts do, each through ``legacy-compat train`` on the installed TF."""

import os

import numpy as np
import pytest

from conftest import example, script

tf = pytest.importorskip("tensorflow")
DATA = example("abalone", "data")


def test_keras_model_compiled_with_a_tf1_optimizer(train):
    run = train(script("keras_tf1_optimizer.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert "translated TF 1 optimizer AdamOptimizer to keras optimizer Adam(" in run.output
    assert len(run.exports()) == 1


def test_model_built_with_tensorflow_python_keras(train):
    run = train(script("python_keras.py"), channels=[DATA])
    assert run.returncode == 0, run.output
    assert len(run.exports()) == 1


def test_numpy_input_fn_with_np_int_targets(train):
    # The abalone example feeds np.int targets through tf.estimator.inputs.numpy_input_fn.
    run = train(example("abalone", "abalone.py"), channels=[DATA],
                hyperparameters={"learning_rate": 0.001})
    assert run.returncode == 0, run.output


def write_records(directory, name, rows):
    path = os.path.join(str(directory), name)
    with tf.io.TFRecordWriter(path) as writer:
        for x, y in rows:
            example_proto = tf.train.Example(features=tf.train.Features(feature={
                "x": tf.train.Feature(float_list=tf.train.FloatList(value=x)),
                "y": tf.train.Feature(float_list=tf.train.FloatList(value=[y])),
            }))
            writer.write(example_proto.SerializeToString())


def test_pipe_mode_dataset_reads_the_channel_records(train, tmp_path):
    channel = tmp_path / "pipe"
    channel.mkdir()
    rng = np.random.RandomState(0)
    for part in ("part-0.tfrecord", "part-1.tfrecord"):
        rows = [(rng.uniform(0, 1, 7).tolist(), float(rng.randint(3, 12))) for _ in range(40)]
        write_records(channel, part, rows)
    run = train(script("pipe_mode.py"), channels=[str(channel)])
    assert run.returncode == 0, run.output
    assert len(run.exports()) == 1
