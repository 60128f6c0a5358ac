# A legacy script for multi-host jobs. Every host counts the train steps it ran itself
# and writes them, with the shared global step it saw, to <output/data>/steps.json; the
# hyperparameters die_on_host / die_at_step / die_how make one host end mid-job.
# Python 2.7 compatible (it also runs in the TF 1.x matrix cells).
import io
import json
import os
import signal
import time

import numpy as np
import tensorflow as tf

HOST = os.environ.get('SM_CURRENT_HOST', 'algo-1')


class StepCounter(tf.train.SessionRunHook):
    def __init__(self, params):
        self.params = params

    def begin(self):
        self.runs = 0
        self.global_step = tf.train.get_global_step()

    def after_run(self, run_context, run_values):
        self.runs += 1
        if HOST == self.params.get('die_on_host') and self.runs >= self.params.get('die_at_step', 0):
            if self.params.get('die_how') == 'raise':
                raise RuntimeError('%s gave up at its step %d' % (HOST, self.runs))
            os.kill(os.getpid(), signal.SIGKILL)
        # Slow steps, so the worker (which TensorFlow starts 5 s late) trains alongside.
        time.sleep(self.params.get('step_secs', 0.02))

    def end(self, session):
        directory = os.environ['SM_OUTPUT_DATA_DIR']
        if not os.path.isdir(directory):
            os.makedirs(directory)
        with io.open(os.path.join(directory, 'steps.json'), 'wb') as handle:
            handle.write(json.dumps({'host': HOST, 'train_steps': self.runs,
                                     'global_step': int(session.run(self.global_step))}).encode())


def model_fn(features, labels, mode, hyperparameters):
    w = tf.get_variable('w', [3, 1], initializer=tf.zeros_initializer())
    b = tf.get_variable('b', [], initializer=tf.zeros_initializer())
    predictions = tf.reshape(tf.matmul(features['x'], w), [-1]) + b
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'y': predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(
        loss, global_step=tf.train.get_or_create_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                      training_hooks=[StepCounter(hyperparameters)])


def _input():
    x = np.random.RandomState(0).uniform(-1, 1, (64, 3)).astype(np.float32)
    return {'x': tf.constant(x)}, tf.constant(x.sum(axis=1))


def train_input_fn(training_dir, hyperparameters):
    return _input()


def eval_input_fn(training_dir, hyperparameters):
    return _input()


def serving_input_fn(hyperparameters):
    x = tf.placeholder(tf.float32, [None, 3])
    return tf.estimator.export.ServingInputReceiver({'x': x}, {'x': x})
