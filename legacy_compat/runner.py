"""``legacy-compat train``: one job from Environment to success or failure file."""

import logging
import os
import sys
import traceback

from legacy_compat import (cluster, contract, outcome, processes, sources, stops, storage,
                           userscript)
from legacy_compat.errors import (CheckpointError, ConfigError, JobDirError, ScriptContractError,
                                  ScriptExit)
from legacy_compat.trainer import Trainer

logger = logging.getLogger("legacy_compat")


def run(env, strict=False, evaluate=True, storage_options=None):
    """Train the job described by ``env``; return the process exit code.

    ``evaluate=False`` is a train-only run (``--no-eval``): no eval_input_fn
    needed, the model is trained and exported without evaluation.

    Every failure, including a broken script or configuration, ends with the
    failure file (or, when even that cannot be written, a line on stderr that
    says why) and a non-zero exit code, never a half-written success. The
    codes are listed in ``outcome``.
    """
    job = _Job(env, storage_options)
    code = job.run(strict, evaluate)
    if job.cluster is not None:
        job.cluster.close()
        processes.exit_process(code)  # TF's in-process server threads never end by themselves
    return code


class _Job(object):
    """One job from its folders to its verdict; ``cluster`` is the cluster it joined, if any."""

    def __init__(self, env, storage_options):
        self.env = env
        self.storage_options = storage_options
        self.store = None
        self.cluster = None
        self.user_files = set()  # a traceback's frames in these files are the user's
        # False once requirements were not installed (local mode): a failure then names them.
        self.requirements_allowed = True

    def run(self, strict, evaluate):
        stops.install(on_second=lambda signum: _killed(self.env, signum))
        self.store = storage.JobStorage(self.env, self.storage_options)
        try:
            return self._train(strict, evaluate)
        except stops.Stopped as stop:
            self.store.abandon()
            _keep_stop_checkpoint(self.store)
            return self._fail(stop, lambda: outcome.write_failure_text(self.env.output_dir,
                                                                       str(stop)),
                              "legacy-compat: %s" % stop, stops.exit_code(stop.signum))
        except (Exception, KeyboardInterrupt, SystemExit) as exc:  # every job ends with a verdict
            tb = sys.exc_info()[2]
            if isinstance(exc, SystemExit):
                # sys.exit() in the script or one of its functions: training did not finish.
                exc = ScriptExit(exc.code)
            self.store.abandon()
            text = "".join(traceback.format_exception(type(exc), exc, tb))
            if isinstance(exc, (ScriptContractError, ConfigError, CheckpointError)):
                message = "legacy-compat: %s" % exc
            else:
                message = outcome.summary(exc, tb, self.user_files)
            hint = None if self.requirements_allowed else \
                sources.not_installed_hint(self.env, exc)
            if hint:
                message, text = message + "\n" + hint, text + hint + "\n"
            return self._fail(exc, lambda: outcome.write_failure(self.env.output_dir, exc, text),
                              message, _exit_code(exc))
        finally:
            stops.uninstall()

    def _train(self, strict, evaluate):
        env = self.env
        source = self._read_script(evaluate)
        self.cluster = _prepare_environment(env)
        if self.cluster is not None and self.cluster.is_ps:
            stops.uninstall()  # a parameter server has no steps to stop at: a signal ends it
            code = self.cluster.serve_ps()
            outcome.write_success(env)
            return code
        self.store.prepare()
        self.requirements_allowed = env.mode == "container" or \
            self.store.options.install_requirements
        sources.install_requirements(env, allowed=self.requirements_allowed)
        # Importing the adapter layer activates it, so it is imported here: before the script's
        # own imports run, as a name bridged onto TF (e.g. ``from tensorflow.contrib.data import
        # map_and_batch`` on TF < 1.6) is looked up there.
        from legacy_compat import patch, tfapi
        tfapi.own_process()
        patch.activate()
        logger.info("loading %s", env.script_path)
        module = userscript.load(source, env.code_dir)
        contract.require_module_functions(env.script_path, module, evaluate)
        result = Trainer(env, module, strict=strict, evaluate=evaluate).train()
        if result.export_dir:
            logger.info("SavedModel exported to %s", result.export_dir)
        logger.info("training finished at global step %s", result.global_step)
        if stops.requested() is not None:
            # The signal came after the last training step (evaluating or exporting).
            raise stops.Stopped(stops.requested(), result.global_step,
                                note="during the final evaluation or export")
        if self.cluster is not None:
            self.cluster.finish()
        self.store.finish()
        outcome.write_success(env)
        # The verdict file; the model and the data are already up.
        self.store.upload_output(best_effort=True)
        return outcome.EXIT_SUCCESS

    def _read_script(self, evaluate):
        """The job's folders made and its script read and checked, before TF is imported."""
        env = self.env
        _prepare_job_dir(env)
        sources.fetch_submit_directory(env, self.store.s3)
        if env.script_path is None:
            raise ConfigError("no training script given")
        source = userscript.read_source(env.script_path)
        userscript.check_contract(source, evaluate)
        self.user_files.add(os.path.abspath(source.path))
        if env.code_dir:
            self.user_files.update(_python_files(env.code_dir))
        return source

    def _fail(self, exc, write, message, code):
        """How every failed job closes: the verdict, output/ uploaded, the cluster told."""
        code = _verdict(self.env, exc, write, message, code)
        self.store.upload_output(best_effort=True)
        if self.cluster is not None:
            self.cluster.abort(exc)
        return code


