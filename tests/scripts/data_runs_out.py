# train_input_fn reads its data once (num_epochs=1) while training_steps asks for more:
# on every release training stops when the data runs out, then evaluates and exports once.
import tiny_model
from tiny_model import load, serving_input_fn

import tensorflow as tf


def model_fn(features, labels, mode, hyperparameters):
    return tiny_model.model_fn(features, labels, mode, hyperparameters)


def train_input_fn(training_dir, hyperparameters):
    x, y = load(training_dir)
    return tf.estimator.inputs.numpy_input_fn(x={tiny_model.INPUT: x[:64]}, y=y[:64],
                                              batch_size=32, num_epochs=1, shuffle=False)()


def eval_input_fn(training_dir, hyperparameters):
    x, y = load(training_dir, 'evaluation_dataset.csv')
    return tf.estimator.inputs.numpy_input_fn(x={tiny_model.INPUT: x}, y=y, batch_size=32,
                                              num_epochs=1, shuffle=False)()
