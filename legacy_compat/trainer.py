"""Build the Estimator the legacy container would have built, train, evaluate and export.

Follows the TF 1.6+ legacy trainer (``tf.estimator.train_and_evaluate`` with
``LatestExporter('Servo')``) on every TensorFlow version, with its rough edges
fixed: a resumed job already past ``training_steps`` says so and exports, and
the newest export is copied into the model directory when checkpoints live
elsewhere.
"""

import logging
import os
import shutil
import time

from legacy_compat import checkpoints, contract, progress, schedule, stops, tfapi
from legacy_compat import hyperparameters as hp
from legacy_compat.environment import is_remote
from legacy_compat.errors import ConfigError

logger = logging.getLogger("legacy_compat")

EXPORTER_NAME = "Servo"


class TrainingResult(object):
    def __init__(self, global_step, metrics, export_dir):
        self.global_step = global_step
        self.metrics = metrics
        self.export_dir = export_dir


class Trainer(object):
    """Runs one user module through the Legacy Mode training schedule."""

    def __init__(self, env, module, strict=False):
        self.env = env
        self.module = module
        self.path = env.script_path
        self.strict = strict
        # The one dict every user function sees, defaults included (legacy behaviour).
        self.params = hp.with_defaults(env.hyperparameters)

    # -- pieces ----------------------------------------------------------------------------
    def build_run_config(self, tf, plan):
        return tf.estimator.RunConfig(model_dir=self.env.checkpoint_dir, **plan.run_config)

    def build_estimator(self, tf, run_config):
        builder = contract.choose_builder(self.path, self.module, strict=self.strict)
        user_fn = getattr(self.module, builder)
        if builder == "estimator_fn":
            logger.info("invoking the user-provided estimator_fn")
            estimator = user_fn(run_config, self.params)
            model_dir = getattr(estimator, "model_dir", None)
            if model_dir and os.path.abspath(model_dir) != os.path.abspath(run_config.model_dir):
                logger.warning("%s: estimator_fn built an Estimator with model_dir %s instead of "
                               "passing config=run_config; checkpoints and exports go there, not to %s",
                               self.path, model_dir, run_config.model_dir)
        elif builder == "keras_model_fn":
            logger.info("invoking the user-provided keras_model_fn")
            model = user_fn(self.params)
            if tfapi.is_tf2():
                from legacy_compat.tfview.keras_support import fix_tf1_optimizer
                model = fix_tf1_optimizer(model)
            estimator = tf.keras.estimator.model_to_estimator(keras_model=model, config=run_config)
        else:
            logger.info("creating an estimator from the user-provided model_fn")
            user_model_fn = user_fn

            # TF inspects this wrapper's signature, so the user's model_fn always
            # gets four positional arguments whatever it names them (legacy rule).
            def model_fn(features, labels, mode, params):
                return user_model_fn(features, labels, mode, params)

            estimator = tf.estimator.Estimator(model_fn=model_fn, params=self.params,
                                               config=run_config)
        return estimator

    def input_fn(self, name):
        user_fn = getattr(self.module, name)
        kwargs = contract.bind_input_fn(self.path, name, user_fn, {
            "training_dir": self.env.training_dir,
            "hyperparameters": self.params,
            "input_channels": dict(self.env.channel_dirs),
        })

        # What it returns is normalised by the adapter layer (legacy_compat.patch).
        def call():
            return user_fn(**kwargs)

        call.__name__ = name  # named in the adapter layer's messages
        return call

    def exporters(self, tf):
        serving_input_fn = getattr(self.module, "serving_input_fn", None)
        if serving_input_fn is None:
            logger.warning("%s: serving_input_fn is not defined, so no model is exported "
                           "(nothing under model/export/%s); checkpoints are kept in %s",
                           self.path, EXPORTER_NAME, self.env.checkpoint_dir)
            return []
        contract.check_positional(self.path, "serving_input_fn", serving_input_fn)
        params = self.params

        def receiver_fn():
            return serving_input_fn(params)

        return [tf.estimator.LatestExporter(EXPORTER_NAME, serving_input_receiver_fn=receiver_fn)]

    # -- the schedule ------------------------------------------------------------------------
    def train(self):
        if is_remote(self.env.checkpoint_dir) and tfapi.is_tf2():
            raise ConfigError(
                "checkpoint_path %s is remote storage, which TensorFlow 2.x cannot write "
                "itself" % self.env.checkpoint_dir,
                hint="use a local --checkpoint-path (or hyperparameter checkpoint_path) for now")
        tf = tfapi.v1()
        from legacy_compat import patch
        patch.activate()
        tf.logging.set_verbosity(tf.logging.INFO)
        plan = schedule.plan(self.params, tfapi.tf_version())
        for key, text in plan.notes:
            logger.info("hyperparameter %s: %s", key, text)
        for key, text in plan.warnings:
            logger.warning("hyperparameter %s: %s", key, text)
        target = self.params.get("training_steps")
        eval_steps = self.params.get("evaluation_steps")
        with tfapi.quiet_deprecations():
            run_config = self.build_run_config(tf, plan)
            train_input_fn = self.input_fn("train_input_fn")
            eval_input_fn = self.input_fn("eval_input_fn")
            exporters = self.exporters(tf)
            estimator = self.build_estimator(tf, run_config)
            log_every = self.params.get("log_step_count_steps") or run_config.log_step_count_steps
            hooks = [progress.make_hook(tf, target, log_every),
                     stops.make_hook(tf, estimator.model_dir)]

        start_step = checkpoints.global_step(tf, estimator.model_dir, verify=True)
        if start_step is not None:
            logger.info("resuming from the checkpoint at global step %d in %s",
                        start_step, estimator.model_dir)
        run = _Run(tf, estimator, eval_input_fn, eval_steps, exporters)
        if target is not None and start_step is not None and start_step >= target:
            logger.warning(
                "the checkpoint in %s is already at global step %d and training_steps is %d: "
                "training_steps is the absolute global-step target, so there is nothing to train. "
                "Evaluating and exporting the existing model. To train further, raise "
                "training_steps above %d.", estimator.model_dir, start_step, target, start_step)
            metrics = run.evaluate_and_export(final=True)
        elif plan.step_schedule:
            logger.info("training to global step %s on the step schedule (evaluation_steps=%s)",
                        target, eval_steps)
            metrics = run.step_schedule(plan, train_input_fn, hooks, target, start_step or 0)
        else:
            logger.info("training to global step %s (evaluation_steps=%s)", target, eval_steps)
            with tfapi.quiet_deprecations():
                train_spec = tf.estimator.TrainSpec(train_input_fn, max_steps=target, hooks=hooks)
                eval_spec = tf.estimator.EvalSpec(eval_input_fn, steps=eval_steps,
                                                  exporters=exporters, **plan.eval_spec)
            result = tf.estimator.train_and_evaluate(estimator, train_spec, eval_spec)
            metrics = result[0] if isinstance(result, tuple) else None
        export_dir = self.publish_export() if exporters else None
        return TrainingResult(latest_global_step(tf, estimator.model_dir), metrics, export_dir)

    def publish_export(self):
        """Make sure the newest export is under <model_dir>/export/Servo/<timestamp>."""
        source = newest_export(os.path.join(self.env.checkpoint_dir, "export", EXPORTER_NAME))
        if source is None:
            logger.warning("no SavedModel was exported under %s",
                           os.path.join(self.env.checkpoint_dir, "export", EXPORTER_NAME))
            return None
        target = os.path.join(self.env.model_dir, "export", EXPORTER_NAME, os.path.basename(source))
        if os.path.abspath(source) != os.path.abspath(target) and self.env.is_master:
            if os.path.exists(target):
                shutil.rmtree(target)
            shutil.copytree(source, target)
            logger.info("copied the newest export %s to %s", source, target)
        return target


