# Words read by a Python generator into tf.data without output_shapes (so the features have
# no static rank), looked up in the channel's vocabulary file and embedded for a DNNClassifier.
# TF 1.10 turns such features into sparse ids; TF 1.4 stopped with "Undefined input_tensor
# shape.". The channel holds colors.txt (one word per line) and data.csv (color,x,label).
import csv
import os

import tensorflow as tf

BATCH_SIZE = 8


def _vocabulary(training_dir):
    return os.path.join(training_dir, 'colors.txt')


def _rows(training_dir):
    def generate():
        with open(os.path.join(training_dir, 'data.csv')) as handle:
            for color, _, label in csv.reader(handle):
                yield color, [int(float(label))]  # one label per row, as the head wants
    return generate


def _input(training_dir, repeat):
    dataset = tf.data.Dataset.from_generator(_rows(training_dir), (tf.string, tf.int32))
    if repeat:
        dataset = dataset.repeat()
    words, labels = dataset.batch(BATCH_SIZE).make_one_shot_iterator().get_next()
    return {'color': words}, labels


def train_input_fn(training_dir, hyperparameters):
    return _input(training_dir, repeat=True)


def eval_input_fn(training_dir, hyperparameters):
    return _input(training_dir, repeat=False)


def estimator_fn(run_config, hyperparameters):
    vocabulary = _vocabulary(os.environ['SM_CHANNEL_TRAINING'])
    with open(vocabulary) as handle:
        size = sum(1 for _ in handle)
    color = tf.feature_column.categorical_column_with_vocabulary_file('color', vocabulary, size)
    embedded = tf.feature_column.embedding_column(color, dimension=4)
    return tf.estimator.DNNClassifier(feature_columns=[embedded], hidden_units=[8], n_classes=4,
                                      config=run_config)


def serving_input_fn(hyperparameters):
    color = tf.placeholder(tf.string, [None])
    return tf.estimator.export.ServingInputReceiver({'color': color}, {'color': color})
