import os
import numpy as np
import tensorflow as tf
import keras

import keras_job


# From tiny_model.py, the helper module beside this script:
INPUT = 'inputs'


def model_fn(params, features):
    """features: its keras.Input, shaped as the training data's (keras_job.feature_inputs)."""
    x = features[INPUT]
    predictions = keras.ops.reshape(
        keras.layers.Dense(units=1, name='linear')(keras.ops.cast(x, tf.float32)), [-1])

    model = keras.Model(features, predictions)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=params.get('learning_rate', 0.01)),
                  loss=keras.losses.MeanSquaredError(),
                  metrics=[keras.metrics.RootMeanSquaredError(name='rmse')])
    return model


def load(directory, name='training_dataset.csv'):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    return data[:, :7], data[:, 7]


def numpy_input(directory, name='training_dataset.csv'):
    x, y = load(directory, name)
    return tf.data.Dataset.from_tensor_slices(({INPUT: x}, y)).shuffle(1000).repeat().batch(32)


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = model_fn(job.hyperparameters, job.feature_inputs(train_input_fn))
    job.fit(model, train_input_fn, eval_input_fn)
