"""Hosts, the current host, the master and TF_CONFIG: the cluster a job trains in.

One host trains alone, as today. With several hosts (``resourceconfig.json``) the
cluster is the legacy container's: the first host is the master, the others are
workers, and every host also runs a parameter server
(:data:`legacy_compat.portable.cluster.LEGACY_LAYOUT`). A ``TF_CONFIG`` set by whoever launched the process (Kubeflow's TFJob and TonY write
``chief``/``worker``/``ps``, SageMaker's parameter-server distribution
``master``/``worker``/``ps``) is honoured as it is instead.

How the job ends (the legacy container only had ``os._exit`` and a curl loop):

* every trainer task that finishes reports ``done`` (or ``failed``) on a queue that
  lives in parameter server 0 (:mod:`legacy_compat.psserver`);
* the chief waits for every worker's report, then releases the parameter servers;
* a worker waits until the chief is gone or its own parameter server was released;
* a watchdog in every trainer ends the process with a failure verdict when a
  parameter server (or, at the end, a worker that never reported) goes away, because
  TensorFlow itself would wait for it forever;
* every task leaves with ``os._exit`` after its verdict is written: TF 1.9/1.10
  masters do not return from ``train_and_evaluate`` in a parameter-server cluster
  (tests/matrix/QUIRKS.md), and the in-process gRPC server has no other way out.

Python 2.7 compatible; TensorFlow is only touched through :mod:`legacy_compat.psserver`.
"""

import json
import logging
import os
import subprocess
import sys
import threading
import time

from legacy_compat import outcome, psserver
from legacy_compat.environment import CHIEF_JOBS
from legacy_compat.errors import ConfigError, LegacyCompatError
from legacy_compat.portable.cluster import legacy_tf_config
from legacy_compat.processes import child_env, exit_process, reachable, stop_process

logger = logging.getLogger("legacy_compat")

TRAINER_JOBS = ("master", "chief", "worker")

# `legacy-compat train --hosts N` hands each host process its place in the cluster here.
LOOPBACK_ENV = "LEGACY_COMPAT_LOOPBACK"
# How long every parameter server has to come up before the job is declared broken.
START_TIMEOUT_ENV = "LEGACY_COMPAT_CLUSTER_START_TIMEOUT"
DEFAULT_START_TIMEOUT = 900
PROBE_SECS = 2.0
# Probes in a row that must fail before a task that was up counts as gone.
DOWN_PROBES = 3


class ClusterError(LegacyCompatError):
    """The cluster broke: a task went away, failed, or never came up."""


def _checked_tf_config(hosts, current_host, addresses=None):
    try:
        return legacy_tf_config(hosts, current_host, addresses)
    except ValueError as error:
        raise ConfigError(str(error), path="resourceconfig.json",
                          hint="current_host must name one of the entries of hosts")


def loopback_assignment(environ=None):
    """This process's place in a `legacy-compat train --hosts N` job, or None."""
    text = (os.environ if environ is None else environ).get(LOOPBACK_ENV)
    return json.loads(text) if text else None


