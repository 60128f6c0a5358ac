"""Run the version-quirk scenarios against the installed TensorFlow; one JSON line each.

    .nox/matrix-tf1.4.1-py2.7/bin/python tests/matrix/probes/behaviour.py [scenario ...]

Each line: {"scenario", "tf", "ok", "error"} where error is "Type: first line of message".
The results are summarised in tests/matrix/QUIRKS.md and asserted by test_quirks.py.
Python 2.7 compatible.
"""
from __future__ import print_function

import json
import os
import shutil
import sys
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import tiny_model  # noqa: E402

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__] = fn
    return fn


@scenario
def predict_spec_without_export_outputs(tf, tmp):
    est = tiny_model.make_estimator(tf, os.path.join(tmp, "m"), export_outputs=False)
    est.train(tiny_model.make_input_fn(tf), steps=1)
    tiny_model.export(est, os.path.join(tmp, "e"), tiny_model.make_serving_input_receiver_fn(tf))


@scenario
def input_fn_returns_callable(tf, tmp):
    est = tiny_model.make_estimator(tf, os.path.join(tmp, "m"))
    inner = tiny_model.make_input_fn(tf)
    est.train(lambda: inner, steps=1)


@scenario
def input_fn_returns_dataset(tf, tmp):
    est = tiny_model.make_estimator(tf, os.path.join(tmp, "m"))
    est.train(tiny_model.make_dataset_input_fn(tf), steps=2)


@scenario
def serving_input_fn_returns_fn(tf, tmp):
    est = tiny_model.make_estimator(tf, os.path.join(tmp, "m"))
    est.train(tiny_model.make_input_fn(tf), steps=1)
    receiver_fn = tiny_model.make_serving_input_receiver_fn(tf)
    tiny_model.export(est, os.path.join(tmp, "e"), lambda: receiver_fn)


@scenario
def model_fn_with_hyperparameters_arg(tf, tmp):
    inner = tiny_model.make_model_fn(tf)

    def model_fn(features, labels, mode, hyperparameters):
        return inner(features, labels, mode)

    est = tf.estimator.Estimator(model_fn, model_dir=os.path.join(tmp, "m"))
    est.train(tiny_model.make_input_fn(tf), steps=1)


@scenario
def runconfig_steps_and_secs(tf, tmp):
    tf.estimator.RunConfig(save_checkpoints_steps=10, save_checkpoints_secs=300)


@scenario
def contrib_runconfig_steps_with_default_secs(tf, tmp):
    config = tf.contrib.learn.RunConfig(save_checkpoints_steps=10, model_dir=os.path.join(tmp, "m"))
    est = tf.estimator.Estimator(tiny_model.make_model_fn(tf), config=config)
    est.train(tiny_model.make_input_fn(tf), steps=1)


@scenario
def eval_spec_throttle_secs_0(tf, tmp):
    """train_and_evaluate locally with throttle_secs=0; result: number of evaluations."""
    calls = []
    inner = tiny_model.make_input_fn(tf)

    def eval_input_fn():
        calls.append(1)
        return inner()

    est = tiny_model.make_estimator(tf, os.path.join(tmp, "m"),
                                    config=tf.estimator.RunConfig(save_checkpoints_steps=2))
    exporter = tf.estimator.LatestExporter("Servo", tiny_model.make_serving_input_receiver_fn(tf))
    tf.estimator.train_and_evaluate(
        est,
        tf.estimator.TrainSpec(tiny_model.make_input_fn(tf), max_steps=6),
        tf.estimator.EvalSpec(eval_input_fn, steps=1, throttle_secs=0, start_delay_secs=0,
                              exporters=[exporter]))
    exports = os.listdir(os.path.join(tmp, "m", "export", "Servo"))
    return {"evaluations": len(calls), "exports": len(exports)}


@scenario
def export_savedmodel_method(tf, tmp):
    """The pre-1.13 export method name, called directly."""
    est = tiny_model.make_estimator(tf, os.path.join(tmp, "m"))
    est.train(tiny_model.make_input_fn(tf), steps=1)
    est.export_savedmodel(os.path.join(tmp, "e"), tiny_model.make_serving_input_receiver_fn(tf))


@scenario
def tf_config_single_master(tf, tmp):
    os.environ["TF_CONFIG"] = json.dumps({
        "cluster": {"master": ["algo-1:2222"]}, "task": {"index": 0, "type": "master"},
        "environment": "cloud"})
    try:
        config = tf.estimator.RunConfig()
        return {"task_type": config.task_type, "is_chief": config.is_chief,
                "num_worker_replicas": config.num_worker_replicas,
                "master": config.master}
    finally:
        del os.environ["TF_CONFIG"]


def first_line(exc):
    text = str(exc).strip().splitlines()
    return "%s: %s" % (type(exc).__name__, text[0] if text else "")


def main(argv):
    import legacy_compat.estimator  # noqa: F401  (TF 2.16+: revives tf.estimator; no-op before)
    import tensorflow as tf

    tiny_model.v1(tf).logging.set_verbosity(tiny_model.v1(tf).logging.ERROR)
    for name in argv or sorted(SCENARIOS):
        tmp = tempfile.mkdtemp()
        try:
            with tf.Graph().as_default():
                result = SCENARIOS[name](tf, tmp)
            record = {"ok": True, "result": result}
        except Exception as exc:  # the point is to record what each release raises
            record = {"ok": False, "error": first_line(exc)}
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        record.update({"scenario": name, "tf": tf.__version__})
        print(json.dumps(record, sort_keys=True))
        sys.stdout.flush()


if __name__ == "__main__":
    main(sys.argv[1:])
