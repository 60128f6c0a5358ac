"""The parity table: small Legacy Mode scripts, each run by `legacy-compat train` and converted.

Each script is put together from the pieces below (so every variant is written
once) and records what the container contract gave it, one JSON line per call,
in the file named by $PARITY_RECORD. Python 2.7 and 3, TF 1.4 to 2.15, so the
`train` side also runs in the matrix cells.
"""

COMMON = '''\
import json
import os

import numpy as np
import tensorflow as tf


def record(event, **data):
    data["event"] = event
    with open(os.environ["PARITY_RECORD"], "a") as handle:
        handle.write(json.dumps(data, sort_keys=True, default=str) + "\\n")


def features_and_labels():
    rng = np.random.RandomState(0)
    x = rng.rand(64, 3).astype(np.float32)
    y = x.dot(np.array([1.0, 2.0, 3.0], dtype=np.float32)).reshape(-1, 1)
    return tf.estimator.inputs.numpy_input_fn(
        {"x": x}, y, batch_size=16, num_epochs=None, shuffle=False)()
'''

BUILDERS = {
    "model_fn": '''

def model_fn(features, labels, mode, hyperparameters):
    record("model_fn", mode=mode, hyperparameters=hyperparameters)
    predictions = tf.layers.dense(features["x"], 1, name="linear")
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={"y": predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    train_op = tf.train.GradientDescentOptimizer(0.05).minimize(
        loss, global_step=tf.train.get_or_create_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
''',
    "keras_model_fn": '''

def keras_model_fn(hyperparameters):
    record("keras_model_fn", hyperparameters=hyperparameters)
    inputs = tf.keras.layers.Input(shape=(3,), name="x")
    model = tf.keras.models.Model(inputs, tf.keras.layers.Dense(1)(inputs))
    model.compile(optimizer="sgd", loss="mse")
    return model
''',
    "estimator_fn": '''

def estimator_fn(run_config, hyperparameters):
    record("estimator_fn", hyperparameters=hyperparameters, model_dir=run_config.model_dir)
    columns = [tf.feature_column.numeric_column("x", shape=[3])]
    return tf.estimator.LinearRegressor(feature_columns=columns, config=run_config)
''',
}

# Parameter lists the input functions declare; what they receive is recorded.
TRAIN_INPUT_FN = '''

def train_input_fn({parameters}):
    record("train_input_fn", arguments=dict({arguments}))
    return features_and_labels()
'''
EVAL_INPUT_FN = TRAIN_INPUT_FN.replace("train_input_fn", "eval_input_fn")

SERVING_INPUT_FN = '''

def serving_input_fn({parameters}):
    record("serving_input_fn", arguments=dict({arguments}))
    x = tf.placeholder(tf.float32, [None, 3])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({{"x": x}})()
'''

# name -> (builder, train_input_fn params, eval_input_fn params or None (train-only),
#          serving_input_fn params or None (no export), hyperparameters, environment)
CASES = {
    "model_fn": (
        "model_fn", "training_dir, hyperparameters", "dir, params, batch_size=8, unknown=None",
        "hyperparameters", {"training_steps": 6, "evaluation_steps": 2, "learning_rate": 0.05},
        {}),
    "keras_min_eval_frequency": (
        "keras_model_fn", "input_channels, params", "training_dir, hyperparameters",
        "", {"training_steps": 9, "evaluation_steps": 1, "min_eval_frequency": 3}, {}),
    "estimator_fn_tuning_job": (
        "estimator_fn", "channels, hyperparameters", "training_dir, hyperparameters",
        "hyperparameters",
        {"training_steps": 10, "evaluation_steps": 1, "train_steps_per_iteration": 4,
         "throttle_secs": 0, "checkpoint_path": "{root}/checkpoints",
         "_tuning_objective_metric": "loss"},
        {"TRAINING_JOB_NAME": "tuning-trial-7"}),
    "no_serving_input_fn_eval_delay": (
        "model_fn", "training_dir, hyperparameters", "training_dir, hyperparameters", None,
        {"training_steps": 6, "evaluation_steps": 1, "min_eval_frequency": 2,
         "eval_delay_secs": 3600, "save_checkpoints_steps": 3}, {}),
    "train_only": (
        "model_fn", "training_dir, hyperparameters", None, "", {"training_steps": 5}, {}),
}


def _function(template, parameters):
    names = [part.split("=")[0].strip() for part in parameters.split(",") if part.strip()]
    arguments = ", ".join("%s=%s" % (name, name) for name in names)
    return template.format(parameters=parameters, arguments=arguments)


def script(name):
    """The source of the legacy script for case ``name``."""
    builder, train_params, eval_params, serving_params, _, _ = CASES[name]
    parts = [COMMON, BUILDERS[builder], _function(TRAIN_INPUT_FN, train_params)]
    if eval_params is not None:
        parts.append(_function(EVAL_INPUT_FN, eval_params))
    if serving_params is not None:
        parts.append(_function(SERVING_INPUT_FN, serving_params))
    return "".join(parts)


def hyperparameters(name, root):
    """The case's hyperparameters, paths placed under ``root``."""
    return dict((key, value.replace("{root}", root) if isinstance(value, str) else value)
                for key, value in CASES[name][4].items())


def environment(name):
    return dict(CASES[name][5])


def trains_only(name):
    return CASES[name][2] is None
