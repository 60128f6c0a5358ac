# Builds the Keras model through the private tensorflow.python.keras path.
from tensorflow.python.keras.layers import Dense, Input
from tensorflow.python.keras.models import Model

import tiny_model
from tiny_model import numpy_input, serving_input_fn


def keras_model_fn(hyperparameters):
    inputs = Input(shape=(7,), name=tiny_model.INPUT)
    model = Model(inputs=inputs, outputs=Dense(1)(Dense(8, activation='relu')(inputs)))
    model.compile(optimizer='sgd', loss='mse')
    return model


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
