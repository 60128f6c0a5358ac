"""Prove a matrix cell works: plain TF trains, evaluates, predicts and exports a SavedModel.

No legacy_compat here (except, on TF 2.16+, the revived tf.estimator that the ``tf`` fixture
installs first): if this fails, the environment (not the project) is broken.
Python 2.7 compatible.
"""
import itertools
import os
import sys

import numpy as np

import tiny_model


def test_cell_is_what_nox_installed(tf):
    want_tf = os.environ.get("LEGACY_COMPAT_MATRIX_TF")
    want_python = os.environ.get("LEGACY_COMPAT_MATRIX_PYTHON")
    if want_tf:
        assert tf.__version__ == want_tf
    if want_python:
        assert "%d.%d" % sys.version_info[:2] == want_python


def test_project_is_importable():
    import legacy_compat

    assert legacy_compat.__version__


def test_estimator_train_evaluate_predict_export(tf, tmpdir):
    estimator = tiny_model.make_estimator(tf, tmpdir.join("model"))
    estimator.train(tiny_model.make_input_fn(tf), steps=5)

    metrics = estimator.evaluate(tiny_model.make_input_fn(tf), steps=1)
    assert metrics["global_step"] == 5
    assert set(["loss", "mae"]) <= set(metrics)

    # The constant-tensor input_fn never signals end of input: take one batch.
    predictions = list(itertools.islice(
        estimator.predict(tiny_model.make_predict_input_fn(tf)), len(tiny_model.X)))
    assert len(predictions) == len(tiny_model.X)
    assert predictions[0]["y"].shape == (1,)

    path = tiny_model.export(estimator, tmpdir.join("export"),
                             tiny_model.make_serving_input_receiver_fn(tf))
    files = tiny_model.saved_model_files(path)
    assert "saved_model.pb" in files and "variables" in files

    served = tiny_model.load_and_predict(tf, path, tiny_model.X)
    expected = np.array([p["y"] for p in predictions])
    np.testing.assert_allclose(served, expected, rtol=1e-5)


def test_training_continues_from_checkpoint(tf, tmpdir):
    model_dir = tmpdir.join("model")
    tiny_model.make_estimator(tf, model_dir).train(tiny_model.make_input_fn(tf), steps=3)
    estimator = tiny_model.make_estimator(tf, model_dir)
    estimator.train(tiny_model.make_input_fn(tf), max_steps=6)
    assert estimator.get_variable_value("global_step") == 6
