"""A converted script's Script Mode entry point: train the way the Legacy Mode container did.

SageMaker starts a Script Mode entry point as ``python train.py --model_dir s3://...
[--hyperparameter value ...]`` with the job described in ``SM_*`` variables; this
module turns that into the Legacy Mode calls of the script's functions, using the
contract, cluster and hyperparameter code above it (see ``__init__``). The
converted script calls :func:`main` with its functions from its
``if __name__ == "__main__":`` block. Only converted scripts run this module
(``legacy-compat train`` has its own trainer); it needs TensorFlow 2.
"""

import argparse
import json
import multiprocessing
import os
import socket
import tempfile
import time

from legacy_compat.portable.cluster import TASK_PORT, legacy_tf_config
from legacy_compat.portable.contract import (
    BUILDER_PRECEDENCE, EVAL_SPEC_KEYS, EXPORTER_NAME, RUN_CONFIG_KEYS, TRAINING_CHANNEL,
    checkpoint_dir, evaluation_cadence, export_base, input_fn_arguments, latest_global_step,
    publish_export, run_step_schedule, serving_input_arguments, trained_past, with_defaults)
from legacy_compat.portable.hyperparameters import decode_text
from legacy_compat.portable.tfhandle import tf_module


def parse_args(argv=None):
    """SageMaker passes --model_dir and one --name value pair per hyperparameter."""
    parser = argparse.ArgumentParser(
        description="Train the way the SageMaker TensorFlow Legacy Mode container did.")
    parser.add_argument("--model_dir", help="set by SageMaker; an s3:// URI is not used "
                        "for checkpoints because TensorFlow 2 cannot write to S3")
    return parser.parse_known_args(argv)


def read_hyperparameters(extra_args):
    """The hyperparameters dict the legacy container gave to every user function.

    SM_HPS holds them with their JSON types; outside SageMaker the
    --name value pairs on the command line are used instead, each value
    decoded as SageMaker encodes it, a string of JSON (decode_text): 123 is a
    number, '"123"' the string "123", a value that is not JSON stays a string.
    The container's defaults are added (with_defaults).
    """
    if "SM_HPS" in os.environ:
        hyperparameters = json.loads(os.environ["SM_HPS"])
    else:
        hyperparameters = {}
        args = list(extra_args)
        while args:
            name = args.pop(0)
            if not name.startswith("-"):
                continue
            name, has_value, value = name.lstrip("-").partition("=")
            if not has_value:
                value = args.pop(0) if args and not args[0].startswith("--") else "true"
            hyperparameters[name] = decode_text(name, value)[0]
    return with_defaults(hyperparameters)


def read_channels():
    """Channel name -> local directory, from SM_CHANNELS and SM_CHANNEL_<NAME>."""
    names = json.loads(os.environ.get("SM_CHANNELS", "[]"))
    if not names:
        names = [key[len("SM_CHANNEL_"):].lower() for key in os.environ
                 if key.startswith("SM_CHANNEL_")]
    channels = {}
    for name in names:
        directory = os.environ.get("SM_CHANNEL_" + name.upper())
        if directory:
            channels[name] = directory
    return channels


def call_input_fn(input_fn, *args, **kwargs):
    """Call a legacy input function; TF 1.4/1.5 also let it return a function."""
    result = input_fn(*args, **kwargs)
    return result() if callable(result) else result


def local_checkpoint_dir(model_dir_arg, hyperparameters, model_dir):
    """checkpoint_dir() (hyperparameter checkpoint_path, else --model_dir), kept local.

    TensorFlow 2 has no s3:// file system, so a remote directory is replaced
    by a local one.
    """
    path = checkpoint_dir(hyperparameters.get("checkpoint_path") or model_dir_arg, model_dir,
                          hyperparameters, os.environ.get("TRAINING_JOB_NAME"))
    if "://" not in path:
        return path
    if os.path.isdir("/opt/ml/checkpoints"):
        # Synced to S3 by SageMaker when the job sets checkpoint_s3_uri.
        return "/opt/ml/checkpoints"
    if os.environ.get("SM_OUTPUT_DATA_DIR"):
        return os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "checkpoints")
    return tempfile.mkdtemp(prefix="checkpoints-")


