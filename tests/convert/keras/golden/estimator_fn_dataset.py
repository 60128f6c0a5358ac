"""Canned DNNClassifier built by estimator_fn, fed by tf.data (Python 2.7, TF 1.x)."""
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

FEATURES = ['sepal_length', 'sepal_width', 'petal_length', 'petal_width']


def keras_model_fn(params):
    # a graph-level seed makes runs comparable (legacy-compat train vs. converted)
    keras.utils.set_random_seed(params.get('seed', 0))
    inputs = {name: keras.Input(shape=(1,), name=name) for name in FEATURES}
    net = keras.layers.Concatenate()([inputs[key] for key in sorted(inputs)])
    for units in [10, 10]:
        net = keras.layers.Dense(units, activation="relu")(net)
    model = keras.Model(inputs, keras.layers.Dense(3)(net))
    model.compile(  # DNNClassifier's head (TF 1.x) sums the training loss over the batch
        optimizer=keras.optimizers.Adagrad(learning_rate=0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum"),
        metrics=[keras.metrics.SparseCategoricalAccuracy("accuracy"),
                 keras.metrics.SparseCategoricalCrossentropy("average_loss", from_logits=True)])
    return model


def _parse_line(line):
    fields = tf.io.decode_csv(line, [[0.0], [0.0], [0.0], [0.0], [0]])
    features = dict(zip(FEATURES, fields[:4]))
    return features, fields[4]


def _dataset(channel_dir, filename, batch_size, repeat):
    dataset = tf.data.TextLineDataset(os.path.join(channel_dir, filename)).skip(1)
    if repeat:
        dataset = dataset.repeat()
    return dataset.apply(tf.data.experimental.map_and_batch(_parse_line, batch_size))


def train_input_fn(params, input_channels):
    return _dataset(input_channels['training'], 'iris_training.csv',
                    params.get('batch_size', 10), repeat=True)


def eval_input_fn(params, input_channels):
    # load_csv_without_header is only used to check the file, like old scripts did
    check = keras_job.load_csv_without_header(
        os.path.join(input_channels['training'], 'iris_test_noheader.csv'),
        target_dtype=int, features_dtype=np.float32)
    assert len(check.data) > 0
    return _dataset(input_channels['training'], 'iris_test.csv', 10, repeat=False)


def serving_input_fn(model):
    spec = {name: tf.io.FixedLenFeature([1], tf.float32) for name in FEATURES}
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])
    def serve(inputs):
        features = tf.io.parse_example(inputs, spec)
        return keras_job.classes_and_scores(model(features), 3)
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
