"""``legacy-compat train SCRIPT --hosts N``: an N-host job on this machine, over loopback.

Each host is a ``legacy-compat train`` process of its own, exactly as on N machines:
the first is the master, each starts its parameter server, and they find each other
on free loopback ports instead of ``algo-i:2222`` / ``algo-i:2223``. The master's
job directory is ``--job-dir``; host ``algo-i`` (i > 1) gets ``<job-dir>/hosts/algo-i``.
Checkpoints are shared (``--checkpoint-path``, default the master's ``model/``), as an
``s3://`` checkpoint path is on SageMaker.

This process prefixes each host's output with its name, waits for all of them and
leaves none behind: a host that outlives the master by more than a grace period is
stopped, with its parameter server (each host runs in its own process group).

Python 2.7 compatible.
"""

import errno
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time

from legacy_compat import cluster, outcome, processes
from legacy_compat import hyperparameters as hp

# How long the other hosts may run on after the master has ended.
GRACE_SECS = 60


def host_names(count):
    return ["algo-%d" % (i + 1) for i in range(count)]


def free_ports(count):
    sockets = []
    try:
        for _ in range(count):
            sock = socket.socket()
            sock.bind(("127.0.0.1", 0))
            sockets.append(sock)
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def host_job_dir(job_dir, host, hosts):
    return job_dir if host == hosts[0] else os.path.join(job_dir, "hosts", host)


def host_argv(args, host, hosts):
    checkpoints = args.checkpoint_path or os.path.join(args.job_dir, "model")
    argv = ["train", os.path.abspath(args.script),
            "--job-dir", os.path.abspath(host_job_dir(args.job_dir, host, hosts)),
            "--checkpoint-path", checkpoints if "://" in checkpoints else os.path.abspath(checkpoints)]
    for name, path in args.channel:
        argv += ["--channel", "%s=%s" % (name, path if "://" in path else os.path.abspath(path))]
    if args.hyperparameters is not None:
        argv += ["--hyperparameters", hp.to_argument(args.hyperparameters)]
    if getattr(args, "output_path", None) and host == hosts[0]:
        argv += ["--output-path", args.output_path]  # the job's outputs are the master's
    if getattr(args, "install_requirements", False):
        argv.append("--install-requirements")
    if args.strict:
        argv.append("--strict")
    if not getattr(args, "evaluate", True):
        argv.append("--no-eval")
    if args.quiet:
        argv.append("--quiet")
    return argv


class Host(object):
    def __init__(self, name, role, argv, env, job_dir):
        self.name = name
        self.role = role
        self.job_dir = job_dir
        kwargs = {}
        if hasattr(os, "setsid"):
            kwargs["preexec_fn"] = os.setsid  # its own group: the host with its parameter server
        self.process = subprocess.Popen([sys.executable, "-m", "legacy_compat"] + argv, env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kwargs)
        self.reader = threading.Thread(target=self._relay, name="relay-" + name)
        self.reader.daemon = True
        self.reader.start()

    def _relay(self):
        prefix = ("[%s] " % self.name).encode("utf-8")
        out = getattr(sys.stderr, "buffer", sys.stderr)
        for line in iter(self.process.stdout.readline, b""):
            out.write(prefix + line)
            out.flush()
        self.process.stdout.close()

    @property
    def returncode(self):
        return self.process.poll()

    def stop(self):
        """Stop the host and its parameter server: TERM to its group, then KILL."""
        for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            if self.process.poll() is None:
                self._signal_group(sig)
            deadline = time.time() + wait
            while self.process.poll() is None and time.time() < deadline:
                time.sleep(0.1)
        # The parameter server leaves within a second of its host; make sure of it.
        self._signal_group(signal.SIGKILL)

    def _signal_group(self, sig):
        try:
            if hasattr(os, "killpg"):
                os.killpg(self.process.pid, sig)
            elif self.process.poll() is None:
                self.process.send_signal(sig)
        except OSError as error:
            if error.errno not in (errno.ESRCH, errno.EPERM):
                raise

    def describe_end(self):
        code = self.returncode
        failure = os.path.join(self.job_dir, "output", "failure")
        if code == 0:
            return "host %s (%s) finished" % (self.name, self.role)
        what = ("was killed by signal %d" % -code) if code < 0 else ("exited with %d" % code)
        text = "host %s (%s) %s" % (self.name, self.role, what)
        if os.path.exists(failure):
            with open(failure) as handle:
                first = handle.readline().strip()
            text += ": %s (%s)" % (first[len(outcome.FAILURE_PREFIX):]
                                   if first.startswith(outcome.FAILURE_PREFIX) else first, failure)
        return text


def main(args):
    if not args.script:
        raise SystemExit("legacy-compat: --hosts needs SCRIPT; in a container the hosts come "
                         "from resourceconfig.json")
    hosts = host_names(args.hosts)
    ports = free_ports(2 * len(hosts))
    addresses = dict((host, {"task": "127.0.0.1:%d" % ports[2 * i],
                             "ps": "127.0.0.1:%d" % ports[2 * i + 1]})
                     for i, host in enumerate(hosts))
    started = []
    code = 1
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        for host in hosts:
            place = {"hosts": hosts, "current_host": host, "addresses": addresses}
            env = processes.child_env({cluster.LOOPBACK_ENV: json.dumps(place)})
            env.pop("TF_CONFIG", None)  # each host builds the legacy one itself
            role = "master" if host == hosts[0] else "worker %d" % (hosts.index(host) - 1)
            started.append(Host(host, role, host_argv(args, host, hosts), env,
                                host_job_dir(args.job_dir, host, hosts)))
        code = wait(started)
    except KeyboardInterrupt:
        code = 130
    finally:
        for host in started:
            host.stop()
            host.reader.join(5)
        signal.signal(signal.SIGTERM, previous)
    return verdict(args.job_dir, started, code)


def _interrupt(signum, frame):
    raise KeyboardInterrupt()


def wait(hosts):
    master = hosts[0]
    master_ended = None
    while any(host.returncode is None for host in hosts):
        if master.returncode is not None:
            master_ended = master_ended or time.time()
            if time.time() - master_ended > GRACE_SECS:
                break
        time.sleep(0.5)
    return master.returncode


def verdict(job_dir, hosts, code):
    """The job's outcome: the master's verdict, and any host that did not finish cleanly."""
    output_dir = os.path.join(job_dir, "output")
    lines = [host.describe_end() for host in hosts if host.returncode != 0]
    has_verdict = any(os.path.exists(os.path.join(output_dir, name))
                      for name in ("success", "failure"))
    if lines and not has_verdict:
        # The master died without a verdict of its own: the job's verdict says why.
        outcome.write_failure(output_dir, cluster.ClusterError("; ".join(lines)), "")
    for line in lines:
        outcome.print_summary("legacy-compat: " + line)
    if code == 0 and lines:
        code = 1
    return code if code is not None and code >= 0 else 1