# -- the running cluster ------------------------------------------------------------------------
class Cluster(object):
    """One process's view of a multi-task job, and how it starts and ends."""

    def __init__(self, tf_config, own_ps_index=None, output_dir=None):
        self.tf_config = tf_config
        self.spec = dict(tf_config["cluster"])
        self.task_type = tf_config["task"]["type"]
        self.task_index = int(tf_config["task"].get("index", 0))
        # Set when this process starts the host's parameter server itself (legacy layout).
        self.own_ps_index = own_ps_index
        self.output_dir = output_dir
        self.ps_process = None
        self.watchdog = None

    # -- who is who ------------------------------------------------------------------------
    @property
    def name(self):
        return "%s %d" % (self.task_type, self.task_index)

    @property
    def is_chief(self):
        return self.task_type in CHIEF_JOBS

    @property
    def is_ps(self):
        return self.task_type == "ps"

    @property
    def is_trainer(self):
        return self.task_type in TRAINER_JOBS

    @property
    def ps_addresses(self):
        return list(self.spec.get("ps", []))

    @property
    def chief_address(self):
        for job in CHIEF_JOBS:
            if self.spec.get(job):
                return self.spec[job][0]
        return None

    def workers(self):
        return [("worker", index, address)
                for index, address in enumerate(self.spec.get("worker", []))]

    def describe_ps(self, index):
        address = self.ps_addresses[index]
        if self.own_ps_index is not None:
            # Legacy layout: parameter server i runs on hosts[i] beside that host's trainer.
            owner = "the master" if index == 0 else "worker %d" % (index - 1)
            return "%s's host (its parameter server ps %d at %s)" % (owner, index, address)
        return "parameter server ps %d at %s" % (index, address)

    def reported_failures(self):
        """Failures the workers reported on the board, for the chief's verdict."""
        found = []
        try:
            while self.ps_addresses and reachable(self.ps_addresses[0]):
                message = psserver.receive(self.ps_addresses[0], timeout_secs=1.0)
                if message is None:
                    break
                status, kind, index, detail = psserver.parse_message(message)
                if status == "failed":
                    found.append("%s %d failed: %s" % (kind, index, detail))
        except Exception as error:  # the board is a courtesy; the verdict stands without it
            logger.info("cluster: could not read the workers' reports: %s", error)
        return found

    # -- start ---------------------------------------------------------------------------------
    def start(self):
        """Start this host's parameter server (legacy layout), TF_CONFIG, the watchdog."""
        logger.info("cluster: this process is %s of %s", self.name, json.dumps(self.spec,
                                                                          sort_keys=True))
        if self.own_ps_index is not None:
            self.ps_process = start_ps_process(self.spec, self.own_ps_index)
        os.environ["TF_CONFIG"] = json.dumps(self.tf_config, sort_keys=True)
        if self.is_trainer and self.ps_addresses:
            self.watchdog = Watchdog(self)
            self.watchdog.watch(dict((("ps", i), address) for i, address
                                     in enumerate(self.ps_addresses)))
            self.watchdog.start()
        return self

    def serve_ps(self):
        """Run as a parameter-server task (a launcher's ``ps`` replica running this command)."""
        if "tensorflow" not in sys.modules:
            os.environ["CUDA_VISIBLE_DEVICES"] = ""  # a parameter server needs no GPU
        return psserver.serve(self.spec, self.task_index)

    # -- end -------------------------------------------------------------------------------------
    def finish(self):
        """This task trained to the end: report it and wait for the rest of the job."""
        if not self.is_trainer or not self.ps_addresses:
            return
        if self.is_chief:
            self._wait_for_workers()
            self._stop_watching()
            logger.info("cluster: every worker finished; releasing the parameter servers")
            psserver.release(self.ps_addresses)
        else:
            self._check_watchdog()
            psserver.report(self.ps_addresses[0], psserver.done_message(self.task_type,
                                                                         self.task_index))
            self._stop_watching()
            logger.info("cluster: %s finished training; waiting for the master to finish", self.name)
            self._wait_for_chief()

    def abort(self, exc):
        """This task failed: tell the chief (a worker) or let the workers go (the chief)."""
        if not self.is_trainer or not self.ps_addresses:
            return
        self._stop_watching()
        try:
            if self.is_chief:
                psserver.release(self.ps_addresses)
            else:
                psserver.report(self.ps_addresses[0], psserver.failed_message(
                    self.task_type, self.task_index, "%s: %s" % (type(exc).__name__, exc)))
        except Exception as error:  # the cluster may already be gone; the verdict matters more
            logger.warning("cluster: could not tell the others that %s failed: %s", self.name, error)

    def close(self):
        """Stop what this process started (its parameter server) and wait for it to exit."""
        self._stop_watching()
        process, self.ps_process = self.ps_process, None
        if process is not None:
            stop_process(process, grace_secs=10)

    # -- pieces ----------------------------------------------------------------------------------
    def _stop_watching(self):
        if self.watchdog is not None:
            self.watchdog.stop()

    def _check_watchdog(self):
        if self.watchdog is not None and self.watchdog.failure:
            raise ClusterError(self.watchdog.failure)

    def _wait_for_workers(self):
        pending = dict(((kind, index), address) for kind, index, address in self.workers())
        if pending:
            logger.info("cluster: %s finished training; waiting for %d worker(s) to report "
                        "their end", self.name, len(pending))
            # A worker that never reports must at least stay reachable while we wait.
            self.watchdog.watch(dict((key, address) for key, address in pending.items()))
        while pending:
            self._check_watchdog()
            message = psserver.receive(self.ps_addresses[0], timeout_secs=PROBE_SECS)
            if message is None:
                continue
            status, kind, index, detail = psserver.parse_message(message)
            if status == "failed":
                raise ClusterError("%s %d failed: %s (its own output/failure has the traceback)"
                                   % (kind, index, detail))
            pending.pop((kind, index), None)
            self.watchdog.unwatch((kind, index))
            logger.info("cluster: %s %d finished", kind, index)

    def _wait_for_chief(self):
        """Legacy rule: a worker's host stays up (its parameter server with it) until the
        master is gone; released parameter servers end that wait earlier."""
        chief = self.chief_address
        while chief is not None and reachable(chief):
            if self.ps_process is not None and self.ps_process.poll() is not None:
                return
            time.sleep(PROBE_SECS)


