# A float32 Keras model fed float64 numpy arrays by its input functions (np.loadtxt's default
# dtype): TF 2.x Keras casts them, TF 1.4's model_to_estimator stopped on the dtype.
import os

import numpy as np
import tensorflow as tf

import tiny_model


def keras_model_fn(hyperparameters):
    inputs = tf.keras.layers.Input(shape=(7,), name=tiny_model.INPUT)
    output = tf.keras.layers.Dense(1)(tf.keras.layers.Dense(8, activation='relu')(inputs))
    model = tf.keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer='sgd', loss='mse')
    return model


def _arrays(directory, name):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',')
    return {tiny_model.INPUT: data[:32, :7]}, data[:32, 7:]


def train_input_fn(training_dir, hyperparameters):
    return _arrays(training_dir, 'training_dataset.csv')


def eval_input_fn(training_dir, hyperparameters):
    return _arrays(training_dir, 'evaluation_dataset.csv')


def serving_input_fn(hyperparameters):
    return tiny_model.serving_input_fn(hyperparameters)
