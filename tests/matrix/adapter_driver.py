"""Run one TF-version quirk scenario with plain TensorFlow, with or without the adapter layer.

    python adapter_driver.py SCENARIO [--adapter] MODEL_DIR

Prints ``RESULT {...json...}`` on success; any exception propagates (exit 1) so the
caller sees what raw TensorFlow does. Each scenario is plain TF 1.x-style code written for
this project; ``--adapter`` only adds ``import legacy_compat.patch`` first, the way a user
does inside an old container. Python 2.7 compatible.
"""
import json
import os
import sys

import numpy as np

SCENARIOS = {}


def scenario(fn):
    SCENARIOS[fn.__name__] = fn
    return fn


def v1(tf):
    compat = getattr(tf, "compat", None)
    return compat.v1 if hasattr(compat, "v1") else tf


X = np.random.RandomState(0).uniform(-1, 1, (64, 3)).astype(np.float32)
Y = (X.sum(axis=1) * 2.0).astype(np.float32)


def model_fn_factory(tf, advance_global_step=True, export_outputs=None, mixed_metric=False):
    api = v1(tf)

    def model_fn(features, labels, mode, params):
        x = features["x"]
        w = api.get_variable("w", [3, 1], initializer=api.zeros_initializer())
        predictions = tf.reshape(tf.matmul(x, w), [-1])
        if mode == tf.estimator.ModeKeys.PREDICT:
            return tf.estimator.EstimatorSpec(mode, predictions={"y": predictions},
                                              export_outputs=export_outputs)
        loss = api.losses.mean_squared_error(labels, predictions)
        optimizer = api.train.GradientDescentOptimizer(0.05)
        if advance_global_step:
            train_op = optimizer.minimize(loss, global_step=api.train.get_global_step())
        else:
            train_op = optimizer.minimize(loss)
        label_metric = tf.cast(labels, tf.float64) if mixed_metric else labels
        metrics = {"rmse": api.metrics.root_mean_squared_error(label_metric, predictions)}
        return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op,
                                          eval_metric_ops=metrics)

    return model_fn


def tensors_input_fn(tf):
    def input_fn():
        return {"x": tf.constant(X)}, tf.constant(Y)
    return input_fn


def receiver_fn(tf):
    api = v1(tf)

    def serving_input_receiver_fn():
        x = api.placeholder(tf.float32, [None, 3])
        return tf.estimator.export.ServingInputReceiver({"x": x}, {"x": x})
    return serving_input_receiver_fn


def estimator(tf, model_dir, **kwargs):
    api = v1(tf)
    config = api.estimator.RunConfig(tf_random_seed=1, model_dir=model_dir)
    return api.estimator.Estimator(model_fn_factory(tf, **kwargs), config=config)


def export(est, tf, model_dir, fn):
    exporter = getattr(est, "export_saved_model", None) or est.export_savedmodel
    return exporter(model_dir + "/export", fn)


@scenario
def input_fn_returns_callable(tf, model_dir):
    est = estimator(tf, model_dir)
    inner = tensors_input_fn(tf)
    est.train(lambda: inner, max_steps=3)
    return {"global_step": est.get_variable_value("global_step").item()}


@scenario
def input_fn_returns_dataset(tf, model_dir):
    est = estimator(tf, model_dir)

    def input_fn():
        return tf.data.Dataset.from_tensor_slices(({"x": X}, Y)).repeat().batch(16)
    est.train(input_fn, max_steps=3)
    return {"global_step": est.get_variable_value("global_step").item()}


@scenario
def input_fn_returns_numpy(tf, model_dir):
    est = estimator(tf, model_dir)
    est.train(lambda: ({"x": X}, Y), max_steps=3)
    return {"global_step": est.get_variable_value("global_step").item()}


@scenario
def serving_input_fn_returns_callable(tf, model_dir):
    est = estimator(tf, model_dir)
    est.train(tensors_input_fn(tf), max_steps=2)
    path = export(est, tf, model_dir, lambda: receiver_fn(tf))
    return {"exported": bool(path)}


@scenario
def predict_spec_without_export_outputs(tf, model_dir):
    est = estimator(tf, model_dir, export_outputs=None)
    est.train(tensors_input_fn(tf), max_steps=2)
    path = export(est, tf, model_dir, receiver_fn(tf))
    return {"exported": bool(path)}


@scenario
def train_op_without_global_step(tf, model_dir):
    api = v1(tf)
    est = estimator(tf, model_dir, advance_global_step=False)

    class StopAfter(api.train.SessionRunHook):
        """Stops raw TF, whose global step never reaches max_steps, instead of hanging."""

        def __init__(self):
            self.runs = 0

        def after_run(self, run_context, run_values):
            self.runs += 1
            if self.runs >= 20:
                run_context.request_stop()

    hook = StopAfter()
    est.train(tensors_input_fn(tf), max_steps=5, hooks=[hook])
    step = est.get_variable_value("global_step").item()
    if step != 5:
        raise RuntimeError("global step is %d after %d train steps; max_steps=5 never reached"
                           % (step, hook.runs))
    return {"global_step": step, "train_steps": hook.runs}


@scenario
def metric_with_mixed_float_types(tf, model_dir):
    est = estimator(tf, model_dir, mixed_metric=True)
    est.train(tensors_input_fn(tf), max_steps=2)
    metrics = est.evaluate(tensors_input_fn(tf), steps=1)
    return {"rmse": float(metrics["rmse"])}


