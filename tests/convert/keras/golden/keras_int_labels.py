# A binary classifier in Keras (sigmoid output, binary_crossentropy) trained from numpy_input_fn
# with int64 class labels, the way np.loadtxt-then-threshold scripts produce them. TF 1.6+
# casts the labels to the model's float type; TF 1.4 stopped on the dtype.
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

INPUT = 'inputs'


def keras_model_fn(hyperparameters):
    inputs = keras.layers.Input(shape=(7,), name=INPUT)
    hidden = keras.layers.Dense(8, activation='relu')(inputs)
    output = keras.layers.Dense(1, activation='sigmoid')(hidden)
    model = keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
    return model


def _input_fn(directory, name, shuffle):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    older = (data[:, 7:] > 8).astype(np.int64)  # 1 = more than 8 rings
    dataset = tf.data.Dataset.from_tensor_slices(({INPUT: data[:, :7]}, older))
    if shuffle:
        dataset = dataset.shuffle(1000)
    return dataset.repeat(None if shuffle else 1).batch(16)


def train_input_fn(training_dir, hyperparameters):
    return _input_fn(training_dir, 'training_dataset.csv', shuffle=True)


def eval_input_fn(training_dir, hyperparameters):
    return _input_fn(training_dir, 'evaluation_dataset.csv', shuffle=False)


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
