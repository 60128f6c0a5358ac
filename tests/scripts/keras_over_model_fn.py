# Defines keras_model_fn and model_fn: legacy precedence picks keras_model_fn; model_fn raises,
# so a runtime that built from it fails the job.
import tensorflow as tf
import tiny_model
from tiny_model import numpy_input, serving_input_fn  # noqa: F401


def keras_model_fn(hyperparameters):
    inputs = tf.keras.layers.Input(shape=(7,), name=tiny_model.INPUT)
    model = tf.keras.models.Model(inputs=inputs, outputs=tf.keras.layers.Dense(1)(inputs))
    model.compile(optimizer='sgd', loss='mse')
    return model


def model_fn(features, labels, mode, hyperparameters):
    raise RuntimeError('model_fn was called although keras_model_fn takes precedence')


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