def start_parameter_servers(hosts, current_host):
    """With more than one host the legacy container always trained with
    parameter servers: one on every host, the first host as master."""
    tf_config = legacy_tf_config(hosts, current_host)
    server = multiprocessing.Process(
        target=run_parameter_server, args=(tf_config["cluster"], hosts.index(current_host)))
    server.daemon = True
    server.start()
    os.environ["TF_CONFIG"] = json.dumps(tf_config)


def run_parameter_server(cluster, task_index):
    tf = tf_module()
    server = tf.distribute.Server(
        tf.train.ClusterSpec(cluster), job_name="ps", task_index=task_index,
        config=tf.compat.v1.ConfigProto(device_count={"GPU": 0}))
    server.join()


def wait_for_master(master_host, port=TASK_PORT):
    """Keep this host's parameter server up until the master has finished."""
    while True:
        try:
            socket.create_connection((master_host, port), timeout=5).close()
        except (OSError, socket.error):
            return
        time.sleep(10)


def build_estimator(builders, run_config, hyperparameters):
    """The Estimator of the script's model builder, chosen as the container did."""
    tf = tf_module()
    name = [name for name in BUILDER_PRECEDENCE if builders.get(name)][0]
    if name == "estimator_fn":
        tf.get_logger().info("invoking the user-provided estimator_fn")
        return builders[name](run_config, hyperparameters)
    if name == "keras_model_fn":
        tf.get_logger().info("invoking the user-provided keras_model_fn")
        model = builders[name](hyperparameters)
        return tf.keras.estimator.model_to_estimator(keras_model=model, config=run_config)
    tf.get_logger().info("creating an estimator from the user-provided model_fn")
    model_fn = builders[name]

    def positional_model_fn(features, labels, mode, params):
        # The legacy container passed the four arguments by position.
        return model_fn(features, labels, mode, params)

    return tf.estimator.Estimator(
        model_fn=positional_model_fn, params=hyperparameters, config=run_config)


def export_model(estimator, exporters, final, metrics=None):
    """Run the exporters on the newest checkpoint (<checkpoints>/export/Servo/<timestamp>)."""
    checkpoint = tf_module().train.latest_checkpoint(estimator.model_dir)
    for exporter in exporters:
        exporter.export(estimator, export_base(estimator.model_dir), checkpoint, metrics, final)
    return metrics


def save_metrics(metrics):
    """Log the final evaluation and keep it next to the job's other outputs."""
    metrics = dict((name, value.item() if hasattr(value, "item") else value)
                   for name, value in metrics.items())
    tf_module().get_logger().info("final evaluation: %s", metrics)
    if os.environ.get("SM_OUTPUT_DATA_DIR"):
        if not os.path.isdir(os.environ["SM_OUTPUT_DATA_DIR"]):
            os.makedirs(os.environ["SM_OUTPUT_DATA_DIR"])
        path = os.path.join(os.environ["SM_OUTPUT_DATA_DIR"], "eval_metrics.json")
        with open(path, "w") as metrics_file:
            json.dump(metrics, metrics_file, indent=2, sort_keys=True)


