# TF 1.4/1.5 style: input functions and serving_input_fn return functions.
import tensorflow as tf
import tiny_model
from tiny_model import model_fn, numpy_input


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')


def serving_input_fn(hyperparameters):
    placeholder = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({tiny_model.INPUT: placeholder})
