# Iris classifier with a pre-made DNNLinearCombinedClassifier (wide & deep): the measurements
# feed a linear part and a DNN, each trained by its estimator-default optimizer.
import os

import numpy as np
import tensorflow as tf

INPUT_TENSOR_NAME = 'inputs'


def estimator_fn(run_config, params):
    measurements = tf.feature_column.numeric_column(INPUT_TENSOR_NAME, shape=[4])
    return tf.estimator.DNNLinearCombinedClassifier(
        linear_feature_columns=[measurements],
        dnn_feature_columns=[measurements],
        dnn_hidden_units=[10, 20, 10],
        n_classes=3,
        config=run_config)


def serving_input_fn(params):
    feature_spec = {INPUT_TENSOR_NAME: tf.FixedLenFeature(dtype=tf.float32, shape=[4])}
    return tf.estimator.export.build_parsing_serving_input_receiver_fn(feature_spec)()


def train_input_fn(training_dir, params):
    return _generate_input_fn(training_dir, 'iris_training.csv')


def eval_input_fn(training_dir, params):
    return _generate_input_fn(training_dir, 'iris_test.csv')


def _generate_input_fn(training_dir, training_filename):
    training_set = tf.contrib.learn.datasets.base.load_csv_with_header(
        filename=os.path.join(training_dir, training_filename),
        target_dtype=np.int,
        features_dtype=np.float32)

    return tf.estimator.inputs.numpy_input_fn(
        x={INPUT_TENSOR_NAME: np.array(training_set.data)},
        y=np.array(training_set.target),
        num_epochs=None,
        shuffle=True)()
