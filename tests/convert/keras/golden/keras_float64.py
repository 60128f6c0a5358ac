# A float32 Keras model fed float64 numpy arrays by its input functions (np.loadtxt's default
# dtype): TF 2.x Keras casts them, TF 1.4's model_to_estimator stopped on the dtype.
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job



# From tiny_model.py, the helper module beside this script:
INPUT = 'inputs'


def keras_model_fn(hyperparameters):
    inputs = keras.layers.Input(shape=(7,), name=INPUT)
    output = keras.layers.Dense(1)(keras.layers.Dense(8, activation='relu')(inputs))
    model = keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer='sgd', loss='mse')
    return model


def _arrays(directory, name):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',')
    return tf.data.Dataset.from_tensors(({INPUT: data[:32, :7]}, data[:32, 7:])).repeat()


def train_input_fn(training_dir, hyperparameters):
    return _arrays(training_dir, 'training_dataset.csv')


def eval_input_fn(training_dir, hyperparameters):
    return _arrays(training_dir, 'evaluation_dataset.csv')


# From tiny_model.py (this script's serving_input_fn only returned its serving_input_fn):
def serving_input_fn(model):
    @tf.function(input_signature=[{INPUT: tf.TensorSpec([None, 7], tf.float32, name=INPUT)}])
    def serve(features):
        return keras_job.named_outputs(model, model(features))
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
