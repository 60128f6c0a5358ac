# A Keras regressor fed by TF 1.x input pipelines over TFRecord files: a queue reader
# (string_input_producer + TFRecordReader + shuffle_batch) for training, a tf.data pipeline
# read through a one-shot iterator in a helper for evaluation.
import os

import tensorflow as tf
import keras

import keras_job

FEATURES = {
    'x': tf.io.FixedLenFeature([7], tf.float32),
    'rings': tf.io.FixedLenFeature([1], tf.float32),
}


def keras_model_fn(hyperparameters):
    inputs = keras.layers.Input(shape=(7,), name='x')
    hidden = keras.layers.Dense(16, activation='relu')(inputs)
    model = keras.models.Model(inputs=inputs, outputs=keras.layers.Dense(1)(hidden))
    model.compile(optimizer=keras.optimizers.Adam(
        learning_rate=hyperparameters.get('learning_rate', 0.01), epsilon=1e-08), loss='mse')
    return model


def train_input_fn(training_dir, hyperparameters):
    def parse(serialized):
        # one example at a time; the queue batches them
        example = tf.io.parse_single_example(serialized, features=FEATURES)
        x, rings = example['x'], example['rings']
        return x, rings

    dataset = tf.data.TFRecordDataset([os.path.join(training_dir, 'training.tfrecords')]).repeat()
    dataset = dataset.map(parse)
    dataset = dataset.shuffle(100)
    return dataset.batch(16, drop_remainder=True).map(lambda xs, ys: ({'x': xs}, ys))


def _parse(serialized):
    example = tf.io.parse_single_example(serialized, features=FEATURES)
    return {'x': example['x']}, example['rings']


def _dataset_input(directory, name):
    dataset = tf.data.TFRecordDataset(os.path.join(directory, name)).map(_parse).batch(16)
    return dataset


def eval_input_fn(training_dir, hyperparameters):
    return _dataset_input(training_dir, 'evaluation.tfrecords')


def serving_input_fn(model):
    @tf.function(input_signature=[{'x': tf.TensorSpec([None, 7], tf.float32, name='x')}])
    def serve(features):
        return keras_job.named_outputs(model, model(features))
    return serve


if __name__ == "__main__":
    job = keras_job.Job()  # SageMaker's settings; fit: model.fit on Legacy Mode's schedule
    model = keras_model_fn(job.hyperparameters)
    job.fit(model, train_input_fn, eval_input_fn)
    job.export(model, serving_input_fn(model))
