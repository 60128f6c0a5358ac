# The dataset API as TF 1.2-1.4 scripts wrote it (tf.contrib.data readers, map with num_threads and
# output_buffer_size), plus tf.contrib.data.map_and_batch, which only TF 1.8+ had.
import os

import tensorflow as tf

import tiny_model

DEFAULTS = [[0.0]] * 8


def _parse(line):
    columns = tf.decode_csv(line, DEFAULTS)
    return tf.stack(columns[:7]), columns[7]


def _input(directory, name):
    lines = tf.contrib.data.TextLineDataset(os.path.join(directory, name))
    rows = lines.map(_parse, num_threads=2, output_buffer_size=16)
    return rows.repeat().apply(tf.contrib.data.map_and_batch(
        lambda x, y: ({tiny_model.INPUT: x}, y), 16))


def train_input_fn(training_dir, hyperparameters):
    return _input(training_dir, 'training_dataset.csv')


def eval_input_fn(training_dir, hyperparameters):
    return _input(training_dir, 'evaluation_dataset.csv')


# Defined here, not imported, so that `legacy-compat convert` finds the legacy entry point.
def model_fn(features, labels, mode, hyperparameters):
    return tiny_model.model_fn(features, labels, mode, hyperparameters)


def serving_input_fn(hyperparameters):
    return tiny_model.serving_input_fn(hyperparameters)
