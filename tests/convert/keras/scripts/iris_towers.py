"""An iris classifier whose model_fn network is not a chain: two towers over the input,
concatenated, a residual block, batch normalization and dropout switched by the mode, and
gradients clipped by hand (the Legacy Mode style of TF 1.x, Python 2.7 and 3)."""
import os

import numpy as np
import tensorflow as tf

INPUT_TENSOR_NAME = 'inputs'
NUM_CLASSES = 3


def model_fn(features, labels, mode, params):
    is_training = mode == tf.estimator.ModeKeys.TRAIN
    inputs = features[INPUT_TENSOR_NAME]
    # a wide tower and a normalised deep tower over the same measurements
    wide = tf.layers.dense(inputs, 16, activation=tf.nn.relu)
    deep = tf.layers.dense(inputs, 16)
    deep = tf.nn.relu(tf.layers.batch_normalization(deep, training=is_training))
    deep = tf.layers.dropout(deep, rate=params.get('dropout', 0.1), training=is_training)
    net = tf.concat([wide, deep], axis=1)
    # a residual block
    shortcut = net
    net = tf.layers.dense(net, 32, activation=tf.nn.relu)
    net = tf.layers.dense(net, 32)
    net = tf.nn.relu(net + shortcut)
    logits = tf.layers.dense(net, NUM_CLASSES)
    classes = tf.argmax(logits, 1)
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={
            'classes': classes, 'probabilities': tf.nn.softmax(logits)})

    loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)
    optimizer = tf.train.AdamOptimizer(params.get('learning_rate', 0.01))
    # the batch norm statistics are updated with each step
    update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
    with tf.control_dependencies(update_ops):
        gradients, variables = zip(*optimizer.compute_gradients(loss))
        gradients, _ = tf.clip_by_global_norm(gradients, 5.0)
        train_op = optimizer.apply_gradients(zip(gradients, variables),
                                             global_step=tf.train.get_global_step())
    eval_metric_ops = {'accuracy': tf.metrics.accuracy(labels, classes)}
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops=eval_metric_ops)


def _load(directory, filename):
    data = np.loadtxt(os.path.join(directory, filename), delimiter=',', skiprows=1)
    return data[:, :4].astype(np.float32), data[:, 4].astype(np.int32)


def train_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_training.csv')
    return tf.estimator.inputs.numpy_input_fn(
        x={INPUT_TENSOR_NAME: features}, y=labels, batch_size=16, num_epochs=None,
        shuffle=True)()


def eval_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_test.csv')
    return tf.estimator.inputs.numpy_input_fn(
        x={INPUT_TENSOR_NAME: features}, y=labels, batch_size=16, num_epochs=None,
        shuffle=False)()


def serving_input_fn(params):
    tensor = tf.placeholder(tf.float32, shape=[None, 4])
    return tf.estimator.export.build_raw_serving_input_receiver_fn(
        {INPUT_TENSOR_NAME: tensor})()
