# A Keras model compiled with a TF 1 optimizer, as many TF 1.x scripts did.
import os
import numpy as np
import tensorflow as tf
import keras

import keras_job


# From tiny_model.py, the helper module beside this script:
INPUT = 'inputs'


def load(directory, name='training_dataset.csv'):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    return data[:, :7], data[:, 7]


def numpy_input(directory, name='training_dataset.csv'):
    x, y = load(directory, name)
    return tf.data.Dataset.from_tensor_slices(({INPUT: x}, y)).shuffle(1000).repeat().batch(32)


def serving_input_fn(model):
    @tf.function(input_signature=[{INPUT: tf.TensorSpec([None, 7], tf.float32, name=INPUT)}])
    def serve(features):
        return keras_job.named_outputs(model, model(features))
    return serve


def keras_model_fn(hyperparameters):
    inputs = keras.layers.Input(shape=(7,), name=INPUT)
    output = keras.layers.Dense(1)(keras.layers.Dense(8, activation='relu')(inputs))
    model = keras.models.Model(inputs=inputs, outputs=output)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.01, epsilon=1e-08), loss='mse')
    return model


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')


# --- Script Mode entry point (legacy-compat convert --target keras) ---
if __name__ == "__main__":
    job = keras_job.Job()
    model = keras_model_fn(job.hyperparameters)
    # Resumes from the last checkpoint; SIGTERM: checkpoint, failure file, exit 143.
    checkpoint = keras_job.Checkpoint(job)
    steps = checkpoint.restore(model, job.training_steps)  # optimizer steps left
    if steps:
        model.fit(train_input_fn(job.training_dir, job.hyperparameters), epochs=1,
                  steps_per_epoch=steps, callbacks=[checkpoint], verbose=2)
    checkpoint.finish()
    metrics = model.evaluate(eval_input_fn(job.training_dir, job.hyperparameters),
                             steps=job.evaluation_steps, return_dict=True, verbose=2)
    job.save_metrics(metrics)
    job.export(model, serving_input_fn(model))
