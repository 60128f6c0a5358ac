# Training input that pauses after `gate_after` batches until the file named by the
# `gate` hyperparameter exists: lets a test act at a known point of a running job
# (stop the S3 server after the first checkpoint upload) without racing the clock.
import os
import time

import numpy as np
import tensorflow as tf

import tiny_model
from tiny_model import model_fn, serving_input_fn


def train_input_fn(training_dir, hyperparameters):
    x, y = tiny_model.load(training_dir)
    # gate -> the batch count at which training waits for that file
    gates = {}
    if hyperparameters.get('gate'):
        gates[hyperparameters.get('gate_after', 15)] = hyperparameters['gate']
    if hyperparameters.get('second_gate'):
        gates[hyperparameters['second_gate_after']] = hyperparameters['second_gate']

    def batches():
        count = 0
        while True:
            if count in gates:
                deadline = time.time() + 300
                while not os.path.exists(gates[count]) and time.time() < deadline:
                    time.sleep(0.1)
            start = (count * 16) % (len(x) - 16)
            yield {tiny_model.INPUT: x[start:start + 16]}, y[start:start + 16]
            count += 1

    dataset = tf.data.Dataset.from_generator(
        batches, ({tiny_model.INPUT: tf.float32}, tf.float32),
        ({tiny_model.INPUT: tf.TensorShape([16, 7])}, tf.TensorShape([16])))
    return dataset


def eval_input_fn(training_dir, hyperparameters):
    x, y = tiny_model.load(training_dir, 'evaluation_dataset.csv')
    return tf.estimator.inputs.numpy_input_fn(x={tiny_model.INPUT: x}, y=y, num_epochs=1,
                                              shuffle=False, batch_size=32)
