# Pipe mode: records arrive through PipeModeDataset (a stand-in reads local TFRecords).
import tensorflow as tf
from sagemaker_tensorflow import PipeModeDataset

import tiny_model

FEATURES = {
    'x': tf.FixedLenFeature([7], tf.float32),
    'y': tf.FixedLenFeature([], tf.float32),
}


def _parse(record):
    parsed = tf.parse_single_example(record, FEATURES)
    return {tiny_model.INPUT: parsed['x']}, parsed['y']


def _input(channel):
    dataset = PipeModeDataset(channel=channel, record_format='TFRecord')
    return dataset.map(_parse).repeat().batch(16)


def train_input_fn(training_dir, hyperparameters):
    return _input('training')


def eval_input_fn(training_dir, hyperparameters):
    return _input('training')


# Defined here, not imported, so that `legacy-compat convert` finds the legacy entry point.
def model_fn(features, labels, mode, hyperparameters):
    return tiny_model.model_fn(features, labels, mode, hyperparameters)


def serving_input_fn(hyperparameters):
    return tiny_model.serving_input_fn(hyperparameters)
