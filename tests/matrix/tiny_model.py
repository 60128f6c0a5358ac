"""A tiny linear model written once for every TensorFlow release from 1.4 to 2.21.

Plain TensorFlow only (no legacy_compat): the matrix uses it to prove that an environment
trains, evaluates and exports, and the quirk probes use it as the known-good baseline.
Python 2.7 compatible.
"""
import os

import numpy as np

X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0], [7.0, 8.0]], dtype=np.float32)
Y = X.sum(axis=1, keepdims=True).astype(np.float32)


def v1(tf):
    """The graph-mode API: ``tf.compat.v1`` where it exists (1.13+), else ``tf``."""
    compat = getattr(tf, "compat", None)
    return compat.v1 if hasattr(compat, "v1") else tf


def make_model_fn(tf, export_outputs=True):
    api = v1(tf)

    def model_fn(features, labels, mode):
        x = features["x"] if isinstance(features, dict) else features
        w = api.get_variable("w", [2, 1], initializer=api.zeros_initializer())
        b = api.get_variable("b", [1], initializer=api.zeros_initializer())
        y = tf.matmul(x, w) + b
        predictions = {"y": y}
        if mode == tf.estimator.ModeKeys.PREDICT:
            outputs = None
            if export_outputs:
                outputs = {"serving_default": tf.estimator.export.PredictOutput(predictions)}
            return tf.estimator.EstimatorSpec(mode, predictions=predictions,
                                              export_outputs=outputs)
        loss = api.losses.mean_squared_error(labels, y)
        global_step = api.train.get_or_create_global_step()
        train_op = api.train.GradientDescentOptimizer(0.01).minimize(loss, global_step=global_step)
        metrics = {"mae": api.metrics.mean_absolute_error(labels, y)}
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                          eval_metric_ops=metrics, predictions=predictions)

    return model_fn


def make_input_fn(tf):
    def input_fn():
        return {"x": tf.constant(X)}, tf.constant(Y)

    return input_fn


def make_dataset_input_fn(tf):
    def input_fn():
        dataset = tf.data.Dataset.from_tensor_slices(({"x": X}, Y))
        return dataset.repeat().batch(2)

    return input_fn


def make_predict_input_fn(tf):
    def input_fn():
        return {"x": tf.constant(X)}

    return input_fn


def make_serving_input_receiver_fn(tf):
    api = v1(tf)

    def serving_input_receiver_fn():
        x = api.placeholder(tf.float32, [None, 2], name="x")
        return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})

    return serving_input_receiver_fn


def make_estimator(tf, model_dir, export_outputs=True, config=None):
    return tf.estimator.Estimator(make_model_fn(tf, export_outputs=export_outputs),
                                  model_dir=str(model_dir), config=config)


def export(estimator, export_dir, serving_input_receiver_fn):
    """``export_saved_model`` (1.13+) or ``export_savedmodel`` (<=1.15); returns a str path."""
    method = getattr(estimator, "export_saved_model", None) or estimator.export_savedmodel
    path = method(str(export_dir), serving_input_receiver_fn)
    return path.decode("utf-8") if isinstance(path, bytes) else path


def load_and_predict(tf, path, x):
    """Load a SavedModel into a fresh graph with the 1.x loader and run the serving signature."""
    api = v1(tf)
    with tf.Graph().as_default() as graph:
        with api.Session(graph=graph) as session:
            meta = api.saved_model.loader.load(session, ["serve"], path)
            signature = meta.signature_def["serving_default"]
            inputs = signature.inputs["x"].name
            outputs = signature.outputs["y"].name
            return session.run(outputs, feed_dict={inputs: x})


def saved_model_files(path):
    return sorted(os.listdir(path))
