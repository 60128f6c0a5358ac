# A Python 2.7 legacy script: print statements, old except syntax, iteritems.
import sys

import tiny_model
from tiny_model import model_fn, serving_input_fn


def train_input_fn(training_dir, hyperparameters):
    for key, value in hyperparameters.iteritems():
        if key == 'learning_rate':
            print "learning rate is", value
    try:
        return tiny_model.numpy_input(training_dir)()
    except IOError, error:
        print >>sys.stderr, "cannot read", error
        raise


def eval_input_fn(training_dir, hyperparameters):
    return tiny_model.numpy_input(training_dir, 'evaluation_dataset.csv')()
