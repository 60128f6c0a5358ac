"""TensorFlow behaviour that differs between the releases legacy-compat supports.

Each test documents one quirk found by running the real releases (tests/matrix/QUIRKS.md) and
asserts it is present in exactly the releases named by its ``quirk`` marker, so a cell whose
TensorFlow behaves differently fails loudly.

The scenarios run in a fresh interpreter (``probes/behaviour.py`` and ``probes/api_surface.py``,
once per test session): other tests in this directory activate legacy_compat's patches in-process,
and these facts are about *plain* TensorFlow.  Python 2.7 compatible.
"""
import json
import os
import re
import subprocess
import sys

import pytest

import subprocs
from conftest import in_range

PROBES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probes")


def _probe(script):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.Popen([sys.executable, os.path.join(PROBES, script)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = subprocs.communicate(proc, "probe %s" % script)
    assert proc.returncode == 0, err.decode("utf-8", "replace")[-3000:]
    return [json.loads(line) for line in out.decode("utf-8").splitlines() if line.startswith("{")]


@pytest.fixture(scope="session")
def behaviour():
    return dict((r["scenario"], r) for r in _probe("behaviour.py"))


@pytest.fixture(scope="session")
def api_surface():
    return dict((r["name"], r["found"]) for r in _probe("api_surface.py") if "name" in r)


def run(behaviour, name):
    """Return the scenario's result; raise its recorded error as ``ScenarioFailed``."""
    record = behaviour[name]
    if not record["ok"]:
        raise ScenarioFailed(record["error"])
    return record["result"]


class ScenarioFailed(Exception):
    pass


def expect_error_by_release(behaviour, name, tf_version, table):
    """``table``: (releases, error type, pattern) rows; exactly one must cover this release."""
    rows = [row for row in table if in_range(tf_version, row[0])]
    assert len(rows) == 1, "%s: %d rows of %r cover TF %s; expected exactly one" % (
        name, len(rows), [row[0] for row in table], ".".join(map(str, tf_version)))
    expect_error(behaviour, name, rows[0][1], rows[0][2])


def expect_error(behaviour, name, error_type, pattern):
    record = behaviour[name]
    assert not record["ok"], "%s: expected %s, it worked" % (name, error_type)
    kind, _, message = record["error"].partition(": ")
    assert kind == error_type, record["error"]
    assert re.search(pattern, message), record["error"]


# --- behaviour -------------------------------------------------------------------------------

@pytest.mark.quirk("<1.10", "PREDICT EstimatorSpec without export_outputs cannot be exported")
def test_predict_spec_without_export_outputs(behaviour, quirk_present):
    if quirk_present:
        # 1.4.1: "export_outputs must be a dict."
        # 1.5.1-1.9.0: "export_outputs must be a dict and not<type 'NoneType'>"
        expect_error(behaviour, "predict_spec_without_export_outputs", "ValueError",
                     r"^export_outputs must be a dict")
    else:
        run(behaviour, "predict_spec_without_export_outputs")


@pytest.mark.quirk("<1.5", "a tf.data.Dataset returned by input_fn is not accepted")
def test_input_fn_returns_dataset(behaviour, quirk_present):
    if quirk_present:
        expect_error(behaviour, "input_fn_returns_dataset", "TypeError",
                     r"Failed to convert object of type .*Dataset'> to "
                     r"Tensor")
    else:
        run(behaviour, "input_fn_returns_dataset")


@pytest.mark.quirk("<1.10", "local train_and_evaluate rejects EvalSpec(throttle_secs=0)")
def test_eval_spec_throttle_secs_0(behaviour, quirk_present):
    if quirk_present:
        expect_error(behaviour, "eval_spec_throttle_secs_0", "ValueError",
                     r"eval_spec.throttle_secs should be positive, "
                     r"given: 0")
    else:
        # save_checkpoints_steps=2, max_steps=6: an evaluation + export after each checkpoint.
        assert run(behaviour, "eval_spec_throttle_secs_0") == {"evaluations": 3, "exports": 3}


# Quirks every release shows. There is no "absent" side to check, so each test names the error
# each range of releases raises: a release the table does not cover, or one whose error changed,
# fails here instead of passing on a marker that is always true.

@pytest.mark.quirk("all", "input_fn returning a function (not features/labels) fails in TF")
def test_input_fn_returns_callable(behaviour, tf_version):
    # TF itself never unwrapped it: on 1.4/1.5 the Legacy Mode container did (_function).
    expect_error_by_release(behaviour, "input_fn_returns_callable", tf_version, [
        ("<2.0", "TypeError",
         r"^Failed to convert object of type <(type|class) 'function'> to Tensor\. "
         r"Contents: <function (make_input_fn\.<locals>\.)?input_fn at 0x"),
        (">=2.0", "TypeError",
         r"^Failed to convert elements of <function make_input_fn\.<locals>\.input_fn at 0x"
         r"[0-9a-f]+> to Tensor"),
    ])


@pytest.mark.quirk("all", "serving_input_receiver_fn returning a function fails at export")
def test_serving_input_fn_returns_fn(behaviour, tf_version):
    expect_error_by_release(behaviour, "serving_input_fn_returns_fn", tf_version, [
        (">=1.4", "AttributeError", r"^'function' object has no attribute 'features'$"),
    ])


@pytest.mark.quirk("all", "Estimator rejects the 4-arg legacy model_fn signature")
def test_model_fn_with_hyperparameters_arg(behaviour, tf_version):
    expect_error_by_release(behaviour, "model_fn_with_hyperparameters_arg", tf_version, [
        (">=1.4", "ValueError",
         r"^model_fn \(<function model_fn at 0x[0-9a-f]+>\) has following not expected "
         r"args: \['hyperparameters'\]$"),
    ])


@pytest.mark.quirk("all", "RunConfig with both save_checkpoints_steps and _secs fails at build")
def test_runconfig_steps_and_secs(behaviour, tf_version):
    expect_error_by_release(behaviour, "runconfig_steps_and_secs", tf_version, [
        (">=1.4", "ValueError",
         r"^`save_checkpoints_steps` and `save_checkpoints_secs` cannot be both set\.$"),
    ])


@pytest.mark.quirk(">=2.0", "Estimator.export_savedmodel exists but raises; use export_saved_model")
def test_export_savedmodel_method(behaviour, quirk_present):
    if quirk_present:
        expect_error(behaviour, "export_savedmodel_method", "AttributeError",
                     r"`Estimator.export_savedmodel` has been "
                     r"deprecated. Please use `export_saved_model`")
    else:
        run(behaviour, "export_savedmodel_method")


def test_contrib_runconfig_with_core_estimator(behaviour, tf_version):
    """contrib RunConfig(save_checkpoints_steps=...) (secs default 600) trains a core Estimator."""
    if tf_version >= (2,):
        pytest.skip("no tf.contrib in TF 2")
    run(behaviour, "contrib_runconfig_steps_with_default_secs")


def test_tf_config_single_master(behaviour):
    """The Legacy Mode one-host TF_CONFIG (job 'master') reads the same on every release."""
    assert run(behaviour, "tf_config_single_master") == {
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
def test_api_availability(api_surface, tf, tf_version, name, present):
    expected = in_range(tf_version, present)
    assert api_surface["tf." + name] == expected, (
        "tf.%s: expected %s in releases %s, TF %s" % (
            name, "present" if expected else "absent", present, tf.__version__))
