# Shared pieces for the test scripts. It is a helper module next to the scripts,
# so it also proves that helper modules get the TF 1.x view.
import os

import numpy as np
import tensorflow as tf

INPUT = 'inputs'


def model_fn(features, labels, mode, params):
    x = features[INPUT] if isinstance(features, dict) else features
    predictions = tf.reshape(tf.layers.dense(tf.cast(x, tf.float32), 1, name='linear'), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'ages': predictions})
    labels = tf.cast(tf.reshape(labels, [-1]), tf.float32)
    loss = tf.losses.mean_squared_error(labels, predictions)
    optimizer = tf.train.GradientDescentOptimizer(params.get('learning_rate', 0.01))
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(
        mode, loss=loss, train_op=train_op,
        eval_metric_ops={'rmse': tf.metrics.root_mean_squared_error(labels, predictions)})


def load(directory, name='training_dataset.csv'):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    return data[:, :7], data[:, 7]


def numpy_input(directory, name='training_dataset.csv'):
    x, y = load(directory, name)
    return tf.estimator.inputs.numpy_input_fn(x={INPUT: x}, y=y, num_epochs=None,
                                              shuffle=True, batch_size=32)


def serving_input_fn(params):
    placeholder = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({INPUT: placeholder})()
