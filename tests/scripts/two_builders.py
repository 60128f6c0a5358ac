# Defines both estimator_fn and model_fn: legacy precedence picks estimator_fn.
import tensorflow as tf
import tiny_model
from tiny_model import model_fn, numpy_input, serving_input_fn


def estimator_fn(run_config, hyperparameters):
    return tf.estimator.Estimator(model_fn=tiny_model.model_fn, params=hyperparameters,
                                  config=run_config)


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
