# Records what each input function received, to test the binding rules.
import json
import os

from tiny_model import model_fn, numpy_input


def _record(name, **received):
    path = os.path.join(received['params']['record_dir'], name + '.json')
    if not os.path.exists(path):
        with open(path, 'w') as handle:
            json.dump(dict((k, v) for k, v in received.items() if k != 'params'), handle)


def train_input_fn(params, input_channels, batch=32, unknown_thing=None, other=7):
    _record('train', params=params, input_channels=input_channels, batch=batch,
            unknown_thing=unknown_thing, other=other, keys=sorted(params))
    return numpy_input(input_channels['train'])()


def eval_input_fn(dir, channels, hyperparameters, mystery):
    _record('eval', params=hyperparameters, dir=dir, channels=channels, mystery=mystery)
    return numpy_input(channels['train'], 'evaluation_dataset.csv')()
