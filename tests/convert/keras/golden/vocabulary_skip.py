"""train.py's model with the input layer joined to the hidden layer's output (a skip
connection: a network that is not a chain of layer calls)."""
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job


class Network(keras.Model):
    def __init__(self, hyperparameters):
        super().__init__()
        # the vocabulary comes with the data
        vocabulary = os.path.join(os.environ['SM_CHANNEL_TRAINING'], 'colors.txt')
        features = {'color': keras.Input(shape=(1,), dtype="string", name='color'),
                    'x': keras.Input(shape=(1,), name='x')}
        color_indicator = keras.layers.StringLookup(vocabulary=vocabulary, num_oov_indices=1,
                                                    output_mode="one_hot")(features['color'])[:, 1:]
        # the columns in the order of their names, as TF 1.x's input layer
        self.net = keras.Model(
            features, keras.layers.Concatenate()([color_indicator, features['x']]))
        self.hidden = keras.layers.Dense(units=8, activation=tf.nn.relu)
        self.predictions_dense = keras.layers.Dense(units=1)

    def call(self, features, training=False):
        net = self.net(features)
        hidden = self.hidden(net)
        # the columns next to what the hidden layer made of them
        net = keras.ops.concatenate([net, hidden], 1)
        predictions = keras.ops.reshape(self.predictions_dense(net), [-1])
        return predictions


def model_fn(hyperparameters):
    model = Network(hyperparameters)
    model(model.net.input)  # builds the layers: a resumed job loads its checkpoint into them
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
