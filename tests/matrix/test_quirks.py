"""TensorFlow behaviour that differs between the releases legacy-compat supports.

Each test documents one quirk found by running the real releases (tests/matrix/QUIRKS.md) and
asserts it is present in exactly the releases named by its ``quirk`` marker, so a cell whose
TensorFlow behaves differently fails loudly.  The scenario code is shared with
``probes/behaviour.py``.  Python 2.7 compatible.
"""
import os
import sys

import pytest

from conftest import in_range

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "probes"))
import behaviour  # noqa: E402

sys.path.pop(0)


def run(tf, tmpdir, name):
    with tf.Graph().as_default():
        return behaviour.SCENARIOS[name](tf, str(tmpdir))


def has(tf, dotted):
    obj = tf
    try:
        for part in dotted.split("."):
            obj = getattr(obj, part)
    except (AttributeError, ImportError):
        return False
    return True


# --- behaviour -------------------------------------------------------------------------------

@pytest.mark.quirk("<1.10", "PREDICT EstimatorSpec without export_outputs cannot be exported")
def test_predict_spec_without_export_outputs(tf, tmpdir, quirk_present):
    if quirk_present:
        # 1.4.1: "export_outputs must be a dict."
        # 1.5.1-1.9.0: "export_outputs must be a dict and not<type 'NoneType'>"
        with pytest.raises(ValueError, match=r"^export_outputs must be a dict"):
            run(tf, tmpdir, "predict_spec_without_export_outputs")
    else:
        run(tf, tmpdir, "predict_spec_without_export_outputs")


@pytest.mark.quirk("<1.5", "a tf.data.Dataset returned by input_fn is not accepted")
def test_input_fn_returns_dataset(tf, tmpdir, quirk_present):
    if quirk_present:
        with pytest.raises(TypeError, match=r"Failed to convert object of type .*Dataset'> to "
                                            r"Tensor"):
            run(tf, tmpdir, "input_fn_returns_dataset")
    else:
        run(tf, tmpdir, "input_fn_returns_dataset")


@pytest.mark.quirk("all", "input_fn returning a function (not features/labels) fails in TF")
def test_input_fn_returns_callable(tf, tmpdir, quirk_present):
    # TF itself never unwrapped it: on 1.4/1.5 the Legacy Mode container did (_function).
    assert quirk_present
    with pytest.raises(TypeError, match=r"Failed to convert (object of type|elements of) "
                                        r"<.*function.*> to Tensor"):
        run(tf, tmpdir, "input_fn_returns_callable")


@pytest.mark.quirk("all", "serving_input_receiver_fn returning a function fails at export")
def test_serving_input_fn_returns_fn(tf, tmpdir, quirk_present):
    assert quirk_present
    with pytest.raises(AttributeError, match=r"'function' object has no attribute 'features'"):
        run(tf, tmpdir, "serving_input_fn_returns_fn")


@pytest.mark.quirk("all", "Estimator rejects the 4-arg legacy model_fn signature")
def test_model_fn_with_hyperparameters_arg(tf, tmpdir, quirk_present):
    assert quirk_present
    with pytest.raises(ValueError, match=r"has following not expected args: \['hyperparameters'\]"):
        run(tf, tmpdir, "model_fn_with_hyperparameters_arg")


@pytest.mark.quirk("<1.10", "local train_and_evaluate rejects EvalSpec(throttle_secs=0)")
def test_eval_spec_throttle_secs_0(tf, tmpdir, quirk_present):
    if quirk_present:
        with pytest.raises(ValueError, match=r"eval_spec.throttle_secs should be positive, "
                                             r"given: 0"):
            run(tf, tmpdir, "eval_spec_throttle_secs_0")
    else:
        # save_checkpoints_steps=2, max_steps=6: an evaluation + export after each checkpoint.
        assert run(tf, tmpdir, "eval_spec_throttle_secs_0") == {"evaluations": 3, "exports": 3}


@pytest.mark.quirk("all", "RunConfig with both save_checkpoints_steps and _secs fails at build")
def test_runconfig_steps_and_secs(tf, tmpdir, quirk_present):
    assert quirk_present
    with pytest.raises(ValueError, match=r"`save_checkpoints_steps` and `save_checkpoints_secs` "
                                         r"cannot be both set"):
        run(tf, tmpdir, "runconfig_steps_and_secs")


@pytest.mark.quirk(">=2.0", "Estimator.export_savedmodel exists but raises; use export_saved_model")
def test_export_savedmodel_method(tf, tmpdir, quirk_present):
    if quirk_present:
        with pytest.raises(AttributeError, match=r"`Estimator.export_savedmodel` has been "
                                                 r"deprecated. Please use `export_saved_model`"):
            run(tf, tmpdir, "export_savedmodel_method")
    else:
        run(tf, tmpdir, "export_savedmodel_method")


def test_contrib_runconfig_with_core_estimator(tf, tf_version, tmpdir):
    """contrib RunConfig(save_checkpoints_steps=...) (secs default 600) trains a core Estimator."""
    if tf_version >= (2,):
        pytest.skip("no tf.contrib in TF 2")
    run(tf, tmpdir, "contrib_runconfig_steps_with_default_secs")


def test_tf_config_single_master(tf, tmpdir):
    """The Legacy Mode one-host TF_CONFIG (job 'master') reads the same on every release."""
    assert run(tf, tmpdir, "tf_config_single_master") == {
        "task_type": "master", "is_chief": True, "num_worker_replicas": 1, "master": ""}


# --- API availability --------------------------------------------------------------------------
# (dotted name under ``tf``, releases of the matrix that have it)
API = [
    ("contrib.learn.Experiment", "<2.0"),
    ("contrib.learn.learn_runner.run", "<2.0"),
    ("contrib.learn.RunConfig", "<2.0"),
    ("contrib.learn.utils.saved_model_export_utils.make_export_strategy", "<2.0"),
    ("contrib.training.HParams", "<2.0"),
    ("contrib.data.Dataset", "<1.7"),
    ("data.Dataset", "all"),
    ("data.experimental", ">=2.0"),
    ("estimator.train_and_evaluate", "all"),
    ("estimator.TrainSpec", "all"),
    ("estimator.EvalSpec", "all"),
    ("estimator.LatestExporter", "all"),
    ("estimator.FinalExporter", "all"),
    ("estimator.BestExporter", ">=1.9"),
    ("estimator.export.TensorServingInputReceiver", ">=1.7"),
    ("estimator.Estimator.export_savedmodel", "all"),  # but raises on 2.x, see above
    ("estimator.Estimator.export_saved_model", ">=2.0"),
    ("estimator.inputs.numpy_input_fn", "<2.0"),
    ("compat.v1.estimator.inputs.numpy_input_fn", ">=2.0"),
    ("train.get_or_create_global_step", "<2.0"),
    ("compat.v1.train.get_or_create_global_step", ">=2.0"),
    ("train.Server", "<2.0"),
    ("distribute.Server", ">=2.0"),
    ("keras.estimator.model_to_estimator", "all"),
    ("saved_model.loader.load", "<2.0"),
    ("compat.v1", ">=2.0"),
    ("logging.set_verbosity", "<2.0"),
    ("gfile.Exists", "<2.0"),
    ("io.gfile.exists", ">=2.0"),
]


@pytest.mark.parametrize("name,present", API, ids=[name for name, _ in API])
def test_api_availability(tf, tf_version, name, present):
    assert has(tf, name) == in_range(tf_version, present), (
        "tf.%s: expected %s in releases %s, TF %s" % (
            name, "present" if in_range(tf_version, present) else "absent", present,
            tf.__version__))
