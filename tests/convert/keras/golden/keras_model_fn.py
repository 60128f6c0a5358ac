"""Keras model via keras_model_fn, input functions in the TF 1.4/1.5 style (Python 2.7)."""
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

INPUT_NAME = 'features'


def keras_model_fn(hyperparameters):
    model = keras.models.Sequential()
    model.add(keras.layers.InputLayer(shape=(4,), name=INPUT_NAME))
    # seeded initialisers make runs comparable (legacy-compat train vs. converted)
    model.add(keras.layers.Dense(16, activation='relu',
                    kernel_initializer=keras.initializers.glorot_uniform(seed=1)))
    model.add(keras.layers.Dense(
        3, activation='softmax', kernel_initializer=keras.initializers.glorot_uniform(seed=2)))
    model.compile(optimizer=keras.optimizers.SGD(
                      learning_rate=hyperparameters.get('learning_rate', 0.1)),
                  loss='sparse_categorical_crossentropy',
                  metrics=['accuracy'])
    return model


def _load(directory, filename):
    data = np.loadtxt(os.path.join(directory, filename), delimiter=',', skiprows=1)
    return data[:, :4].astype(np.float32), data[:, 4].astype(int)


def train_input_fn(dir, hyperpameters):
    # hyperpameters (sic) is not a name the container knew: it receives None
    assert hyperpameters is None
    features, labels = _load(dir, 'iris_training.csv')
    # TF 1.4/1.5 accepted an input *function* as the return value
    return tf.data.Dataset.from_tensor_slices(({INPUT_NAME: features}, labels)).repeat().batch(10)


def eval_input_fn(dir, hyperpameters):
    features, labels = _load(dir, 'iris_test.csv')
    return tf.data.Dataset.from_tensor_slices(({INPUT_NAME: features}, labels)).batch(10)


def serving_input_fn(model):
    @tf.function(
        input_signature=[{INPUT_NAME: tf.TensorSpec([None, 4], tf.float32, name=INPUT_NAME)}])
    def serve(features):
        return keras_job.named_outputs(model, model(features))
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