def _keep_stop_checkpoint(store):
    """Upload the checkpoint saved at the stop (remote checkpoint paths), so a rerun resumes."""
    if store.checkpoints is None:
        return
    try:
        store.checkpoints.finish()
    except Exception as error:  # noqa: BLE001 - the stop's verdict comes first
        logger.error("the checkpoint saved at the stop was not uploaded: %s", error)


def _exit_code(exc):
    if isinstance(exc, ScriptExit):
        return exc.exit_code
    if isinstance(exc, JobDirError) or outcome.is_disk_full(exc):
        return outcome.EXIT_JOB_DIR
    if isinstance(exc, CheckpointError):
        return outcome.EXIT_CHECKPOINT
    if isinstance(exc, (ScriptContractError, ConfigError)):
        return outcome.EXIT_BAD_INPUT
    return outcome.exit_code(exc)


def _verdict(env, exc, write, message, code):
    """Write the failure file and print ``message``; say so when the file cannot be written."""
    try:
        write()
    except outcome.VerdictNotWritten as error:
        message += ("\nlegacy-compat: the failure file %s could not be written (%s); "
                    "this message is the job's only verdict" % (error.path, error.reason))
        if code not in (outcome.EXIT_BAD_INPUT, outcome.EXIT_CHECKPOINT) and \
                not isinstance(exc, stops.Stopped):
            code = outcome.EXIT_JOB_DIR
    outcome.print_summary(message)
    return code


def _killed(env, signum):
    """The second stop signal: a last line in the failure file, then the process ends."""
    text = ("killed by a second %s while stopping: the checkpoint at the stop may be missing; "
            "rerun to resume from the newest checkpoint" % stops.signal_name(signum))
    try:
        outcome.write_failure_text(env.output_dir, text)
    except outcome.VerdictNotWritten:
        pass
    outcome.print_summary("legacy-compat: " + text)


def _prepare_job_dir(env):
    """Create the job's folders and prove they take files before any training starts."""
    said = []
    for directory in (env.output_dir, env.model_dir):
        try:
            if not os.path.isdir(directory):
                os.makedirs(directory)
            probe = os.path.join(directory, ".legacy-compat-write-test")
            with open(probe, "w") as handle:
                handle.write("x")
            os.remove(probe)
        except (IOError, OSError) as error:
            reason = os.strerror(error.errno) if error.errno else str(error)
            where = error.filename or directory
            raise JobDirError(
                "the job directory cannot be written: %s (%s)" % (where, reason),
                path=env.base_dir,
                hint="pass a --job-dir on a writable file system with free space "
                     "(it must be a directory, or not exist yet)")
        if directory == env.output_dir:
            said = outcome.clear_previous(env.output_dir)
    for verdict in said:
        logger.info("replacing the previous run's verdict (%s)", verdict)


def _python_files(code_dir):
    found = set()
    for root, _, files in os.walk(code_dir):
        for name in files:
            if name.endswith(".py"):
                found.add(os.path.abspath(os.path.join(root, name)))
    return found


def _prepare_environment(env):
    """Process-level settings the legacy container made before importing user code."""
    os.environ.update(env.to_env_vars())
    # Flags in user code (tf.app.flags) parse sys.argv: the container's held no options
    # (entry.py train), ours holds legacy-compat's own (--channel ...), which they refuse.
    sys.argv[:] = [env.script_path]
    os.environ.setdefault("S3_REQUEST_TIMEOUT_MSEC",
                          str(env.hyperparameters.get("s3_checkpoint_save_timeout", 60000)))
    for directory in (env.model_dir, env.output_dir):
        if not os.path.isdir(directory):
            os.makedirs(directory)
    # Several hosts: TF_CONFIG, this host's parameter server; None on one host.
    job_cluster = cluster.for_environment(env)
    return job_cluster.start() if job_cluster is not None else None
