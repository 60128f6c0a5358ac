# A Keras model compiled with a TF 1 optimizer, as many TF 1.x scripts did.
import os
import numpy as np
import tensorflow as tf
import keras

import keras_job


# From tiny_model.py, the helper module beside this script:
INPUT = 'inputs'


def load(directory, name='training_dataset.csv'):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    return data[:, :7], data[:, 7]


def numpy_input(directory, name='training_dataset.csv'):
    x, y = load(directory, name)
    return tf.data.Dataset.from_tensor_slices(({INPUT: x}, y)).shuffle(1000).repeat().batch(32)


def serving_input_fn(model):
    @tf.function(input_signature=[{INPUT: tf.TensorSpec([None, 7], tf.float32, name=INPUT)}])
    def serve(features):
        return keras_job.named_outputs(model, model(features))
    return serve


def keras_model_fn(hyperparameters):
    inputs = keras.layers.Input(shape=(7,), name=INPUT)
    output = keras.layers.Dense(1)(keras.layers.Dense(8, activation='relu')(inputs))
    model = keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08), loss='mse')
    return model


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
