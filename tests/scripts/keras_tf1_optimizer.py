# A Keras model compiled with a TF 1 optimizer, as many TF 1.x scripts did.
import tensorflow as tf
import tiny_model
from tiny_model import numpy_input, serving_input_fn


def keras_model_fn(hyperparameters):
    inputs = tf.keras.layers.Input(shape=(7,), name=tiny_model.INPUT)
    output = tf.keras.layers.Dense(1)(tf.keras.layers.Dense(8, activation='relu')(inputs))
    model = tf.keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer=tf.train.AdamOptimizer(learning_rate=0.01), loss='mse')
    return model


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
