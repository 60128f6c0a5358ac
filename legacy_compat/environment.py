"""The SageMaker training contract as one object.

Everything else in the runtime receives an :class:`Environment` instead of
reading ``/opt/ml`` or the command line itself. Both ways in build the same
object:

* :meth:`Environment.from_base_dir` reads the container contract under
  ``/opt/ml`` (or ``$LEGACY_COMPAT_BASE_DIR``): ``input/config/*.json``,
  ``input/data/<channel>``, ``code/<sagemaker_program>``.
* :meth:`Environment.local` is the embedded default: a job directory laid out
  like ``/opt/ml`` and channels given as local folders.

Construction only reads files; it never writes, probes hardware or touches
``os.environ`` (the runner applies :meth:`Environment.to_env_vars`).
"""

import json
import os

from legacy_compat import contract
from legacy_compat import hyperparameters as hp
from legacy_compat.errors import ConfigError
from legacy_compat.storage import is_remote

BASE_DIR_ENV = "LEGACY_COMPAT_BASE_DIR"
DEFAULT_BASE_DIR = "/opt/ml"
DEFAULT_HOST = "algo-1"
# The TF_CONFIG jobs whose task is the job's master (evaluates and exports).
CHIEF_JOBS = ("master", "chief")


def default_base_dir():
    return os.environ.get(BASE_DIR_ENV, DEFAULT_BASE_DIR)


def _read_json(path, default=None, required=False):
    if not os.path.exists(path):
        if required:
            raise ConfigError("file not found", path=path,
                              hint="the SageMaker training contract puts it there; "
                                   "for local runs pass the script: legacy-compat train SCRIPT")
        return default
    try:
        with open(path) as handle:
            return json.load(handle)
    except ValueError as error:
        raise ConfigError("not valid JSON (%s)" % error, path=path,
                          hint="fix the file or regenerate it from the training job definition")


def launcher_tf_config(environ=None):
    """The TF_CONFIG the process was started with, checked, or None when there is none."""
    text = (os.environ if environ is None else environ).get("TF_CONFIG")
    if not text or not text.strip():
        return None
    try:
        config = json.loads(text)
    except ValueError as error:
        raise ConfigError("TF_CONFIG is not valid JSON (%s): %r" % (error, text[:200]),
                          hint="unset TF_CONFIG, or set it to the JSON object TensorFlow expects")
    if not isinstance(config, dict):
        raise ConfigError("TF_CONFIG must be a JSON object, got %r" % text[:200])
    cluster = config.get("cluster") or {}
    task = config.get("task") or {}
    if not cluster:
        return config if not task else _bad_tf_config("it has a task but no cluster", text)
    if not isinstance(cluster, dict) or not all(
            isinstance(addresses, list) for addresses in cluster.values()):
        _bad_tf_config("'cluster' must map job names to lists of host:port", text)
    kind, index = task.get("type"), task.get("index", 0)
    if kind not in cluster or not isinstance(index, int) or not 0 <= index < len(cluster[kind]):
        _bad_tf_config("task %r is not in the cluster %s" % (task, sorted(cluster)), text)
    return config


def _bad_tf_config(problem, text):
    raise ConfigError("TF_CONFIG: %s: %s" % (problem, text[:300]),
                      hint='expected {"cluster": {"chief": ["host:2222"], "worker": [...], '
                           '"ps": [...]}, "task": {"type": "worker", "index": 0}}')


def _is_file_mode(channel_config):
    """Pipe Mode channels are FIFOs next to the folder, not a folder."""
    mode = channel_config.get("TrainingInputMode") if isinstance(channel_config, dict) else None
    return (mode or "File") == "File"


