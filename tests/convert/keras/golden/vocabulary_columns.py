"""A model_fn over tf.feature_column.input_layer: the columns built by a helper, a vocabulary
file found in the training channel at run time (colors.txt, one word per line; data.csv rows
are color,x,label and hold colors the vocabulary lacks), a hidden layer, an RMSE metric
(Legacy Mode style, TF 1.5+: no vocabulary_size)."""
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job


def model_fn(hyperparameters):
    # the vocabulary comes with the data
    vocabulary = os.path.join(os.environ['SM_CHANNEL_TRAINING'], 'colors.txt')
    features = {'color': keras.Input(shape=(1,), dtype="string", name='color'),
                'x': keras.Input(shape=(1,), name='x')}
    color_indicator = keras.layers.StringLookup(
        vocabulary=vocabulary, num_oov_indices=1, output_mode="one_hot")(features['color'])[:, 1:]
    # the columns in the order of their names, as TF 1.x's input layer
    net = keras.layers.Concatenate()([color_indicator, features['x']])
    net = keras.layers.Dense(units=8, activation=tf.nn.relu)(net)
    predictions = keras.ops.reshape(keras.layers.Dense(units=1)(net), [-1])

    model = keras.Model(features, predictions)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=hyperparameters['learning_rate']),
                  loss=keras.losses.MeanSquaredError(),
                  metrics=[keras.metrics.RootMeanSquaredError(name='rmse')])
    return model


def _input(training_dir, shuffle):
    rows = np.genfromtxt(os.path.join(training_dir, 'data.csv'), delimiter=',', dtype=str)
    features = {'color': np.array([r[0] for r in rows]),
                'x': np.array([float(r[1]) for r in rows], dtype=np.float32)}
    labels = np.array([float(r[2]) for r in rows], dtype=np.float32)
    dataset = tf.data.Dataset.from_tensor_slices((features, labels))
    if shuffle:
        dataset = dataset.shuffle(1000)
    return dataset.repeat().batch(8)


def train_input_fn(training_dir, hyperparameters):
    return _input(training_dir, True)


def eval_input_fn(training_dir, hyperparameters):
    return _input(training_dir, False)


def serving_input_fn(model):
    @tf.function(input_signature=[{'color': tf.TensorSpec([None], tf.string, name='color'),
                                   'x': tf.TensorSpec([None], tf.float32, name='x')}])
    def serve(features):
        return {'y': model(features)}
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
