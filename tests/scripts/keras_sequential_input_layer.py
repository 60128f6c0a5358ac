# A TF 1.4-era Keras script: Sequential model whose first layer is an explicit InputLayer,
# imported from TF 1.4-1.8's private Keras home. TF 1.8-1.12's model_to_estimator dropped
# that layer when it cloned the model, so the clone had no input ("'Sequential' object has
# no attribute 'train_function'").
import os

import numpy as np
import tensorflow as tf
from tensorflow.python.keras._impl.keras.engine.topology import InputLayer
from tensorflow.python.keras._impl.keras.layers import Dense
from tensorflow.python.keras._impl.keras.models import Sequential

INPUT = 'inputs'


def keras_model_fn(hyperparameters):
    model = Sequential([
        InputLayer(input_shape=(7,), name=INPUT),
        Dense(8, activation='relu'),
        Dense(1),
    ])
    model.compile(optimizer='rmsprop', loss='mse')
    return model


def _input_fn(directory, name, shuffle):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    return tf.estimator.inputs.numpy_input_fn(x={INPUT: data[:, :7]}, y=data[:, 7:],
                                              batch_size=16, num_epochs=None if shuffle else 1,
                                              shuffle=shuffle)


def train_input_fn(training_dir, hyperparameters):
    return _input_fn(training_dir, 'training_dataset.csv', shuffle=True)()


def eval_input_fn(training_dir, hyperparameters):
    return _input_fn(training_dir, 'evaluation_dataset.csv', shuffle=False)()


def serving_input_fn(hyperparameters):
    inputs = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.ServingInputReceiver({INPUT: inputs}, {INPUT: inputs})
