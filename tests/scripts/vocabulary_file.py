# A feature column over a vocabulary file, written for TF 1.5+: no vocabulary_size (TF 1.4
# required it). The channel holds colors.txt (one word per line) and data.csv (color,x,label).
import os

import numpy as np
import tensorflow as tf

import tiny_model


def _columns():
    vocabulary = os.path.join(os.environ['SM_CHANNEL_TRAINING'], 'colors.txt')
    color = tf.feature_column.categorical_column_with_vocabulary_file('color', vocabulary)
    return [tf.feature_column.indicator_column(color), tf.feature_column.numeric_column('x')]


def model_fn(features, labels, mode, hyperparameters):
    net = tf.feature_column.input_layer(features, _columns())
    predictions = tf.reshape(tf.layers.dense(net, 1), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'y': predictions})
    loss = tf.losses.mean_squared_error(tf.reshape(labels, [-1]), predictions)
    train_op = tf.train.GradientDescentOptimizer(0.01).minimize(
        loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)


def _input(training_dir):
    rows = np.genfromtxt(os.path.join(training_dir, 'data.csv'), delimiter=',', dtype=str)
    features = {'color': np.array([r[0] for r in rows]),
                'x': np.array([float(r[1]) for r in rows], dtype=np.float32)}
    labels = np.array([float(r[2]) for r in rows], dtype=np.float32)
    return tf.estimator.inputs.numpy_input_fn(features, labels, batch_size=4, num_epochs=None,
                                              shuffle=False)()


def train_input_fn(training_dir, hyperparameters):
    return _input(training_dir)


def eval_input_fn(training_dir, hyperparameters):
    return _input(training_dir)


def serving_input_fn(hyperparameters):
    color = tf.placeholder(tf.string, [None])
    x = tf.placeholder(tf.float32, [None])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({'color': color, 'x': x})()
