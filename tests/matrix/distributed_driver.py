"""One task of a real parameter-server cluster on loopback, for the global-step adapter.

    python distributed_driver.py ROLE INDEX ADDRESSES_JSON MODEL_DIR

The cluster is the legacy container's for two hosts (legacy_compat.portable.cluster.legacy_cluster:
master, one worker, a parameter server on each host), with loopback addresses; ROLE is
``ps``, ``master`` or ``worker``. A parameter server is legacy_compat's own process code.
The model's train op never advances the global step; with ``import legacy_compat.patch``
every task advances the one global step that lives on the parameter servers, so the
cluster stops at ``max_steps`` together. When its training loop ends, a task writes
``MODEL_DIR/../<role>.json`` with its own number of train steps and the shared global step
it saw; the caller then stops the processes. Python 2.7 compatible.
"""
import json
import os
import sys
import time

import numpy as np

TARGET = 500


HOSTS = ["algo-1", "algo-2"]


def main(role, index, addresses, model_dir):
    from legacy_compat.portable import cluster as layout
    cluster = layout.legacy_cluster(HOSTS, addresses)
    if role == "ps":
        from legacy_compat import psserver
        psserver.serve(cluster, index)
        return
    os.environ["TF_CONFIG"] = json.dumps({"cluster": cluster, "task": {"type": role, "index": index},
                                          "environment": layout.LEGACY_ENVIRONMENT})
    import legacy_compat.patch  # noqa: F401  (activates on import)
    import legacy_compat.estimator  # noqa: F401  (TF 2.16+: revives tf.estimator; no-op before)
    import tensorflow as tf
    api = tf.compat.v1 if hasattr(getattr(tf, "compat", None), "v1") else tf
    if tf.__version__.startswith("2."):
        api.disable_v2_behavior()
    api.logging.set_verbosity(api.logging.ERROR)

    x = np.random.RandomState(0).uniform(-1, 1, (64, 3)).astype(np.float32)
    y = x.sum(axis=1).astype(np.float32)

    def model_fn(features, labels, mode):
        w = api.get_variable("w", [3, 1], initializer=api.zeros_initializer())
        predictions = tf.reshape(tf.matmul(features["x"], w), [-1])
        loss = api.losses.mean_squared_error(labels, predictions)
        train_op = api.train.GradientDescentOptimizer(0.05).minimize(loss)  # no global_step
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)

    class Count(api.train.SessionRunHook):
        def begin(self):
            self.runs = 0
            self.step = api.train.get_global_step()

        def after_run(self, run_context, run_values):
            self.runs += 1
            # Slow steps, so the worker (which TF starts 5 s late) trains alongside the master.
            time.sleep(0.02)

        def end(self, session):
            result = {"role": role, "train_steps": self.runs,
                      "global_step": int(session.run(self.step))}
            path = os.path.join(os.path.dirname(model_dir), role + ".json")
            with open(path + ".tmp", "w") as handle:
                json.dump(result, handle)
            os.rename(path + ".tmp", path)

    def input_fn():
        return {"x": tf.constant(x)}, tf.constant(y)

    config = api.estimator.RunConfig(model_dir=model_dir, save_checkpoints_steps=100)
    estimator = api.estimator.Estimator(model_fn, config=config)
    api.estimator.train_and_evaluate(
        estimator, api.estimator.TrainSpec(input_fn, max_steps=TARGET, hooks=[Count()]),
        api.estimator.EvalSpec(input_fn, steps=1, start_delay_secs=0, throttle_secs=1))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4])