def main(train_input_fn, eval_input_fn=None, serving_input_fn=None, model_fn=None,
         keras_model_fn=None, estimator_fn=None, argv=None):
    """Train, evaluate and export with the script's functions, as the legacy container did.

    Without ``eval_input_fn`` (which the container required) the model is trained
    and exported without evaluating; without ``serving_input_fn`` nothing is
    exported, as in the container.
    """
    tf = tf_module()
    tf.compat.v1.logging.set_verbosity(tf.compat.v1.logging.INFO)
    args, extra_args = parse_args(argv)
    hyperparameters = read_hyperparameters(extra_args)
    channels = read_channels()
    hosts = json.loads(os.environ.get("SM_HOSTS", '["localhost"]'))
    current_host = os.environ.get("SM_CURRENT_HOST", hosts[0])
    if len(hosts) > 1:
        start_parameter_servers(hosts, current_host)
    model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")

    run_config = tf.estimator.RunConfig(
        model_dir=local_checkpoint_dir(args.model_dir, hyperparameters, model_dir),
        **dict((key, hyperparameters[key]) for key in RUN_CONFIG_KEYS if key in hyperparameters))
    builders = {"model_fn": model_fn, "keras_model_fn": keras_model_fn,
                "estimator_fn": estimator_fn}
    estimator = build_estimator(builders, run_config, hyperparameters)
    values = {
        "training_dir": channels.get(TRAINING_CHANNEL),
        "hyperparameters": hyperparameters,
        "input_channels": channels,
    }
    train_args = input_fn_arguments(train_input_fn, values)
    train_fn = lambda: call_input_fn(train_input_fn, **train_args)  # noqa: E731
    if serving_input_fn is not None:
        serving_args = serving_input_arguments(serving_input_fn, hyperparameters)
        exporters = [tf.estimator.LatestExporter(
            EXPORTER_NAME, lambda: call_input_fn(serving_input_fn, *serving_args))]
    else:
        # Like the legacy container: no serving_input_fn, no SavedModel; the checkpoints
        # are in run_config.model_dir.
        tf.get_logger().info("serving_input_fn not specified, model NOT saved")
        exporters = []
    target = hyperparameters["training_steps"]
    start_step = latest_global_step(tf.compat.v1, estimator.model_dir)

    def train(stop):
        estimator.train(train_fn, max_steps=stop)
        return latest_global_step(tf.compat.v1, estimator.model_dir)

    if eval_input_fn is not None:
        train_and_evaluate(estimator, train, train_fn, eval_input_fn, values, exporters,
                           hyperparameters, target, start_step)
    else:
        # No eval_input_fn, which the legacy container required: train, then export
        # without evaluating.
        run_step_schedule(train, lambda final: export_model(estimator, exporters, final),
                          None, target, start_step or 0)
    if current_host != hosts[0]:
        wait_for_master(hosts[0])
    elif serving_input_fn is not None:
        # Same layout as the legacy container: <model dir>/export/Servo/<timestamp>.
        export_dir = publish_export(estimator.model_dir, model_dir)
        tf.get_logger().info("exported the SavedModel to %s", export_dir)


def train_and_evaluate(estimator, train, train_fn, eval_input_fn, values, exporters,
                       hyperparameters, target, start_step):
    """TensorFlow's train_and_evaluate, or the step schedule of min_eval_frequency & co."""
    tf = tf_module()
    eval_args = input_fn_arguments(eval_input_fn, values)
    eval_fn = lambda: call_input_fn(eval_input_fn, **eval_args)  # noqa: E731
    eval_steps = hyperparameters["evaluation_steps"]
    cadence = evaluation_cadence(hyperparameters)
    if cadence is None and not trained_past(target, start_step):
        eval_spec = tf.estimator.EvalSpec(
            eval_fn, steps=eval_steps, exporters=exporters,
            **dict((key, hyperparameters[key]) for key in EVAL_SPEC_KEYS
                   if key in hyperparameters))
        result = tf.estimator.train_and_evaluate(
            estimator, tf.estimator.TrainSpec(train_fn, max_steps=target), eval_spec)
        metrics = result[0] if result else None
    else:
        # min_eval_frequency & co.: train in chunks of global steps, evaluate between them.
        def evaluate(final):
            metrics = estimator.evaluate(eval_fn, steps=eval_steps)
            return export_model(estimator, exporters, final, metrics)

        metrics = run_step_schedule(train, evaluate, cadence, target, start_step or 0)
    if metrics:
        save_metrics(metrics)
