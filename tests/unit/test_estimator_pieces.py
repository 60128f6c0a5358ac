"""legacy_compat.estimator on the default suite's TensorFlow.

The revival itself is exercised on TF 2.16 - 2.21 by tests/matrix/test_estimator_revival.py;
here: it stays out of the way on TF <= 2.15 (TF 2.16+ where the default suite runs on a
Python 3.12/3.13-only machine), and its pieces behave as documented.
"""

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT


def test_revives_only_where_tf_lacks_an_estimator():
    # The default suite runs on TF 2.15, or on TF 2.16+ on a Python 3.12/3.13-only machine.
    from legacy_compat import tfversion
    revives = tfversion.lacks_estimator(tfversion.installed())
    code = ("import sys, legacy_compat.estimator as e\n"
            "print(json.dumps([e.install(), e.is_installed(), 'tensorflow' in sys.modules,\n"
            "                  'TF_USE_LEGACY_KERAS' in __import__('os').environ]))")
    env = dict(os.environ, PYTHONPATH=ROOT)
    env.pop("TF_USE_LEGACY_KERAS", None)
    proc = subprocess.run([sys.executable, "-c", "import json\n" + code], env=env,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    # Where TF has its own estimator, TensorFlow is not even imported.
    assert json.loads(proc.stdout.decode().splitlines()[-1]) == [revives] * 4


def test_install_command_names_the_matching_tf_keras():
    from legacy_compat import tfversion
    from legacy_compat.estimator import install_command
    assert install_command(tfversion.parse("2.21.0")) == (
        'pip install "tensorflow-estimator==2.15.0" "protobuf<7" && '
        'pip install --no-deps "tf-keras~=2.21.0"')


def _run_config_with(tf_config):
    import tensorflow as tf
    os.environ["TF_CONFIG"] = json.dumps(tf_config)
    try:
        # Built without a strategy (TF 2.15's own estimator_training would handle one); our
        # init_run_config is then applied to the real RunConfig object.
        return tf.compat.v1.estimator.RunConfig()
    finally:
        del os.environ["TF_CONFIG"]


def test_one_machine_strategy_config_is_set_up_like_a_plain_one():
    from legacy_compat.tfapi import training
    config = _run_config_with({})
    training.init_run_config(config, {})
    assert config._distribute_coordinator_mode is None
    assert (config.task_type, config.task_id, config.is_chief) == ("worker", 0, True)
    assert config.num_worker_replicas == 1 and config.master == ""
    assert training.should_run_distribute_coordinator(config) is False


def test_coordinator_configs_are_refused_with_what_to_do():
    from legacy_compat.tfapi import training
    cluster = {"cluster": {"chief": ["localhost:2222"], "worker": ["localhost:2223"]},
               "task": {"type": "chief", "index": 0}}
    config = _run_config_with(cluster)
    with pytest.raises(training.UnsupportedDistribution) as error:
        training.init_run_config(config, cluster)
    message = str(error.value)
    assert "TF_CONFIG cluster" in message and "TensorFlow 2.15" in message
    assert "docs/tf-modern.md" in message

    class RemoteCluster(object):
        train_distribute = eval_distribute = None
        remote_cluster = {"worker": ["remote:2222"]}

    config = _run_config_with({})
    config._experimental_distribute = RemoteCluster()
    with pytest.raises(training.UnsupportedDistribution, match="remote_cluster"):
        training.init_run_config(config, {})
    config._distribute_coordinator_mode = "independent_worker"
    with pytest.raises(training.UnsupportedDistribution):
        training.should_run_distribute_coordinator(config)
    with pytest.raises(training.UnsupportedDistribution):
        training.estimator_train(None, None, [])


def test_tpu_stand_ins_import_but_fail_when_used():
    from legacy_compat.tfapi import standins
    module = standins.StandInModule("tensorflow.python.tpu.example", ("AdamParameters",))
    from_import = module.AdamParameters  # what `from m import Name` needs
    with pytest.raises(standins.UnsupportedTPUFeature, match="TensorFlow 2.15 or earlier"):
        from_import(learning_rate=0.1)
    with pytest.raises(AttributeError, match="tensorflow.python.tpu.example.TPUEmbedding"):
        module.TPUEmbedding
    assert not hasattr(module, "anything_else")
    # TF 2.15 still has the real modules: nothing is replaced.
    from legacy_compat.tfapi.revival import _module_exists
    assert standins.install(_module_exists) == []
