# Reads a setting through tf.app.flags, as TF 1 tutorials did. The flags parse sys.argv on
# first use; in the container that was ["entry.py", "train"], with no options to trip on.
import tensorflow as tf

from tiny_model import model_fn, numpy_input, serving_input_fn  # noqa: F401

tf.app.flags.DEFINE_string('csv_name', 'training_dataset.csv', 'file in the training channel')
FLAGS = tf.app.flags.FLAGS


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, FLAGS.csv_name)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
