"""The recorded TF 1.x surface, measured on both paths (view and converter) on TF 2.15.

The surface comes from the real TF 1.4.1 / 1.10.1 releases (tests/matrix/probes/tf1_surface.py);
coverage.json and docs/tf1-view.md are generated from it and must match what this TensorFlow
and these tables give today.
"""

import os
import subprocess
import sys

import pytest
import tensorflow as real_tf

from legacy_compat.tfview import UnsupportedTF1Import, coverage, surface, symbols

from conftest import run_user

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
pytestmark = pytest.mark.usefixtures("user_import_scope")


@pytest.fixture(scope="module")
def measured():
    if real_tf.__version__ != coverage.PINNED_TF:
        pytest.skip("coverage.json is measured on TF %s" % coverage.PINNED_TF)
    return coverage.measure()


def test_surface_recorded_from_both_ci_releases():
    assert surface.RELEASES == ("1.4.1", "1.10.1")
    for release in surface.RELEASES:
        data = surface.load(release)
        assert data["tf"] == release and data["python"] == "2.7"
        assert len(data["modules"]) > 500
    # Facts of the real releases the rest of the work relies on.
    assert surface.has("1.4.1", "tensorflow.python.keras._impl.keras.optimizers.rmsprop")
    assert not surface.has("1.10.1", "tensorflow.python.keras._impl.keras")
    assert surface.has("1.4.1", "tensorflow.contrib.data.TFRecordDataset")
    assert not surface.has("1.4.1", "tensorflow.contrib.data.map_and_batch")
    assert surface.has("1.10.1", "tensorflow.contrib.data.map_and_batch")


def test_coverage_file_matches_this_tensorflow_and_these_tables(measured):
    assert measured == coverage.load(), (
        "legacy_compat/tfview/surface/coverage.json is stale: run "
        "python -m legacy_compat.tfview.coverage, then python -m legacy_compat.tfview.docs > "
        "docs/tf1-view.md")


def test_view_provides_every_name_the_converter_rewrites_except_documented(measured):
    view = coverage.expand(measured["view"])
    convert = coverage.converter_statuses(measured)
    # The converter provides (renames or helps) but the view does not: nothing, by design,
    # since the view falls back to the converter's rename table.
    only_converter = sorted(p for p, s in convert.items() if s in coverage.PROVIDED_STATUSES
                            and view.get(p, "tf") not in coverage.PROVIDED_STATUSES)
    only_converter += sorted(p for p in coverage.expand(measured["disagree"])
                             if p not in view and convert.get(p, "tf") == "tf")
    assert only_converter == []


def test_every_name_is_classified_once(measured):
    total = sum(row["names"] for row in measured["groups"].values())
    assert total == len(coverage.surface_names())
    for row in measured["groups"].values():
        assert sum(row["view"].values()) == row["names"] == sum(row["convert"].values())


def test_keras_homes_are_fully_counted(measured):
    for home in ("tensorflow.contrib.keras.python.keras", "tensorflow.python.keras._impl.keras"):
        row = measured["groups"][home]
        assert row["view"]["tf"] + row["view"]["ours"] >= 0.75 * row["names"], row
        assert row["convert"]["tf"] >= 0.4 * row["names"], row


@pytest.mark.parametrize("home", ["tensorflow.contrib.keras.python.keras",
                                  "tensorflow.python.keras._impl.keras"])
def test_old_keras_homes_are_the_keras_model_to_estimator_takes(home):
    from legacy_compat import tfapi
    keras = tfapi.keras()  # Keras 2's v1 API: `keras` up to TF 2.15, `tf_keras` on TF 2.16+
    g = run_user("""
        from {0}.engine.topology import InputLayer, Input, Layer
        from {0}.layers import Dense
        from {0}.layers.core import Dense as CoreDense
        from {0}.models import Sequential
        from {0}.optimizers import rmsprop, sgd
        from {0} import backend
        import {0}.utils.np_utils as np_utils
    """.format(home))
    assert g["InputLayer"] is keras.layers.InputLayer and g["Input"] is keras.Input
    assert g["Dense"] is keras.layers.Dense is g["CoreDense"]
    assert g["Sequential"] is keras.Sequential
    assert g["rmsprop"] is keras.optimizers.RMSprop and g["sgd"] is keras.optimizers.SGD
    assert g["np_utils"].to_categorical is keras.utils.to_categorical
    model = g["Sequential"]([g["InputLayer"](input_shape=(3,)), g["Dense"](1)])
    model.compile(optimizer=g["rmsprop"](lr=0.01), loss="mse")
    estimator = real_tf.compat.v1.keras.estimator.model_to_estimator(keras_model=model)
    assert estimator.model_dir


def test_missing_name_says_which_releases_had_it():
    with pytest.raises(UnsupportedTF1Import) as caught:
        run_user("from tensorflow.python.keras._impl.keras.utils.io_utils import HDF5Matrix")
    message = str(caught.value)
    assert "existed in TF 1.4.1 (not in 1.10.1)" in message, message
    assert "check the spelling" not in message
    with pytest.raises(UnsupportedTF1Import) as caught:
        run_user("from tensorflow.contrib.keras import no_such_name")
    assert "check the spelling" in str(caught.value)


def test_refused_contrib_name_keeps_its_replacement():
    with pytest.raises(UnsupportedTF1Import) as caught:
        run_user("from tensorflow.contrib.slim import arg_scope")
    assert "tf_slim" in str(caught.value)


def test_generator_is_python2_compatible():
    python2 = os.path.expanduser("~/.pyenv/versions/2.7.18/bin/python")
    if not os.path.exists(python2):
        pytest.skip("no Python 2.7 here")
    for path in ("tests/matrix/probes/tf1_surface.py", "legacy_compat/tfview/surface/__init__.py",
                 "legacy_compat/tfview/keras_homes.py"):
        subprocess.run([python2, "-m", "py_compile", os.path.join(REPO, path)], check=True)
