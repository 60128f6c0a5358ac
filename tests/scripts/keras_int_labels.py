# A binary classifier in Keras (sigmoid output, binary_crossentropy) trained from numpy_input_fn
# with int64 class labels, the way np.loadtxt-then-threshold scripts produce them. TF 1.6+
# casts the labels to the model's float type; TF 1.4 stopped on the dtype.
import os

import numpy as np
import tensorflow as tf

INPUT = 'inputs'


def keras_model_fn(hyperparameters):
    inputs = tf.keras.layers.Input(shape=(7,), name=INPUT)
    hidden = tf.keras.layers.Dense(8, activation='relu')(inputs)
    output = tf.keras.layers.Dense(1, activation='sigmoid')(hidden)
    model = tf.keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
    return model


def _input_fn(directory, name, shuffle):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    older = (data[:, 7:] > 8).astype(np.int64)  # 1 = more than 8 rings
    return tf.estimator.inputs.numpy_input_fn(x={INPUT: data[:, :7]}, y=older, batch_size=16,
                                              num_epochs=None if shuffle else 1, shuffle=shuffle)


def train_input_fn(training_dir, hyperparameters):
    return _input_fn(training_dir, 'training_dataset.csv', shuffle=True)()


def eval_input_fn(training_dir, hyperparameters):
    return _input_fn(training_dir, 'evaluation_dataset.csv', shuffle=False)()


def serving_input_fn(hyperparameters):
    inputs = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.ServingInputReceiver({INPUT: inputs}, {INPUT: inputs})
