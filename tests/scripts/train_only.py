# No eval_input_fn (train with --no-eval) and a serving_input_fn without parameters.
import tensorflow as tf

from tiny_model import INPUT, model_fn, numpy_input  # noqa: F401


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def serving_input_fn():
    placeholder = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({INPUT: placeholder})()