class Environment(object):
    """A read-only snapshot of one training job's configuration."""

    def __init__(self, base_dir, script_path, hyperparameters, channel_dirs,
                 hosts=None, current_host=None, code_dir=None, checkpoint_path=None,
                 job_name=None, mode="local", remote_channels=None, tf_config=None):
        self.base_dir = os.path.abspath(base_dir)
        self.script_path = os.path.abspath(script_path) if script_path else None
        # Decoded hyperparameters exactly as the job defined them (no defaults).
        self.hyperparameters = dict(hyperparameters)
        self.channel_dirs = dict(channel_dirs)
        self.hosts = list(hosts or [DEFAULT_HOST])
        self.current_host = current_host or self.hosts[0]
        self.code_dir = code_dir or (os.path.dirname(self.script_path) if self.script_path else None)
        self._checkpoint_path = checkpoint_path
        self.job_name = job_name
        self.mode = mode
        # Channels given as s3:// URIs (local mode): storage downloads them into channel_dirs.
        self.remote_channels = dict(remote_channels or {})
        # A TF_CONFIG the launcher set (Kubeflow, TonY, SageMaker): honoured, never rebuilt.
        self.tf_config = tf_config

    # -- the /opt/ml layout, derived from one root ---------------------------------
    @property
    def model_dir(self):
        return os.path.join(self.base_dir, "model")

    @property
    def output_dir(self):
        return os.path.join(self.base_dir, "output")

    @property
    def output_data_dir(self):
        return os.path.join(self.output_dir, "data")

    @property
    def input_dir(self):
        return os.path.join(self.base_dir, "input")

    @property
    def success_file(self):
        return os.path.join(self.output_dir, "success")

    @property
    def failure_file(self):
        return os.path.join(self.output_dir, "failure")

    @property
    def is_master(self):
        """Whether this process is the job's master (the one that evaluates and exports)."""
        if self.tf_config:
            return self.tf_config.get("task", {}).get("type") in CHIEF_JOBS
        return self.current_host == self.hosts[0]

    @property
    def training_dir(self):
        """What legacy input functions get as ``training_dir``: the ``training`` channel or None."""
        return self.channel_dirs.get(contract.TRAINING_CHANNEL)

    @property
    def checkpoint_dir(self):
        """Where TensorFlow writes checkpoints: ``contract.checkpoint_dir`` (tuning-job suffix)."""
        path = contract.checkpoint_dir(self._checkpoint_path, self.model_dir,
                                       self.hyperparameters, self.job_name)
        return path if is_remote(path) else os.path.abspath(path)

    # -- constructors ----------------------------------------------------------------
    @classmethod
    def from_base_dir(cls, base_dir=None):
        """Read the SageMaker container contract rooted at ``base_dir``."""
        base_dir = base_dir or default_base_dir()
        config_dir = os.path.join(base_dir, "input", "config")
        raw = _read_json(os.path.join(config_dir, "hyperparameters.json"), required=True)
        if not isinstance(raw, dict):
            raise ConfigError("expected a JSON object of hyperparameters",
                              path=os.path.join(config_dir, "hyperparameters.json"))
        hyperparameters = hp.decode(raw)
        resources = _read_json(os.path.join(config_dir, "resourceconfig.json"), default={})
        data_config = _read_json(os.path.join(config_dir, "inputdataconfig.json"), default={})
        channel_dirs = {}
        for channel in sorted(data_config):
            channel_dir = os.path.join(base_dir, "input", "data", channel)
            # The legacy platform sometimes nested the data one level deeper.
            nested = hyperparameters.get("sagemaker_s3_uri_%s" % channel)
            if nested and os.path.isdir(os.path.join(channel_dir, str(nested))):
                channel_dir = os.path.join(channel_dir, str(nested))
            if not os.path.isdir(channel_dir) and _is_file_mode(data_config[channel]):
                raise ConfigError(
                    "channel %r is listed in inputdataconfig.json but its directory %s does not "
                    "exist" % (channel, channel_dir),
                    path=os.path.join(config_dir, "inputdataconfig.json"),
                    hint="put the channel's files there, or remove the channel from the job")
            channel_dirs[channel] = channel_dir
        code_dir = os.path.join(base_dir, "code")
        program = hyperparameters.get("sagemaker_program")
        if not program:
            raise ConfigError("hyperparameter 'sagemaker_program' is missing",
                              path=os.path.join(config_dir, "hyperparameters.json"),
                              hint="set it to the script's file name, e.g. \"\\\"train.py\\\"\"")
        script = os.path.join(code_dir, program if program.endswith(".py") else program + ".py")
        hosts = resources.get("hosts") or [DEFAULT_HOST]
        return cls(base_dir, script, hyperparameters, channel_dirs,
                   hosts=hosts, current_host=resources.get("current_host") or hosts[0],
                   code_dir=code_dir, job_name=os.environ.get("TRAINING_JOB_NAME"),
                   mode="container", tf_config=launcher_tf_config())

    @classmethod
    def local(cls, script, channels=None, hyperparameters=None, job_dir="legacy-compat-job",
              checkpoint_path=None, hosts=None, current_host=None):
        """The embedded default: local folders, no AWS.

        ``channels`` maps channel names to folders. ``hyperparameters`` are
        taken as written (``{"learning_rate": 0.1, "run_name": "123"}``) unless
        they are a SageMaker hyperparameters.json (``hp.is_sagemaker_encoded``),
        which is decoded value by value like the container does.
        """
        hyperparameters = hp.as_given(hyperparameters)
        channel_dirs = {}
        remote = {}
        for name, path in (channels or {}).items():
            if is_remote(path):
                remote[name] = path
                channel_dirs[name] = os.path.abspath(os.path.join(job_dir, "input", "data", name))
                continue
            if not os.path.isdir(path):
                raise ConfigError("channel %r: directory not found" % name, path=path,
                                  hint="pass an existing folder: --channel %s=DIR" % name)
            channel_dirs[name] = os.path.abspath(path)
        return cls(job_dir, script, hyperparameters, channel_dirs,
                   checkpoint_path=checkpoint_path, job_name=os.environ.get("TRAINING_JOB_NAME"),
                   mode="local", remote_channels=remote, hosts=hosts, current_host=current_host,
                   tf_config=launcher_tf_config())

    # -- projections -------------------------------------------------------------------
    def to_env_vars(self):
        """The Script Mode ``SM_*`` variables (so helpers such as PipeModeDataset find channels)
        and the legacy container's own ``CURRENT_HOST`` / ``JOB_NAME`` / ``SAGEMAKER_REGION``."""
        env = {
            "SM_MODEL_DIR": self.model_dir,
            "SM_OUTPUT_DATA_DIR": self.output_data_dir,
            "SM_INPUT_DIR": self.input_dir,
            "SM_CHANNELS": json.dumps(sorted(self.channel_dirs)),
            "SM_HOSTS": json.dumps(self.hosts),
            "SM_CURRENT_HOST": self.current_host,
            "SM_HPS": json.dumps(self.hyperparameters, sort_keys=True, default=str),
        }
        for name, path in self.channel_dirs.items():
            env["SM_CHANNEL_%s" % name.upper()] = path
        # What the legacy container exported itself; some scripts read them.
        env["CURRENT_HOST"] = self.current_host
        env["JOB_NAME"] = str(self.hyperparameters.get("sagemaker_job_name") or "")
        region = self.hyperparameters.get("sagemaker_region")
        if region:
            env["SAGEMAKER_REGION"] = str(region)
        return env
