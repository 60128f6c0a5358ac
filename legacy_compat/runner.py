"""``legacy-compat train``: one job from Environment to success or failure file."""

import logging
import os
import sys
import traceback

from legacy_compat import cluster, contract, outcome, sources, storage, userscript
from legacy_compat.errors import ConfigError, ScriptContractError

logger = logging.getLogger("legacy_compat")


def run(env, strict=False, evaluate=True, storage_options=None):
    """Train the job described by ``env``; return the process exit code.

    ``evaluate=False`` is a train-only run (``--no-eval``): no eval_input_fn
    needed, the model is trained and exported without evaluation.

    Every failure, including a broken script or configuration, ends with the
    failure file and a non-zero exit code, never a half-written success.
    """
    job = {}
    code = _run(env, strict, evaluate, storage_options, job)
    if job.get("cluster") is not None:
        job["cluster"].close()
        cluster.exit_process(code)  # TF's in-process server threads never end by themselves
    return code


def _run(env, strict, evaluate, storage_options, job):
    user_files = set()
    store = storage.JobStorage(env, storage_options)
    try:
        sources.fetch_submit_directory(env, store.s3)
        if env.script_path is None:
            raise ConfigError("no training script given")
        source = userscript.read_source(env.script_path)
        userscript.check_contract(source, evaluate)
        user_files.add(os.path.abspath(source.path))
        if env.code_dir:
            user_files.update(_python_files(env.code_dir))
        job["cluster"] = _prepare_environment(env)
        if job["cluster"] is not None and job["cluster"].is_ps:
            code = job["cluster"].serve_ps()
            outcome.write_success(env)
            return code
        store.prepare()
        sources.install_requirements(
            env, allowed=env.mode == "container" or store.options.install_requirements)
        logger.info("loading %s", env.script_path)
        module = userscript.load(source, env.code_dir)
        contract.require_module_functions(env.script_path, module, evaluate)
        from legacy_compat.trainer import Trainer
        result = Trainer(env, module, strict=strict, evaluate=evaluate).train()
        if result.export_dir:
            logger.info("SavedModel exported to %s", result.export_dir)
        logger.info("training finished at global step %s", result.global_step)
        if job["cluster"] is not None:
            job["cluster"].finish()
        store.finish()
        outcome.write_success(env)
        store.upload_output(best_effort=True)  # the verdict file; model and data are already up
        return 0
    except (Exception, KeyboardInterrupt) as exc:  # the job must always end with a verdict
        tb = sys.exc_info()[2]
        store.abandon()
        outcome.write_failure(env.output_dir, exc, "".join(traceback.format_exception(type(exc), exc, tb)))
        store.upload_output(best_effort=True)
        if isinstance(exc, (ScriptContractError, ConfigError)):
            outcome.print_summary("legacy-compat: %s" % exc)
        else:
            outcome.print_summary(outcome.summary(exc, tb, user_files))
        if job.get("cluster") is not None:
            job["cluster"].abort(exc)
        return outcome.exit_code(exc)


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
