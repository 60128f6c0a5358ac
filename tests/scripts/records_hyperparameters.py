# Records the hyperparameters its input function received (values and JSON types).
import json
import os

from tiny_model import model_fn, numpy_input, serving_input_fn  # noqa: F401


def train_input_fn(training_dir, hyperparameters):
    with open(os.path.join(hyperparameters['record_dir'], 'hyperparameters.json'), 'w') as handle:
        json.dump(hyperparameters, handle)
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
