# A script that reads its vocabulary at import time from a path that is a folder: open()
# raises IOError / IsADirectoryError with errno 21 (EISDIR), and the legacy container exited
# with an exception's errno.
import os

from tiny_model import model_fn, numpy_input, serving_input_fn  # noqa: F401

VOCABULARY_FILE = os.path.dirname(os.path.abspath(__file__))
with open(VOCABULARY_FILE) as handle:
    VOCABULARY = handle.read().split()


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