@scenario
def correct_script_final_loss(tf, model_dir):
    """A script with no quirk at all: the adapter must not change its result."""
    est = estimator(tf, model_dir)
    est.train(tensors_input_fn(tf), max_steps=20)
    metrics = est.evaluate(tensors_input_fn(tf), steps=1)
    return {"loss": float(metrics["loss"]), "global_step": int(metrics["global_step"])}


HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPTS = os.path.join(ROOT, "tests", "fixtures", "scripts")
ABALONE = os.path.join(ROOT, "examples", "abalone", "data")


def vocabulary_channel(directory):
    """colors.txt (the vocabulary) and data.csv (color,x,label), as the fixture scripts expect."""
    channel = os.path.join(directory, "vocabulary")
    os.makedirs(channel)
    with open(os.path.join(channel, "colors.txt"), "w") as handle:
        handle.write("red\ngreen\nblue\n")
    rng = np.random.RandomState(0)
    with open(os.path.join(channel, "data.csv"), "w") as handle:
        for _ in range(40):
            index, x = rng.randint(3), rng.uniform()
            handle.write("%s,%.3f,%.3f\n" % (["red", "green", "blue"][index], x, index + 1 + x))
    return channel


def load_script(path):
    name = os.path.basename(path)[:-3]
    if sys.version_info[0] == 2:
        import imp
        return imp.load_source(name, path)
    import importlib.util
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def run_legacy_script(tf, name, model_dir, channel, steps=3):
    """Load tests/fixtures/scripts/NAME and train it the way the Legacy Mode container did.

    The script is imported here (its top-level imports run against this TF), its model
    builder gives the Estimator and its train_input_fn(training_dir, hyperparameters) the data.
    """
    api = v1(tf)
    os.environ["SM_CHANNEL_TRAINING"] = channel
    if SCRIPTS not in sys.path:
        sys.path.insert(0, SCRIPTS)
    module = load_script(os.path.join(SCRIPTS, name))
    params = {}
    config = api.estimator.RunConfig(tf_random_seed=1, model_dir=model_dir)
    if hasattr(module, "keras_model_fn"):
        est = tf.keras.estimator.model_to_estimator(
            keras_model=module.keras_model_fn(params), config=config)
    else:
        est = module.estimator_fn(config, params)
    est.train(lambda: module.train_input_fn(channel, params), max_steps=steps)
    return {"global_step": checkpoint_step(est)}


def checkpoint_step(est):
    """The step of the newest checkpoint (Keras estimators of TF 2.x name the variable apart)."""
    return int(est.latest_checkpoint().rsplit("-", 1)[1])


def tf1_script(tf):
    """A TF 1.x script (tf.contrib, tf.estimator.inputs...) runs on TF 2.x only in the TF 1.x
    view of legacy-compat train (test_tf1_surface.py runs it there on every release)."""
    if not tf.__version__.startswith("1."):
        return {"skipped": "a TF 1.x script needs legacy-compat train's TF 1.x view on TF 2.x"}


@scenario
def contrib_map_and_batch_import(tf, model_dir):
    return tf1_script(tf) or run_legacy_script(tf, "map_and_batch_import.py", model_dir, ABALONE)


@scenario
def feature_column_on_unknown_rank(tf, model_dir):
    return tf1_script(tf) or run_legacy_script(
        tf, "generator_vocabulary.py", model_dir, vocabulary_channel(model_dir))


@scenario
def keras_int_labels(tf, model_dir):
    return tf1_script(tf) or run_legacy_script(tf, "keras_int_labels.py", model_dir, ABALONE)


@scenario
def keras_sequential_input_layer(tf, model_dir):
    """tests/fixtures/scripts/keras_sequential_input_layer.py with tf.keras (its TF 1.4 Keras
    home is mapped by legacy-compat train's view, not by the adapters): same model, same break."""
    keras = tf.keras
    model = keras.models.Sequential([
        keras.layers.InputLayer(input_shape=(7,), name="inputs"),
        keras.layers.Dense(8, activation="relu"),
        keras.layers.Dense(1),
    ])
    model.compile(optimizer="rmsprop", loss="mse")
    config = v1(tf).estimator.RunConfig(tf_random_seed=1, model_dir=model_dir)
    est = keras.estimator.model_to_estimator(keras_model=model, config=config)
    data = np.loadtxt(os.path.join(ABALONE, "training_dataset.csv"), delimiter=",",
                      dtype=np.float32)
    est.train(v1(tf).estimator.inputs.numpy_input_fn(
        {"inputs": data[:, :7]}, data[:, 7:], batch_size=16, num_epochs=None, shuffle=True),
        max_steps=3)
    return {"global_step": checkpoint_step(est)}


def main(argv):
    name = argv[0]
    adapter = "--adapter" in argv
    model_dir = argv[-1]
    if not os.path.isdir(model_dir):
        os.makedirs(model_dir)
    if adapter:
        import legacy_compat.patch  # noqa: F401  (activates on import)
    import legacy_compat.estimator  # noqa: F401  (TF 2.16+: revives tf.estimator; no-op before)
    import tensorflow as tf
    if hasattr(getattr(tf, "compat", None), "v1") and tf.__version__.startswith("2."):
        tf.compat.v1.disable_v2_behavior()
    v1(tf).logging.set_verbosity(v1(tf).logging.ERROR)
    result = SCENARIOS[name](tf, model_dir)
    sys.stdout.write("RESULT %s\n" % json.dumps(result, sort_keys=True))


if __name__ == "__main__":
    main(sys.argv[1:])
