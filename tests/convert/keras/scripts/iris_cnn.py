"""The layout of TensorFlow's own layers tutorial (cnn_mnist.py): a convolutional model_fn
with a predictions dict, a TRAIN branch returning its spec and the EVAL spec last; here on
the four iris measurements as a 2x2 image (Legacy Mode style, TF 1.x)."""
import os

import numpy as np
import tensorflow as tf


def model_fn(features, labels, mode, params):
    """Model function for CNN."""
    # Input Layer
    input_layer = tf.reshape(features["x"], [-1, 2, 2, 1])

    # Convolutional Layer #1 and Pooling Layer #1
    conv1 = tf.layers.conv2d(
        inputs=input_layer,
        filters=16,
        kernel_size=[2, 2],
        padding="same",
        activation=tf.nn.relu)
    pool1 = tf.layers.max_pooling2d(inputs=conv1, pool_size=[2, 2], strides=2)

    # Dense Layer
    pool1_flat = tf.reshape(pool1, [-1, 16])
    dense = tf.layers.dense(inputs=pool1_flat, units=32, activation=tf.nn.relu)
    dropout = tf.layers.dropout(
        inputs=dense, rate=0.1, training=mode == tf.estimator.ModeKeys.TRAIN)

    # Logits Layer
    logits = tf.layers.dense(inputs=dropout, units=3)

    predictions = {
        # Generate predictions (for PREDICT and EVAL mode)
        "classes": tf.argmax(input=logits, axis=1),
        # Add `softmax_tensor` to the graph. It is used for PREDICT.
        "probabilities": tf.nn.softmax(logits, name="softmax_tensor")
    }
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode=mode, predictions=predictions)

    # Calculate Loss (for both TRAIN and EVAL modes)
    loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)

    # Configure the Training Op (for TRAIN mode)
    if mode == tf.estimator.ModeKeys.TRAIN:
        optimizer = tf.train.GradientDescentOptimizer(learning_rate=params["learning_rate"])
        train_op = optimizer.minimize(
            loss=loss,
            global_step=tf.train.get_global_step())
        return tf.estimator.EstimatorSpec(mode=mode, loss=loss, train_op=train_op)

    # Add evaluation metrics (for EVAL mode)
    eval_metric_ops = {
        "accuracy": tf.metrics.accuracy(
            labels=labels, predictions=predictions["classes"])}
    return tf.estimator.EstimatorSpec(
        mode=mode, loss=loss, eval_metric_ops=eval_metric_ops)


def _load(directory, filename):
    data = np.loadtxt(os.path.join(directory, filename), delimiter=',', skiprows=1)
    return data[:, :4].astype(np.float32), data[:, 4].astype(np.int32)


def train_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_training.csv')
    return tf.estimator.inputs.numpy_input_fn(
        x={"x": features}, y=labels, batch_size=20, num_epochs=None, shuffle=True)()


def eval_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_test.csv')
    return tf.estimator.inputs.numpy_input_fn(
        x={"x": features}, y=labels, batch_size=20, num_epochs=None, shuffle=False)()


def serving_input_fn(params):
    inputs = {"x": tf.placeholder(tf.float32, [None, 4])}
    return tf.estimator.export.ServingInputReceiver(inputs, inputs)
