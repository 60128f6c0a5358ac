"""Run `legacy-compat train --hosts N` and check what it leaves behind (Python 2.7 compatible).

Shared by tests/e2e/test_cluster.py (TF 2.15) and tests/matrix/test_cluster.py (the TF 1.x cells).
"""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPT = os.path.join(ROOT, "tests", "fixtures", "scripts", "cluster_model.py")
SPEC_LINE = re.compile(r"cluster: this process is \w+ \d+ of (\{.*\})")


class Job(object):
    def __init__(self, returncode, output, job_dir):
        self.returncode = returncode
        self.output = output
        self.job_dir = job_dir

    def path(self, *parts):
        return os.path.join(self.job_dir, *parts)

    def read(self, *parts):
        with open(self.path(*parts)) as handle:
            return handle.read()

    def steps(self, host):
        base = self.job_dir if host == "algo-1" else self.path("hosts", host)
        return json.loads(open(os.path.join(base, "output", "data", "steps.json")).read())

    def exports(self):
        base = self.path("model", "export", "Servo")
        return sorted(os.listdir(base)) if os.path.isdir(base) else []

    def ports(self):
        """Every port the job's cluster used, from the hosts' logs."""
        found = set()
        for match in SPEC_LINE.finditer(self.output):
            for addresses in json.loads(match.group(1)).values():
                found.update(int(address.rsplit(":", 1)[1]) for address in addresses)
        return found


def run(job_dir, hyperparameters, hosts=2, timeout=400):
    """``hyperparameters``: a dict (passed as JSON) or the --hyperparameters text itself."""
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.pop("TF_CONFIG", None)
    command = [sys.executable, "-m", "legacy_compat", "train", SCRIPT, "--hosts", str(hosts),
               "--job-dir", str(job_dir), "--hyperparameters",
               json.dumps(hyperparameters) if isinstance(hyperparameters, dict) else hyperparameters]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                            cwd=ROOT)
    # A job that hangs is interrupted like a user would (Ctrl-C), so it still cleans up.
    timer = threading.Timer(timeout, proc.send_signal, [signal.SIGINT])
    timer.start()
    try:
        # communicate() drains the pipe while waiting; a full pipe would stall the job.
        output = proc.communicate()[0].decode("utf-8", "replace")
    finally:
        timer.cancel()
    return Job(proc.returncode, output, str(job_dir))


def leftovers(job):
    """Processes still using the job's ports, and ports still bound: both must be empty."""
    ports = job.ports()
    processes = []
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open("/proc/%s/cmdline" % pid, "rb") as handle:
                cmdline = handle.read().decode("utf-8", "replace").replace("\0", " ")
        except (IOError, OSError):
            continue
        if "legacy_compat" in cmdline and (
                job.job_dir in cmdline or any(":%d" % port in cmdline for port in ports)):
            processes.append(cmdline)
    bound = []
    for port in ports:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except socket.error:
            bound.append(port)
        finally:
            sock.close()
    return processes, bound