class Watchdog(threading.Thread):
    """Ends this process with a failure verdict when a task it depends on goes away.

    TensorFlow waits forever for a parameter server that is gone ("CreateSession still
    waiting for response from worker"); a job must fail instead.
    """

    def __init__(self, cluster):
        super(Watchdog, self).__init__(name="legacy-compat-cluster-watchdog")
        self.daemon = True
        self.cluster = cluster
        self.failure = None
        self._targets = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        self.start_timeout = float(os.environ.get(START_TIMEOUT_ENV, DEFAULT_START_TIMEOUT))

    def watch(self, targets):
        """``targets`` maps (job, index) to host:port."""
        with self._lock:
            for key, address in targets.items():
                self._targets.setdefault(key, {"address": address, "up": False, "misses": 0,
                                               "since": time.time()})

    def unwatch(self, key):
        with self._lock:
            self._targets.pop(key, None)

    def stop(self):
        self._stopped.set()

    def run(self):
        while not self._stopped.wait(PROBE_SECS):
            with self._lock:
                targets = list(self._targets.items())
            for key, state in targets:
                problem = self._probe(key, state)
                if problem and not self._stopped.is_set():
                    self.failure = problem
                    self._fail(problem)
                    return

    def _probe(self, key, state):
        if reachable(state["address"]):
            state["up"], state["misses"] = True, 0
            return None
        state["misses"] += 1
        what = (self.cluster.describe_ps(key[1]) if key[0] == "ps"
                else "%s %d at %s" % (key[0], key[1], state["address"]))
        if state["up"] and state["misses"] >= DOWN_PROBES:
            return ("%s stopped answering mid-job: that process ended (its own log and "
                    "output/failure say why). TensorFlow would wait for it forever, so the job "
                    "fails here" % what)
        if not state["up"] and time.time() - state["since"] > self.start_timeout:
            return ("%s did not come up within %d s (%s): check that the host started and that "
                    "the port is reachable from this one" % (what, self.start_timeout,
                                                             START_TIMEOUT_ENV))
        return None

    def _fail(self, problem):
        """Write the verdict and end the process; the training thread cannot be interrupted."""
        if self.cluster.is_chief:
            problem = "; ".join(self.cluster.reported_failures() + [problem])
        error = ClusterError(problem)
        if self.cluster.output_dir:
            outcome.write_failure(self.cluster.output_dir, error, "")
        outcome.print_summary("legacy-compat: training failed: %s" % outcome.describe(error))
        if self.cluster.ps_process is not None:
            stop_process(self.cluster.ps_process, grace_secs=2)
        exit_process(1)


# -- processes --------------------------------------------------------------------------------
def start_ps_process(spec, index):
    """This host's parameter server: a separate, CPU-only process that watches this one."""
    env = child_env({"CUDA_VISIBLE_DEVICES": ""})
    env.pop("TF_CONFIG", None)
    command = [sys.executable, "-m", "legacy_compat.psserver", json.dumps(spec), str(index),
               str(os.getpid())]
    logger.info("cluster: starting parameter server ps %d on %s", index, spec["ps"][index])
    return subprocess.Popen(command, env=env)


# -- from the job's configuration ---------------------------------------------------------------
def for_environment(env, environ=None):
    """The job's cluster, or None for a single-host job (which trains as it always did)."""
    environ = os.environ if environ is None else environ
    if env.tf_config and env.tf_config.get("cluster"):
        return Cluster(env.tf_config, output_dir=env.output_dir)
    if len(env.hosts) < 2:
        return None
    loopback = loopback_assignment(environ) or {}
    config = _checked_tf_config(env.hosts, env.current_host, loopback.get("addresses"))
    return Cluster(config, own_ps_index=list(env.hosts).index(env.current_host),
                   output_dir=env.output_dir)
