# A legacy script that records every global step it trains, for the stop-and-resume tests.
# Each process appends "<pid> <step>" lines to the file named by the hyperparameter
# record_file, one per step it trains, and sleeps step_sleep seconds per step so a test
# can signal it mid-training.
import os
import time

import numpy as np
import tensorflow as tf

import tiny_model
from tiny_model import numpy_input, serving_input_fn  # noqa: F401  (the contract's names)


def model_fn(features, labels, mode, params):
    spec = tiny_model.model_fn(features, labels, mode, params)
    if mode != tf.estimator.ModeKeys.TRAIN:
        return spec
    record_file = params['record_file']
    pause = float(params.get('step_sleep', 0))

    def record(after):
        # os.open, not open(): Python 2 refuses open() in user code run by legacy-compat
        # ("file() constructor not accessible in restricted mode"; reported separately).
        handle = os.open(record_file, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(handle, ('%d %d\n' % (os.getpid(), after - 1)).encode('ascii'))
        finally:
            os.close(handle)
        time.sleep(pause)
        return np.int64(after)

    # Read once the train op has advanced the step: each line is the one step just trained.
    with tf.control_dependencies([spec.train_op]):
        after = tf.identity(tf.train.get_global_step())
    recorded = tf.py_func(record, [after], tf.int64, stateful=True)
    return tf.estimator.EstimatorSpec(mode, loss=spec.loss, train_op=tf.group(recorded),
                                      eval_metric_ops=spec.eval_metric_ops)


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
