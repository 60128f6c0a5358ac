"""Build the Estimator the legacy container would have built, train, evaluate and export.

Follows the TF 1.6+ legacy trainer (``tf.estimator.train_and_evaluate`` with
``LatestExporter('Servo')``) on every TensorFlow version, with its rough edges
fixed: a resumed job already past ``training_steps`` says so and exports, and
the newest export is copied into the model directory when checkpoints live
elsewhere. The step schedule (``min_eval_frequency`` & co.) and train-only runs
(``--no-eval``) are ``contract.run_step_schedule``, the code converted scripts run.
"""

import logging
import os
import time

from legacy_compat import checkpoints, contract, progress, schedule, stops, storage, tfapi
from legacy_compat.errors import ConfigError
from legacy_compat.tfview.keras_support import fix_tf1_optimizer

logger = logging.getLogger("legacy_compat")


class TrainingResult(object):
    def __init__(self, global_step, metrics, export_dir):
        self.global_step = global_step
        self.metrics = metrics
        self.export_dir = export_dir


class Trainer(object):
    """Runs one user module through the Legacy Mode training schedule."""

    def __init__(self, env, module, strict=False, evaluate=True):
        self.env = env
        self.module = module
        self.path = env.script_path
        self.strict = strict
        self.evaluate = evaluate  # False: a train-only run (--no-eval)
        # The one dict every user function sees, defaults included (legacy behaviour).
        self.params = contract.with_defaults(env.hyperparameters)
        # Local even when checkpoint_path is s3:// (storage stages and syncs it).
        self.checkpoint_dir = storage.local_checkpoint_dir(env)

    # -- pieces ----------------------------------------------------------------------------
    def build_run_config(self, plan):
        return tfapi.estimator().RunConfig(model_dir=self.checkpoint_dir, **plan.run_config)

    def build_estimator(self, run_config):
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
            model = fix_tf1_optimizer(model)
            estimator = tfapi.model_to_estimator()(keras_model=model, config=run_config)
        else:
            logger.info("creating an estimator from the user-provided model_fn")
            user_model_fn = user_fn

            # TF inspects this wrapper's signature, so the user's model_fn always
            # gets four positional arguments whatever it names them (legacy rule).
            def model_fn(features, labels, mode, params):
                return user_model_fn(features, labels, mode, params)

            estimator = tfapi.estimator().Estimator(model_fn=model_fn, params=self.params,
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

    def exporters(self):
        serving_input_fn = getattr(self.module, contract.SERVING_INPUT_FN, None)
        if serving_input_fn is None:
            logger.warning("%s: serving_input_fn is not defined, so no model is exported "
                           "(nothing under model/export/%s); checkpoints are kept in %s",
                           self.path, contract.EXPORTER_NAME, self.checkpoint_dir)
            return []
        contract.check_positional(self.path, contract.SERVING_INPUT_FN, serving_input_fn)
        arguments = contract.serving_input_arguments(serving_input_fn, self.params)

        def receiver_fn():
            return serving_input_fn(*arguments)

        return [tfapi.estimator().LatestExporter(contract.EXPORTER_NAME,
                                                 serving_input_receiver_fn=receiver_fn)]

    # -- the schedule ------------------------------------------------------------------------
    def train(self):
        tf = tfapi.v1()
        # Importing the adapter layer activates it: only a job that trains pays for it.
        from legacy_compat import patch
        patch.activate()
        tf.logging.set_verbosity(tf.logging.INFO)
        plan = self.plan()
        with tfapi.quiet_deprecations():
            run_config = self.build_run_config(plan)
            run = self.build_run(tf, run_config)
        start_step = self.resume_step(tf, run.estimator.model_dir)
        finished = contract.trained_past(self.target, start_step)
        distributed = in_cluster(run_config)
        self.fit_plan_to_cluster(plan, distributed)
        if finished:
            self.warn_nothing_to_train(run.estimator.model_dir, start_step)
        if finished and not self.env.is_master:
            metrics = None  # only the master evaluates and exports (legacy rule)
        elif not self.evaluate:
            metrics = self.train_without_evaluation(run, start_step)
        elif plan.cadence is not None or finished:
            metrics = self.train_on_step_schedule(run, plan.cadence, start_step)
        else:
            metrics = self.train_and_evaluate(tf, run, plan, run_config, distributed)
        export_dir = self.publish_export() if run.exporters else None
        return TrainingResult(contract.latest_global_step(tf, run.estimator.model_dir), metrics,
                              export_dir)

    @property
    def target(self):
        """The absolute global step training stops at (``training_steps``)."""
        return self.params.get("training_steps")

    def plan(self):
        plan = schedule.plan(self.params, tfapi.version())
        for key, text in plan.notes:
            logger.info("hyperparameter %s: %s", key, text)
        for key, text in plan.warnings:
            logger.warning("hyperparameter %s: %s", key, text)
        return plan

    def build_run(self, tf, run_config):
        """The user's functions bound, the Estimator built, the hooks every training run gets."""
        train_input_fn = self.input_fn("train_input_fn")
        eval_input_fn = self.input_fn("eval_input_fn") if self.evaluate else None
        exporters = self.exporters()
        estimator = self.build_estimator(run_config)
        log_every = self.params.get("log_step_count_steps") or run_config.log_step_count_steps
        hooks = [progress.make_hook(tf, self.target, log_every),
                 stops.make_hook(tf, estimator.model_dir)]
        return _Run(tf, estimator, train_input_fn, hooks, eval_input_fn,
                    self.params.get("evaluation_steps"), exporters)

    def resume_step(self, tf, model_dir):
        """The global step of the checkpoint the job resumes from, or None."""
        start_step = checkpoints.global_step(tf, model_dir, verify=True)
        if start_step is not None:
            logger.info("resuming from the checkpoint at global step %d in %s",
                        start_step, model_dir)
        return start_step

    def fit_plan_to_cluster(self, plan, distributed):
        """A multi-host job needs train_and_evaluate: Estimator.train alone starts no server."""
        if distributed and not self.evaluate:
            raise ConfigError(
                "--no-eval trains with Estimator.train, which starts no TensorFlow server and so "
                "cannot join a multi-host job", hint="run the multi-host job without --no-eval")
        if distributed and plan.cadence is not None:
            # train_and_evaluate evaluates on the checkpoint cadence instead.
            logger.warning("hyperparameters %s: a multi-host job evaluates after checkpoints "
                           "(throttle_secs), not on the step schedule",
                           ", ".join(sorted(set(contract.STEP_SCHEDULE_KEYS) & set(self.params))))
            plan.cadence = None

    def warn_nothing_to_train(self, model_dir, start_step):
        logger.warning(
            "the checkpoint in %s is already at global step %d and training_steps is %d: "
            "training_steps is the absolute global-step target, so there is nothing to train. "
            "Evaluating and exporting the existing model. To train further, raise "
            "training_steps above %d.", model_dir, start_step, self.target, start_step)

    def train_without_evaluation(self, run, start_step):
        """``--no-eval``: train to the target, export once."""
        logger.info("training to global step %s without evaluation (--no-eval)", self.target)
        scheduled = [key for key in contract.STEP_SCHEDULE_KEYS
                     if self.params.get(key) is not None]
        if scheduled:
            logger.warning("--no-eval: %s ignored (no evaluations); the model is exported "
                           "once, after training", ", ".join(scheduled))
        return contract.run_step_schedule(run.train, run.export, None, self.target,
                                          start_step or 0)

    def train_on_step_schedule(self, run, cadence, start_step):
        """The legacy step schedule (or only the final evaluation when already trained)."""
        logger.info("training to global step %s on the step schedule (evaluation_steps=%s)",
                    self.target, run.eval_steps)
        return contract.run_step_schedule(run.train, run.evaluate_and_export, cadence,
                                          self.target, start_step or 0)

    def train_and_evaluate(self, tf, run, plan, run_config, distributed):
        """TensorFlow's train_and_evaluate: evaluation on the checkpoint cadence."""
        target = self.target
        logger.info("training to global step %s (evaluation_steps=%s)", target, run.eval_steps)
        estimators = tfapi.estimator()
        with tfapi.quiet_deprecations():
            eval_spec = estimators.EvalSpec(run.eval_input_fn, steps=run.eval_steps,
                                            exporters=run.exporters, **plan.eval_spec)
            watch = [] if distributed else [data_end_watch(tf, target, eval_spec.throttle_secs)]
            train_spec = estimators.TrainSpec(run.train_input_fn, max_steps=target,
                                              hooks=run.hooks + watch)
        try:
            result = estimators.train_and_evaluate(run.estimator, train_spec, eval_spec)
        except DataRanOut:
            result = None  # evaluated and exported once already, after the pass that ran out
        metrics = result[0] if isinstance(result, tuple) else None
        if chief_without_evaluator(run_config):
            # TF leaves evaluation to an evaluator task; the legacy master evaluated and
            # exported at the end itself.
            metrics = run.evaluate_and_export(final=True)
        reached = contract.latest_global_step(tf, run.estimator.model_dir)
        # A worker may see the master's checkpoints before the last one is written.
        if self.env.is_master and target is not None and reached is not None and reached < target:
            contract.warn_data_ran_out(reached, target)
        return metrics

    def publish_export(self):
        """Make sure the newest export is under <model_dir>/export/Servo/<timestamp>."""
        if not self.env.is_master:
            return None
        target = contract.publish_export(self.checkpoint_dir, self.env.model_dir)
        if target is None:
            logger.warning("no SavedModel was exported under %s",
                           contract.export_base(self.checkpoint_dir))
        elif contract.newest_export(self.checkpoint_dir) != target:
            logger.info("copied the newest export to %s", target)
        return target


class _Run(object):
    """The steps contract.run_step_schedule drives: train, evaluate, export."""

    def __init__(self, tf, estimator, train_input_fn, hooks, eval_input_fn, eval_steps, exporters):
        self.tf = tf
        self.estimator = estimator
        self.train_input_fn = train_input_fn
        self.hooks = hooks
        self.eval_input_fn = eval_input_fn
        self.eval_steps = eval_steps
        self.exporters = exporters

    def train(self, stop):
        self.estimator.train(self.train_input_fn, max_steps=stop, hooks=self.hooks)
        return contract.latest_global_step(self.tf, self.estimator.model_dir)

    def export(self, final, metrics=None):
        model_dir = self.estimator.model_dir
        checkpoint = self.tf.train.latest_checkpoint(model_dir)
        for exporter in self.exporters:
            exporter.export(self.estimator, contract.export_base(model_dir), checkpoint, metrics,
                            final)
        return metrics

    def evaluate_and_export(self, final):
        return self.export(final, self.estimator.evaluate(self.eval_input_fn,
                                                          steps=self.eval_steps))


class DataRanOut(Exception):
    """train_and_evaluate was about to restart a train_input_fn that had run out of data."""


def data_end_watch(tf, target, throttle_secs):
    """A training hook that ends train_and_evaluate's local loop once the input has run out.

    TF 1.6-1.8 train locally in a loop (train until throttle_secs, evaluate, repeat until
    max_steps), so an input that runs out is restarted and evaluated after every pass; TF 1.9+
    stops after the pass. One rule on every release (contract.warn_data_ran_out): a training
    pass that ends below ``target`` well before ``throttle_secs`` ran out of data, and the
    next pass is not started.
    """

    class DataEndWatch(tf.train.SessionRunHook):
        ran_out = False

        def begin(self):
            if self.ran_out:
                raise DataRanOut()
            self.global_step = tf.train.get_global_step()
            self.started = time.time()

        def end(self, session):
            step = session.run(self.global_step)
            if target is not None and step < target and \
                    time.time() - self.started < (throttle_secs or 0):
                self.ran_out = True

    return DataEndWatch()


def in_cluster(run_config):
    """True when TF_CONFIG makes this a multi-task (parameter-server) job."""
    return run_config.num_worker_replicas + run_config.num_ps_replicas > 1


def chief_without_evaluator(run_config):
    """A launcher's ``chief`` (Kubeflow, TonY) in a cluster that has no evaluator task."""
    return run_config.task_type == "chief" and "evaluator" not in (
        run_config.cluster_spec.as_dict() if run_config.cluster_spec else {})

