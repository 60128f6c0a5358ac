"""The SageMaker side of a script converted by `legacy-compat convert --target keras`.

It reads what SageMaker gives a Script Mode job (hyperparameters, channels,
directories), trains on Legacy Mode's schedule (``Job.fit``: ``training_steps``
optimizer steps, ``evaluation_steps`` batches per evaluation, evaluations when
`legacy-compat train` makes them), keeps the training resumable (checkpoints on
the Estimator's schedule, on SIGTERM and at the end), writes the evaluation
metrics and the export for TensorFlow Serving where Legacy Mode put them. The
model, its data and its compile are in the script; this module holds no model
code. Keras 3 and TensorFlow only.
"""
import argparse
import inspect
import json
import logging
import os
import signal
import tempfile
import time
import warnings

import keras
import tensorflow as tf

# The Legacy Mode contract, the hyperparameter decoding and the step schedule of `legacy-compat
# train`, and tf.contrib.learn's CSV loaders as `train` provides them (a header checked, s3://
# paths read through tf.io.gfile), copied here unchanged from legacy-compat's portable package
# by the converter: this job reads its hyperparameters and data and evaluates exactly as
# `train` does.
from legacy_compat.portable.contract import (
    DEFAULT_EVALUATION_STEPS, DEFAULT_SAVE_CHECKPOINTS_SECS, DEFAULT_TRAINING_STEPS,
    EXPORTER_NAME, TRAINING_CHANNEL, evaluation_cadence, input_fn_arguments, run_step_schedule)
from legacy_compat.portable.contrib import load_csv_with_header, load_csv_without_header
from legacy_compat.portable.script_mode import read_hyperparameters

# Input functions return a dict of features whatever the model's inputs; Keras matches a
# single-key dict to a single input itself and warns each time.
warnings.filterwarnings("ignore", message="The structure of `inputs` doesn't match")
# model.fit(shuffle=True) is its default and means nothing for a tf.data.Dataset (the input
# functions shuffle); Keras warns about it on every fit.
warnings.filterwarnings("ignore", message="`shuffle=True` was passed")

# EvalSpec's default: without a step schedule, TF 1.6+'s train_and_evaluate evaluated after a
# checkpoint only when this many seconds had passed since the last evaluation began.
DEFAULT_THROTTLE_SECS = 600


def _steps(value):
    return None if value is None else int(value)


