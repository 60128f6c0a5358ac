# A small Keras regression model: the keras_model_fn example. The legacy
# container turned the compiled model into an Estimator with model_to_estimator.
# Run it with
#   legacy-compat train examples/keras_regressor/keras_regressor.py --channel examples/keras_regressor/data
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

# TensorFlow Serving's default input name; model_to_estimator matches the
# feature dict keys against the Keras input layer names.
INPUT_TENSOR_NAME = 'inputs'


def keras_model_fn(hyperparameters):
    inputs = keras.layers.Input(shape=(3,), name=INPUT_TENSOR_NAME)
    hidden = keras.layers.Dense(16, activation='relu')(inputs)
    output = keras.layers.Dense(1)(hidden)
    model = keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer=keras.optimizers.SGD(
                      learning_rate=hyperparameters.get('learning_rate', 0.05)),
                  loss='mean_squared_error', metrics=['mae'])
    return model


def serving_input_fn(model):
    @tf.function(input_signature=[
        {INPUT_TENSOR_NAME: tf.TensorSpec([None, 3], tf.float32, name=INPUT_TENSOR_NAME)}])
    def serve(features):
        return keras_job.named_outputs(model, model(features))
    return serve


def train_input_fn(training_dir, hyperparameters):
    return _input_fn(os.path.join(training_dir, 'train.csv'), shuffle=True)


def eval_input_fn(training_dir, hyperparameters):
    return _input_fn(os.path.join(training_dir, 'eval.csv'), shuffle=False)


def _input_fn(path, shuffle):
    data = np.loadtxt(path, delimiter=',', dtype=np.float32)
    features = {INPUT_TENSOR_NAME: data[:, :3]}
    labels = data[:, 3:]
    dataset = tf.data.Dataset.from_tensor_slices((features, labels))
    if shuffle:
        dataset = dataset.shuffle(256).repeat()
    return dataset.batch(32)


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
