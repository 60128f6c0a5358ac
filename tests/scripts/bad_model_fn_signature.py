from tiny_model import numpy_input


def model_fn(features, labels):
    return None


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()
