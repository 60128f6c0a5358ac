# A Python 2.7 legacy script: print statements, old except syntax, iteritems.
import os
import sys

import numpy as np
import tensorflow as tf
import keras

import keras_job


# From tiny_model.py, the helper module beside this script:
INPUT = 'inputs'


def model_fn(params):
    features = {INPUT: keras.Input(shape=(7,), dtype=tf.float32, name=INPUT)}
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


def serving_input_fn(model):
    @tf.function(input_signature=[{INPUT: tf.TensorSpec([None, 7], tf.float32, name=INPUT)}])
    def serve(features):
        return {'ages': model(features)}
    return serve


def train_input_fn(training_dir, hyperparameters):
    for key, value in hyperparameters.items():
        if key == 'learning_rate':
            print("learning rate is", value)
    try:
        return numpy_input(training_dir)
    except IOError as error:
        print("cannot read", error, file=sys.stderr)
        raise


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
