"""Each adapter rule against the real TensorFlow of this cell.

For every rule, a scenario written to trigger it (adapter_driver.py) runs twice in a fresh
process: with plain TensorFlow, where it must fail exactly on the releases that have the
quirk, and with ``import legacy_compat.patch``, where it must work on every release.
Python 2.7 compatible.
"""
import json
import os
import sys

import pytest

import subprocs

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "adapter_driver.py")


def drive(scenario, tmpdir, adapter):
    args = [sys.executable, DRIVER, scenario] + (["--adapter"] if adapter else [])
    args.append(str(tmpdir.join("adapter" if adapter else "raw")))
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    _, output = subprocs.run(args, "adapter scenario %s" % scenario, env=env)
    for line in output.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):]), output
    return None, output


QUIRKS = [
    # scenario, releases where plain TF fails, what the failure looks like
    ("input_fn_returns_callable", "all", "function"),
    ("input_fn_returns_dataset", "<1.5", "Dataset"),
    ("serving_input_fn_returns_callable", "all", "'function' object has no attribute 'features'"),
    ("predict_spec_without_export_outputs", "<1.10", "export_outputs must be a dict"),
    ("train_op_without_global_step", "all", "max_steps=5 never reached"),
    ("metric_with_mixed_float_types", "all", "float"),
    # Scripts of one end of TF 1.4-1.10 on the other (tests/fixtures/scripts, run as the container
    # did).
    ("contrib_map_and_batch_import", "<1.6", "cannot import name map_and_batch"),
    ("feature_column_on_unknown_rank", "<1.5", "Undefined input_tensor shape."),
    ("keras_int_labels", "<1.6", "requested dtype float32 for Tensor with dtype int64"),
    ("keras_sequential_input_layer", ">=1.8,<2.0",
     "'Sequential' object has no attribute 'train_function'"),
]


@pytest.mark.parametrize("scenario, versions, symptom", QUIRKS, ids=[q[0] for q in QUIRKS])
def test_quirk_on_raw_tf_and_fixed_by_the_adapter(scenario, versions, symptom, tmpdir, tf_version):
    from conftest import in_range

    raw, raw_output = drive(scenario, tmpdir, adapter=False)
    if raw is not None and "skipped" in raw:
        pytest.skip(raw["skipped"])
    if in_range(tf_version, versions):
        assert raw is None, "expected plain TF %s to fail:\n%s" % (tf_version, raw_output)
        assert symptom in raw_output, raw_output[-2000:]
    else:
        assert raw is not None, raw_output[-2000:]
    fixed, fixed_output = drive(scenario, tmpdir, adapter=True)
    assert fixed is not None, fixed_output[-3000:]


def test_numpy_input_results_still_train_with_the_adapter(tmpdir):
    result, output = drive("input_fn_returns_numpy", tmpdir, adapter=True)
    assert result == {"global_step": 3}, output[-2000:]


def test_global_step_fix_trains_exactly_the_target(tmpdir):
    result, output = drive("train_op_without_global_step", tmpdir, adapter=True)
    assert result == {"global_step": 5, "train_steps": 5}, output[-2000:]
    assert "does not advance the global step" in output


def test_adapter_does_not_change_a_correct_script(tmpdir):
    raw, raw_output = drive("correct_script_final_loss", tmpdir, adapter=False)
    fixed, fixed_output = drive("correct_script_final_loss", tmpdir, adapter=True)
    assert raw is not None and fixed is not None, raw_output[-2000:] + fixed_output[-2000:]
    assert raw == fixed


def test_activate_is_idempotent_and_deactivate_restores(tf):
    import legacy_compat.patch as patch
    from legacy_compat.patch import registry

    estimator_class = tf.estimator.Estimator
    # On TF 2.x tf.estimator.Estimator is EstimatorV2; the patched methods live on its base.
    owner = [klass for klass in estimator_class.__mro__ if "_call_model_fn" in vars(klass)][0]
    patch.activate()
    patch.activate()
    assert patch.is_active()
    patched = vars(owner)["_call_model_fn"]
    assert registry.is_patched(owner, "_call_model_fn")
    assert len([1 for o, n in registry.applied() if o is owner and n == "_call_model_fn"]) == 1
    patch.deactivate()
    assert not patch.is_active()
    assert not registry.is_patched(owner, "_call_model_fn")
    assert vars(owner)["_call_model_fn"] is patched.__wrapped__
    patch.activate()
    assert registry.is_patched(owner, "_call_model_fn")