class _Run(object):
    """Evaluation and export outside train_and_evaluate: resumed jobs and the step schedule."""

    def __init__(self, tf, estimator, eval_input_fn, eval_steps, exporters):
        self.tf = tf
        self.estimator = estimator
        self.eval_input_fn = eval_input_fn
        self.eval_steps = eval_steps
        self.exporters = exporters

    def evaluate_and_export(self, final):
        model_dir = self.estimator.model_dir
        metrics = self.estimator.evaluate(self.eval_input_fn, steps=self.eval_steps)
        checkpoint = self.tf.train.latest_checkpoint(model_dir)
        for exporter in self.exporters:
            exporter.export(self.estimator, os.path.join(model_dir, "export", exporter.name),
                            checkpoint, metrics, final)
        return metrics

    def step_schedule(self, plan, train_input_fn, hooks, target, step):
        """Train in chunks of ``plan.every_steps`` global steps, evaluating between chunks.

        This is how min_eval_frequency / train_steps_per_iteration / eval delays
        keep their TF 1.4/1.5 meaning on every version (TF 1.6+ only offers a
        time-based cadence). The run always ends with an evaluation and export.
        """
        started = time.time()
        last_evaluation = None
        evaluated_at = None
        metrics = None
        while target is None or step < target:
            stop = None if plan.every_steps is None else step + plan.every_steps
            if target is not None:
                stop = target if stop is None else min(stop, target)
            self.estimator.train(train_input_fn, max_steps=stop, hooks=hooks)
            reached = latest_global_step(self.tf, self.estimator.model_dir) or step
            if reached <= step or stop is None:
                step = reached
                break  # the input ran out (or there was no step target)
            step = reached
            now = time.time()
            due = (plan.every_steps is not None and now - started >= plan.delay_secs and
                   (last_evaluation is None or now - last_evaluation >= plan.throttle_secs))
            if due and (target is None or step < target):
                metrics = self.evaluate_and_export(final=False)
                last_evaluation, evaluated_at = now, step
        if evaluated_at != step:
            metrics = self.evaluate_and_export(final=True)
        return metrics


def newest_export(base):
    if not os.path.isdir(base):
        return None
    versions = [name for name in os.listdir(base)
                if name.isdigit() and os.path.exists(os.path.join(base, name, "saved_model.pb"))]
    return os.path.join(base, max(versions, key=int)) if versions else None


def latest_global_step(tf, model_dir):
    return checkpoints.global_step(tf, model_dir)
