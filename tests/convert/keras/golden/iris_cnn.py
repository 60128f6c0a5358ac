"""The layout of TensorFlow's own layers tutorial (cnn_mnist.py): a convolutional model_fn
with a predictions dict, a TRAIN branch returning its spec and the EVAL spec last; here on
the four iris measurements as a 2x2 image (Legacy Mode style, TF 1.x)."""
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job


def model_fn(params):
    features = {"x": keras.Input(shape=(4,), dtype=tf.float32, name="x")}
    # Input Layer
    input_layer = keras.ops.reshape(features["x"], [-1, 2, 2, 1])

    # Convolutional Layer #1 and Pooling Layer #1
    conv1 = keras.layers.Conv2D(
        filters=16, kernel_size=[2, 2], padding="same", activation=tf.nn.relu)(input_layer)
    pool1 = keras.layers.MaxPooling2D(pool_size=[2, 2], strides=2)(conv1)

    # Dense Layer
    pool1_flat = keras.ops.reshape(pool1, [-1, 16])
    dense = keras.layers.Dense(units=32, activation=tf.nn.relu)(pool1_flat)
    dropout = keras.layers.Dropout(rate=0.1)(dense)

    # Logits Layer
    logits = keras.layers.Dense(units=3)(dropout)

    model = keras.Model(features, logits)
    # Calculate Loss (for both TRAIN and EVAL modes)
    # Configure the Training Op (for TRAIN mode)
    # Add evaluation metrics (for EVAL mode)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=params["learning_rate"]),
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=[keras.metrics.SparseCategoricalAccuracy(name="accuracy")])
    return model


def _load(directory, filename):
    data = np.loadtxt(os.path.join(directory, filename), delimiter=',', skiprows=1)
    return data[:, :4].astype(np.float32), data[:, 4].astype(np.int32)


def train_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_training.csv')
    return tf.data.Dataset.from_tensor_slices(
        ({"x": features}, labels)).shuffle(1000).repeat().batch(20)


def eval_input_fn(training_dir, params):
    features, labels = _load(training_dir, 'iris_test.csv')
    return tf.data.Dataset.from_tensor_slices(({"x": features}, labels)).repeat().batch(20)


def serving_input_fn(model):
    @tf.function(input_signature=[{"x": tf.TensorSpec([None, 4], tf.float32, name="x")}])
    def serve(features):
        logits = model(features)
        predictions = {
            # Generate predictions (for PREDICT and EVAL mode)
            "classes": tf.argmax(input=logits, axis=1),
            # Add `softmax_tensor` to the graph. It is used for PREDICT.
            "probabilities": tf.nn.softmax(logits, name="softmax_tensor")
        }
        return predictions
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
