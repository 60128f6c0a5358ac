# Abalone age predictor: the model_fn example from the Legacy Mode documentation,
# as it ran in the SageMaker TensorFlow 1.x containers (Python 2.7). Run it with
#   legacy-compat train examples/abalone/abalone.py --channel examples/abalone/data
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

Dense = keras.layers.Dense

INPUT_TENSOR_NAME = 'inputs'


def model_fn(hyperparameters):
  features = {INPUT_TENSOR_NAME: keras.Input(shape=(7,), dtype=tf.float32, name=INPUT_TENSOR_NAME)}
  # Connect the first hidden layer to input layer
  # (features["x"]) with relu activation
  first_hidden_layer = Dense(10, activation='relu', name='first-layer')(features[INPUT_TENSOR_NAME])

  # Connect the second hidden layer to first hidden layer with relu
  second_hidden_layer = Dense(20, activation='relu')(first_hidden_layer)

  # Connect the output layer to second hidden layer (no activation fn)
  output_layer = Dense(1, activation='linear')(second_hidden_layer)

  # Reshape output layer to 1-dim Tensor to return predictions
  predictions = keras.ops.reshape(output_layer, [-1])

  model = keras.Model(features, predictions)
  # Calculate loss using mean squared error
  # Calculate root mean squared error as additional eval metric
  model.compile(optimizer=keras.optimizers.SGD(learning_rate=hyperparameters["learning_rate"]),
                loss=keras.losses.MeanSquaredError(),
                metrics=[keras.metrics.RootMeanSquaredError(name="rmse")])
  return model


def serving_input_fn(model):
    # defines the input placeholder
    @tf.function(input_signature=[
        {INPUT_TENSOR_NAME: tf.TensorSpec([None, 7], tf.float32, name=INPUT_TENSOR_NAME)}])
    def serve(features):
        return {"ages": model(features)}
    return serve


def train_input_fn(training_dir, hyperparameters):
    # invokes _input_fn with training dataset
    return _input_fn(training_dir, 'training_dataset.csv')


def eval_input_fn(training_dir, hyperparameters):
    # invokes _input_fn with evaluation dataset
    return _input_fn(training_dir, 'evaluation_dataset.csv')


def _input_fn(training_dir, training_filename):
    # reads the dataset using tf.dataset API
    training_set = keras_job.load_csv_without_header(
        filename=os.path.join(training_dir, training_filename), target_dtype=int,
        features_dtype=np.float32)

    # returns features x and labels y
    return tf.data.Dataset.from_tensor_slices((
        {INPUT_TENSOR_NAME: np.array(training_set.data)},
        np.array(training_set.target))).shuffle(1000).repeat().batch(128)


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