class Job:
    """SageMaker's description of this job (Script Mode: environment and arguments)."""

    def __init__(self, argv=None):
        parser = argparse.ArgumentParser()
        parser.add_argument("--model_dir", help="set by SageMaker; used for checkpoints when "
                            "local (TensorFlow 2 cannot write to s3://)")
        args, extra = parser.parse_known_args(argv)
        self.hyperparameters = read_hyperparameters(extra)  # the defaults included
        names = json.loads(os.environ.get("SM_CHANNELS", "[]")) or sorted(
            key[len("SM_CHANNEL_"):].lower() for key in os.environ if key.startswith("SM_CHANNEL_"))
        self.input_channels = {name: os.environ["SM_CHANNEL_" + name.upper()] for name in names
                               if "SM_CHANNEL_" + name.upper() in os.environ}
        self.training_dir = self.input_channels.get(
            TRAINING_CHANNEL, next(iter(self.input_channels.values()), None))
        self.model_dir = os.environ.get("SM_MODEL_DIR", "/opt/ml/model")
        self.output_dir = os.environ.get("SM_OUTPUT_DIR", "/opt/ml/output")
        # null: train until the input ends / evaluate the whole input, as Legacy Mode did
        self.training_steps = _steps(self.hyperparameters.get("training_steps",
                                                              DEFAULT_TRAINING_STEPS))
        self.evaluation_steps = _steps(self.hyperparameters.get("evaluation_steps",
                                                                DEFAULT_EVALUATION_STEPS))
        local = [path for path in (self.hyperparameters.get("checkpoint_path"), args.model_dir)
                 if path and "://" not in path]
        self.checkpoint_dir = local[0] if local else (
            "/opt/ml/checkpoints" if os.path.isdir("/opt/ml/checkpoints")
            else os.path.join(self.model_dir, "checkpoints"))
        hosts = json.loads(os.environ.get("SM_HOSTS", '["localhost"]'))
        self.is_chief = os.environ.get("SM_CURRENT_HOST", hosts[0]) == hosts[0]

    def fit(self, model, train_input_fn, eval_input_fn=None, examples=None):
        """``model.fit`` to ``training_steps`` optimizer steps (the global step), evaluating
        ``evaluation_steps`` batches on `legacy-compat train`'s schedule, with the datasets of
        the input functions (each called once, its parameters bound as Legacy Mode bound
        them, ``input_fn_arguments``; ``examples``: a function they are mapped by).

        With a step schedule (``min_eval_frequency`` & co., ``evaluation_cadence``): fits of
        that many steps, an evaluation between them (``run_step_schedule``). Without: one
        fit, evaluating after a checkpoint once ``throttle_secs`` (600) have passed since the
        last evaluation began, as TF 1.6+'s train_and_evaluate did. Then a final evaluation,
        its metrics saved (``save_metrics``) and returned. ``Checkpoint`` resumes a rerun and
        ends the job on SIGTERM.
        """
        values = {"training_dir": self.training_dir, "hyperparameters": self.hyperparameters,
                  "input_channels": self.input_channels}

        def dataset(input_fn):
            data = input_fn(**input_fn_arguments(input_fn, values))
            return data if examples is None else data.map(examples)

        train_data = dataset(train_input_fn)
        eval_data = None if eval_input_fn is None else dataset(eval_input_fn)
        checkpoint = Checkpoint(self)
        step = checkpoint.restore(model)
        cadence = evaluation_cadence(self.hyperparameters)

        def train(stop):
            steps = None if stop is None else stop - Checkpoint.step(model)
            model.fit(train_data, epochs=1, steps_per_epoch=steps, callbacks=[checkpoint],
                      verbose=2)
            checkpoint.exit_if_stopped()
            return Checkpoint.step(model)

        def evaluate(final=False):
            if eval_data is None:  # no eval_input_fn: trained and exported, not evaluated
                return None
            metrics = model.evaluate(eval_data, steps=self.evaluation_steps, return_dict=True,
                                     verbose=0)
            metrics = {name: float(value) for name, value in metrics.items()}
            print("evaluation at step %d: %s" % (Checkpoint.step(model), json.dumps(
                metrics, sort_keys=True)))
            return metrics

        if cadence is None and eval_data is not None:
            checkpoint.evaluate = evaluate
        metrics = run_step_schedule(train, evaluate, cadence, self.training_steps, step)
        print("trained to step %d" % Checkpoint.step(model))
        if metrics:
            self.save_metrics(metrics)
        return metrics

    def feature_inputs(self, train_input_fn, examples=None):
        """The model's ``keras.Input``s when the script has no serving_input_fn to give their
        shapes and dtypes (Legacy Mode then trained and evaluated, and exported nothing): one
        per feature of the training dataset, shaped as its ``element_spec`` less the batch.
        The input function is called as ``fit`` calls it (once more: a dataset is lazy)."""
        values = {"training_dir": self.training_dir, "hyperparameters": self.hyperparameters,
                  "input_channels": self.input_channels}
        data = train_input_fn(**input_fn_arguments(train_input_fn, values))
        if not isinstance(data, tf.data.Dataset):
            raise TypeError("train_input_fn returned %s, not a tf.data.Dataset: the Keras "
                            "inputs are read from its element_spec" % type(data).__name__)
        spec = (data if examples is None else data.map(examples)).element_spec
        features = spec[0] if isinstance(spec, tuple) else spec
        if not isinstance(features, dict) or not all(
                isinstance(s, tf.TensorSpec) and s.shape.rank for s in features.values()):
            raise TypeError("train_input_fn's dataset gives features %s; the Keras inputs need a "
                            "dict of batched dense tensors" % (features,))
        return {name: keras.Input(shape=s.shape[1:], dtype=s.dtype, name=name)
                for name, s in features.items()}

    def save_metrics(self, metrics):
        """Print the final evaluation and keep it as output/data/eval_metrics.json."""
        print("final evaluation: %s" % json.dumps(metrics, sort_keys=True))
        data_dir = os.environ.get("SM_OUTPUT_DATA_DIR", os.path.join(self.output_dir, "data"))
        os.makedirs(data_dir, exist_ok=True)
        with open(os.path.join(data_dir, "eval_metrics.json"), "w") as handle:
            json.dump(metrics, handle, indent=2, sort_keys=True)

    def export(self, model, serve):
        """A SavedModel under <model dir>/export/Servo/<timestamp>, as Legacy Mode exported:
        ``serve`` (a tf.function with the legacy input signature) is `serving_default`."""
        if not self.is_chief:
            return None
        archive = keras.export.ExportArchive()
        archive.track(model)
        archive.add_endpoint("serving_default", serve)
        base = os.path.join(self.model_dir, "export", EXPORTER_NAME)
        os.makedirs(base, exist_ok=True)
        staging = tempfile.mkdtemp(prefix=".export-", dir=base)
        archive.write_out(staging, verbose=False)
        path = os.path.join(base, str(max(int(time.time()), *[
            int(name) + 1 for name in os.listdir(base) if name.isdigit()] or [0])))
        os.rename(staging, path)  # a server never sees half an export
        print("exported the model to %s" % path)
        return path


