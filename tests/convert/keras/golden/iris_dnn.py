# Iris classifier with a pre-made DNNClassifier: the estimator_fn example from the
# Legacy Mode documentation. Run it with
#   legacy-compat train examples/iris_estimator/iris_dnn.py --channel examples/iris_estimator/data
import os

import numpy as np
import tensorflow as tf
import keras

import keras_job

INPUT_TENSOR_NAME = 'inputs'


def keras_model_fn(params):
    # Defines the features columns that will be the input of the estimator
    # Returns the instance of estimator.
    inputs = {INPUT_TENSOR_NAME: keras.Input(shape=(4,), name=INPUT_TENSOR_NAME)}
    net = inputs[INPUT_TENSOR_NAME]
    for units in [10, 20, 10]:
        net = keras.layers.Dense(units, activation="relu")(net)
    model = keras.Model(inputs, keras.layers.Dense(3)(net))
    model.compile(  # DNNClassifier's head (TF 1.x) sums the training loss over the batch
        optimizer=keras.optimizers.Adagrad(learning_rate=0.05),
        loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction="sum"),
        metrics=[keras.metrics.SparseCategoricalAccuracy("accuracy"),
                 keras.metrics.SparseCategoricalCrossentropy("average_loss", from_logits=True)])
    return model


def serving_input_fn(model):
    feature_spec = {INPUT_TENSOR_NAME: tf.io.FixedLenFeature(dtype=tf.float32, shape=[4])}
    @tf.function(input_signature=[tf.TensorSpec([None], tf.string, name="inputs")])
    def serve(inputs):
        features = tf.io.parse_example(inputs, feature_spec)
        return keras_job.classes_and_scores(model(features), 3)
    return serve


def train_input_fn(training_dir, params):
    """Returns input function that would feed the model during training"""
    return _generate_input_fn(training_dir, 'iris_training.csv')


def eval_input_fn(training_dir, params):
    """Returns input function that would feed the model during evaluation"""
    return _generate_input_fn(training_dir, 'iris_test.csv')


def _generate_input_fn(training_dir, training_filename):
    training_set = keras_job.load_csv_with_header(
        filename=os.path.join(training_dir, training_filename),
        target_dtype=int,
        features_dtype=np.float32)

    return tf.data.Dataset.from_tensor_slices((
        {INPUT_TENSOR_NAME: np.array(training_set.data)},
        np.array(training_set.target))).shuffle(1000).repeat().batch(128)


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
