# Defines all three builders: legacy precedence picks estimator_fn. The other two raise,
# so a runtime that called either (or built from model_fn) fails the job.
import tensorflow as tf
import tiny_model
from tiny_model import numpy_input, serving_input_fn  # noqa: F401


def estimator_fn(run_config, hyperparameters):
    return tf.estimator.Estimator(model_fn=tiny_model.model_fn, params=hyperparameters,
                                  config=run_config)


def keras_model_fn(hyperparameters):
    raise RuntimeError('keras_model_fn was called although estimator_fn takes precedence')


def model_fn(features, labels, mode, hyperparameters):
    raise RuntimeError('model_fn was called although estimator_fn takes precedence')


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