# Keras 3 compiles one optimizer per model (tf.keras' WideDeepModel, whose compile took a pair,
# is not in Keras 3): a DNNLinearCombined* conversion builds this model, whose train_step
# applies each part's gradients with its own optimizer (Keras' documented way to customise fit).
class WideAndDeep(keras.Model):
    """The logits of a linear part (the layer named "linear") plus a DNN's, each part trained by
    its own optimizer, as DNNLinearCombined* did (a Keras model compiles one)."""

    def __init__(self, inputs, linear_logits, dnn_logits):
        super().__init__(inputs, keras.layers.Add()([linear_logits, dnn_logits]))

    def parts(self):
        linear = self.get_layer("linear").trainable_variables
        return linear, [v for v in self.trainable_variables if all(v is not w for w in linear)]

    def compile(self, linear_optimizer, **kwargs):
        super().compile(**kwargs)
        self.linear_optimizer = linear_optimizer
        linear, dnn = self.parts()
        self.linear_optimizer.build(linear)  # built now: a resumed job restores both
        self.optimizer.build(dnn)

    def train_step(self, data):
        x, y, sample_weight = keras.utils.unpack_x_y_sample_weight(data)
        linear, dnn = self.parts()
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(x, y, y_pred, sample_weight, training=True)
        gradients = tape.gradient(loss, linear + dnn)
        self.linear_optimizer.apply(gradients[:len(linear)], linear)
        self.optimizer.apply(gradients[len(linear):], dnn)  # its iterations: the global step
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
        return self.compute_metrics(x, y, y_pred, sample_weight)


class Examples:
    """What a premade estimator did to the examples, as a function of the datasets: its
    ``label_vocabulary`` (label strings -> class ids; an unknown one is an error, as it was)
    and its ``weight_column`` (a feature -> Keras' sample weights)."""

    def __init__(self, label_vocabulary=None, weight_column=None):
        self.label_ids = None if label_vocabulary is None else keras.layers.StringLookup(
            vocabulary=label_vocabulary, num_oov_indices=0)
        self.weight_column = weight_column

    def __call__(self, features, labels):
        if self.label_ids is not None:
            labels = self.label_ids(labels)
        if self.weight_column is None:
            return features, labels
        features = dict(features)
        weights = features.pop(self.weight_column)
        return features, labels, weights


def classes_and_scores(logits, classes):
    """A canned classifier's export outputs: "scores", the probability of each class (softmax;
    one logit: sigmoid, as [1 - p, p]), and "classes", the names of those classes for each
    example (``classes``: label_vocabulary, or the number of classes: their ids as strings)."""
    if logits.shape[-1] == 1:
        probability = tf.sigmoid(logits)
        scores = tf.concat([1 - probability, probability], axis=1)
    else:
        scores = tf.nn.softmax(logits)
    if not isinstance(classes, (list, tuple)):
        classes = [str(i) for i in range(int(classes))]
    return {"classes": tf.tile([list(classes)], [tf.shape(scores)[0], 1]), "scores": scores}


def named_outputs(model, outputs):
    """A Keras model's outputs keyed as model_to_estimator's export keyed them: by the name of
    each output layer (a Sequential model's is its last layer)."""
    names = getattr(model, "output_names", None) or [model.layers[-1].name]
    return dict(zip(names, keras.tree.flatten(outputs)))


