# Records what each input function received, to test the binding rules. One pass over the
# data: the test leaves training_steps to its default (1000) and stops when the input ends.
import json
import os

import tensorflow as tf

from tiny_model import INPUT, load, model_fn  # noqa: F401  (model_fn: the contract's name)

DEFAULTS = ('training_steps', 'evaluation_steps', 'save_checkpoints_secs')


def one_pass(directory, name='training_dataset.csv'):
    x, y = load(directory, name)
    return tf.estimator.inputs.numpy_input_fn(x={INPUT: x}, y=y, num_epochs=1, shuffle=False,
                                              batch_size=32)()


def _record(name, **received):
    path = os.path.join(received['params']['record_dir'], name + '.json')
    if not os.path.exists(path):
        with open(path, 'w') as handle:
            json.dump(dict((k, v) for k, v in received.items() if k != 'params'), handle)


def train_input_fn(params, input_channels, batch=32, unknown_thing=None, other=7):
    _record('train', params=params, input_channels=input_channels, batch=batch,
            unknown_thing=unknown_thing, other=other, keys=sorted(params),
            defaults=dict((key, params.get(key)) for key in DEFAULTS))
    return one_pass(input_channels['train'])


def eval_input_fn(dir, channels, hyperparameters, mystery):
    _record('eval', params=hyperparameters, dir=dir, channels=channels, mystery=mystery,
            defaults=dict((key, hyperparameters.get(key)) for key in DEFAULTS))
    return one_pass(channels['train'], 'evaluation_dataset.csv')
