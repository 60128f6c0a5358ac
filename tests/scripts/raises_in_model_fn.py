import tiny_model
from tiny_model import numpy_input


def model_fn(features, labels, mode, params):
    scale = params['scale_that_does_not_exist']
    return tiny_model.model_fn(features, labels, mode, params)


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()