class Checkpoint(keras.callbacks.Callback):
    """Keeps training resumable, counting optimizer steps as the Estimator's global step.

    The weights file holds the optimizer's state too, whose ``iterations`` is the
    number of steps trained: ``restore`` returns it. It is saved on the Estimator's
    schedule (``save_checkpoints_secs``, default 300, or ``save_checkpoints_steps``), at
    the end of each fit, and when SIGTERM or SIGINT stop training after the step in
    flight; ``exit_if_stopped`` then writes the failure file and ends the job (exit 128 +
    signal). With ``evaluate`` set, a save is followed by an evaluation once
    ``throttle_secs`` have passed since the last one began (train_and_evaluate's
    listener), except the fit's last step, whose evaluation is the final one. The loss
    is logged every ``log_step_count_steps`` (100).
    """

    def __init__(self, job):
        super().__init__()
        hyperparameters = job.hyperparameters
        self.path = os.path.join(job.checkpoint_dir, "checkpoint.weights.h5")
        self.every_steps = hyperparameters.get("save_checkpoints_steps")
        self.every_secs = None if self.every_steps else hyperparameters.get(
            "save_checkpoints_secs", DEFAULT_SAVE_CHECKPOINTS_SECS)
        self.log_steps = int(hyperparameters.get("log_step_count_steps", 100))
        throttle = hyperparameters.get("throttle_secs")
        self.throttle_secs = DEFAULT_THROTTLE_SECS if throttle is None else throttle
        self.evaluate = None
        self.evaluated = None  # when the last evaluation began
        self.signum = None

    def restore(self, model):
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, self._request_stop)
        if os.path.exists(self.path):
            model.optimizer.build(model.trainable_variables)
            model.load_weights(self.path)
            print("resumed from %s at step %d" % (self.path, self.step(model)))
        return self.step(model)

    def on_train_begin(self, logs=None):
        self._first = self.step(self.model)
        self._window = (self._first, time.time())
        self._saved = time.time()

    def on_train_batch_end(self, batch, logs=None):
        step = self._first + batch + 1  # reading the optimizer's counter would sync each step
        if self.signum is not None:
            self.model.stop_training = True
        if step % self.log_steps == 0 and logs:
            first, started = self._window
            self._window = (step, time.time())
            print("step %d: %s (%.1f steps/s)" % (step, ", ".join(
                "%s = %.6g" % (name, float(value)) for name, value in sorted(logs.items())),
                (step - first) / max(self._window[1] - started, 1e-9)))
        if (self.every_steps and step % self.every_steps == 0) or (
                self.every_secs is not None and time.time() - self._saved >= self.every_secs):
            self._save()
            last = self.params.get("steps") and batch + 1 == self.params["steps"]
            if self.evaluate is not None and self.signum is None and not last and (
                    self.evaluated is None or time.time() - self.evaluated >= self.throttle_secs):
                self.evaluated = time.time()
                self._evaluate_between_steps()

    def on_train_end(self, logs=None):
        self._save()

    def exit_if_stopped(self):
        if self.signum is None:
            return
        name = signal.Signals(self.signum).name
        message = "stopped by %s at step %d; rerun to resume" % (name, self.step(self.model))
        output_dir = os.environ.get("SM_OUTPUT_DIR", "/opt/ml/output")
        os.makedirs(output_dir, exist_ok=True)
        with open(os.path.join(output_dir, "failure"), "w") as handle:
            handle.write(message + "\n")
        print(message)
        raise SystemExit(128 + self.signum)

    def _evaluate_between_steps(self):
        # evaluate() resets the metrics that fit averages over the epoch: keep their state
        variables = [variable for metric in self.model.metrics for variable in metric.variables]
        kept = [variable.numpy() for variable in variables]
        self.evaluate()
        for variable, value in zip(variables, kept):
            variable.assign(value)

    def _save(self):
        self._saved = time.time()
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        staging = self.path + ".tmp.weights.h5"
        self.model.save_weights(staging)
        os.replace(staging, self.path)

    def _request_stop(self, signum, frame):
        if self.signum is not None:  # a second signal: stop now
            raise SystemExit(128 + signum)
        self.signum = signum

    @staticmethod
    def step(model):
        return int(model.optimizer.iterations)
