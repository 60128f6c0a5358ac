# Keras from its two older homes inside TensorFlow: TF 1.0-1.3's tensorflow.contrib.keras.python.keras
# and TF 1.4-1.8's tensorflow.python.keras._impl.keras, including the lowercase optimizer alias.
from tensorflow.contrib.keras.python.keras.layers import Dense
from tensorflow.contrib.keras.python.keras.models import Model
from tensorflow.python.keras._impl.keras.engine.topology import Input
from tensorflow.python.keras._impl.keras.optimizers import rmsprop
import tensorflow.python.keras._impl.keras.layers.core as core_layers

import tiny_model
from tiny_model import numpy_input, serving_input_fn


def keras_model_fn(hyperparameters):
    # Functional; a Sequential starting with an InputLayer is keras_sequential_input_layer.py.
    inputs = Input(shape=(7,), name=tiny_model.INPUT)
    hidden = core_layers.Dense(8, activation='relu')(inputs)
    model = Model(inputs=inputs, outputs=Dense(1)(hidden))
    model.compile(optimizer=rmsprop(lr=hyperparameters.get('learning_rate', 0.01)), loss='mse')
    return model


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
