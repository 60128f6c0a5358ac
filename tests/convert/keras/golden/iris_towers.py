"""An iris classifier whose model_fn network is not a chain: two towers over the input,
concatenated, a residual block, batch normalization and dropout switched by the mode, and
gradients clipped by hand (the Legacy Mode style of TF 1.x, Python 2.7 and 3)."""
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

INPUT_TENSOR_NAME = 'inputs'
NUM_CLASSES = 3


class Network(keras.Model):
    """model_fn's network; call runs with training=True in fit, as in ModeKeys.TRAIN."""

    def __init__(self, params):
        super().__init__()
        self.wide = keras.layers.Dense(units=16, activation=tf.nn.relu)
        self.deep = keras.layers.Dense(units=16)
        self.deep_batch_normalization = keras.layers.BatchNormalization()
        self.deep_dropout = keras.layers.Dropout(rate=params.get('dropout', 0.1))
        self.net = keras.layers.Dense(units=32, activation=tf.nn.relu)
        self.net_dense = keras.layers.Dense(units=32)
        self.logits = keras.layers.Dense(units=NUM_CLASSES)

    def call(self, features, training=False):
        inputs = features[INPUT_TENSOR_NAME]
        # a wide tower and a normalised deep tower over the same measurements
        wide = self.wide(inputs)
        deep = self.deep(inputs)
        deep = keras.ops.relu(self.deep_batch_normalization(deep, training=training))
        deep = self.deep_dropout(deep, training=training)
        net = keras.ops.concatenate([wide, deep], 1)
        # a residual block
        shortcut = net
        net = self.net(net)
        net = self.net_dense(net)
        net = keras.ops.relu(net + shortcut)
        logits = self.logits(net)
        return logits


def model_fn(params):
    features = {INPUT_TENSOR_NAME: keras.Input(shape=(4,), dtype=tf.float32,
                                               name=INPUT_TENSOR_NAME)}
    model = Network(params)
    model(features)  # builds the layers: a resumed job loads its checkpoint into them
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=params.get('learning_rate', 0.01),
                                        epsilon=1e-08, global_clipnorm=5.0),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        metrics=[keras.metrics.SparseCategoricalAccuracy(name='accuracy')])
    return model


def _load(directory, filename):
    data = np.loadtxt(os.path.join(directory, filename), delimiter=',', skiprows=1)
    return data[:, :4].astype(np.float32), data[:, 4].astype(np.int32)


def train_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_training.csv')
    return tf.data.Dataset.from_tensor_slices(
        ({INPUT_TENSOR_NAME: features}, labels)).shuffle(1000).repeat().batch(16)


def eval_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_test.csv')
    return tf.data.Dataset.from_tensor_slices(
        ({INPUT_TENSOR_NAME: features}, labels)).repeat().batch(16)


def serving_input_fn(model):
    @tf.function(input_signature=[
        {INPUT_TENSOR_NAME: tf.TensorSpec([None, 4], tf.float32, name=INPUT_TENSOR_NAME)}])
    def serve(features):
        logits = model(features)
        classes = tf.argmax(logits, 1)
        return {'classes': classes, 'probabilities': tf.nn.softmax(logits)}
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
