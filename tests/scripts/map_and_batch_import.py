# A TF 1.8-era input pipeline: map_and_batch imported by name at the top of the script (TF 1.4
# and 1.5 do not have it, and the import runs when the script is loaded, before any training),
# reading the CSV files of the training channel line by line.
import os

import tensorflow as tf
from tensorflow.contrib.data import map_and_batch

FEATURES = 7
BATCH_SIZE = 16


def _parse(line):
    columns = tf.decode_csv(line, [[0.0]] * (FEATURES + 1))
    return {'inputs': tf.stack(columns[:FEATURES])}, columns[FEATURES]


def _dataset(training_dir, name, repeat):
    lines = tf.data.TextLineDataset(os.path.join(training_dir, name))
    if repeat:
        lines = lines.shuffle(256).repeat()
    return lines.apply(map_and_batch(_parse, BATCH_SIZE, num_parallel_batches=2))


def train_input_fn(training_dir, hyperparameters):
    return _dataset(training_dir, 'training_dataset.csv', repeat=True) \
        .make_one_shot_iterator().get_next()


def eval_input_fn(training_dir, hyperparameters):
    return _dataset(training_dir, 'evaluation_dataset.csv', repeat=False) \
        .make_one_shot_iterator().get_next()


def estimator_fn(run_config, hyperparameters):
    columns = [tf.feature_column.numeric_column('inputs', shape=[FEATURES])]
    return tf.estimator.DNNRegressor(feature_columns=columns, hidden_units=[8],
                                     config=run_config)


def serving_input_fn(hyperparameters):
    inputs = tf.placeholder(tf.float32, [None, FEATURES])
    return tf.estimator.export.ServingInputReceiver({'inputs': inputs}, {'inputs': inputs})
