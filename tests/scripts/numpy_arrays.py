# Input functions that return raw numpy arrays (one batch each time).
import numpy as np
import tiny_model
from tiny_model import model_fn, serving_input_fn


def train_input_fn(training_dir, hyperparameters):
    x, y = tiny_model.load(training_dir)
    return {tiny_model.INPUT: x[:64]}, y[:64].astype(np.int)


def eval_input_fn(training_dir, hyperparameters):
    x, y = tiny_model.load(training_dir, 'evaluation_dataset.csv')
    return {tiny_model.INPUT: x}, y
