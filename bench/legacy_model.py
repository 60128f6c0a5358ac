# The model both runners train in bench_runtime.py: a legacy model_fn script.
# It spells the API as tf.compat.v1 so the hand-written baseline can import it
# directly on TF 2.x; under legacy-compat the same names resolve through the view.
import numpy as np
import tensorflow as _tf

tf = _tf.compat.v1
INPUT = 'inputs'
FEATURES = 32


def model_fn(features, labels, mode, params):
    hidden = tf.layers.dense(features[INPUT], 128, activation=tf.nn.relu)
    hidden = tf.layers.dense(hidden, 128, activation=tf.nn.relu)
    predictions = tf.reshape(tf.layers.dense(hidden, 1), [-1])
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'y': predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    train_op = tf.train.AdamOptimizer(1e-3).minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      eval_metric_ops={'rmse': tf.metrics.root_mean_squared_error(labels, predictions)})


def _data(seed):
    rng = np.random.RandomState(seed)
    x = rng.uniform(-1, 1, (4096, FEATURES)).astype(np.float32)
    y = (x[:, :4].sum(axis=1) + 0.1 * rng.normal(size=4096)).astype(np.float32)
    return x, y


def train_input_fn(training_dir, hyperparameters):
    x, y = _data(0)
    return tf.estimator.inputs.numpy_input_fn({INPUT: x}, y, batch_size=128, num_epochs=None, shuffle=True)()


def eval_input_fn(training_dir, hyperparameters):
    x, y = _data(1)
    return tf.estimator.inputs.numpy_input_fn({INPUT: x}, y, batch_size=128, num_epochs=1, shuffle=False)()


def serving_input_fn(hyperparameters):
    placeholder = tf.placeholder(tf.float32, [None, FEATURES])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({INPUT: placeholder})()
