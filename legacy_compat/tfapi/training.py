"""What tensorflow-estimator 2.15 expects at ``tensorflow.python.distribute.estimator_training``.

TensorFlow 2.16 deleted that module. The estimator package calls four things from it:

* ``init_run_config(config, tf_config)`` from ``RunConfig.__init__``, only when a
  distribution strategy (``train_distribute`` / ``eval_distribute`` /
  ``experimental_distribute``) is given;
* ``should_run_distribute_coordinator(config)`` from ``train_and_evaluate``;
* ``estimator_train`` / ``estimator_evaluate`` from ``Estimator.train`` / ``evaluate`` when
  the config asks for the distribute coordinator.

Written for legacy-compat from that observed use. A strategy on one machine (for example
``MirroredStrategy``) keeps working: the config is set up the way a config without a
strategy is, and the Estimator's own in-graph distribution code runs. The distribute
coordinator (a strategy spread over a TF_CONFIG cluster, or ``remote_cluster``) is not
provided: those configs are refused when the RunConfig is built, with what to do instead.
"""

DOCS = "docs/tf-modern.md"


class UnsupportedDistribution(ValueError):
    """A distribution set-up that needed TensorFlow's distribute coordinator (gone in TF 2.16)."""

    def __init__(self, what, instead):
        message = (
            "{0} is not supported by the tf.estimator that legacy-compat revives on "
            "TensorFlow 2.16+ (it needed TensorFlow's distribute coordinator, removed in "
            "TF 2.16). Instead: {1}. See {2}."
        ).format(what, instead, DOCS)
        super(UnsupportedDistribution, self).__init__(message)


_MULTI_HOST_INSTEAD = (
    "drop train_distribute/eval_distribute and let TF_CONFIG drive between-graph "
    "parameter-server training (what Legacy Mode did), or run this job on TensorFlow 2.15")


def _has_cluster(tf_config):
    cluster = (tf_config or {}).get("cluster") or {}
    return any(cluster.get(job) for job in cluster)


def init_run_config(config, tf_config):
    """Set up a RunConfig that was given a distribution strategy."""
    distribute = getattr(config, "_experimental_distribute", None)
    if distribute is not None:
        if getattr(distribute, "remote_cluster", None):
            raise UnsupportedDistribution(
                "RunConfig(experimental_distribute=DistributeConfig(remote_cluster=...))",
                _MULTI_HOST_INSTEAD)
        for name in ("train_distribute", "eval_distribute"):
            strategy = getattr(distribute, name, None)
            if strategy is None:
                continue
            if getattr(config, "_" + name, None) not in (None, strategy):
                raise ValueError(
                    "RunConfig got {0} both directly and in experimental_distribute; "
                    "pass it once".format(name))
            setattr(config, "_" + name, strategy)
    if _has_cluster(tf_config):
        raise UnsupportedDistribution(
            "a distribution strategy (train_distribute/eval_distribute) together with a "
            "TF_CONFIG cluster", _MULTI_HOST_INSTEAD)
    # One machine: the same set-up as a RunConfig without a strategy.
    config._distribute_coordinator_mode = None
    config._init_distributed_setting_from_environment_var(tf_config or {})
    config._maybe_overwrite_session_config_for_distributed_training()


def should_run_distribute_coordinator(config):
    # init_run_config never selects the coordinator; a config that claims it was made
    # elsewhere and cannot run here.
    if getattr(config, "_distribute_coordinator_mode", None):
        _coordinator_requested("train_and_evaluate")
    return False


def _coordinator_requested(entry):
    raise UnsupportedDistribution(
        "{0} with a distribute-coordinator RunConfig".format(entry), _MULTI_HOST_INSTEAD)


def train_and_evaluate(estimator, train_spec, eval_spec, executor_cls):
    _coordinator_requested("train_and_evaluate")


def estimator_train(estimator, train_distributed_fn, hooks):
    _coordinator_requested("Estimator.train")


def estimator_evaluate(estimator, evaluate_distributed_fn, hooks):
    _coordinator_requested("Estimator.evaluate")
