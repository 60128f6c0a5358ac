"""SIGTERM / SIGINT during ``legacy-compat train`` on this cell's TensorFlow and Python.

A signal from the test stops a real run mid-training; the run must save a checkpoint at the
step it stopped on, skip evaluation and export, write the failure file and exit 128+N; the
rerun must train exactly the remaining steps. Python 2.7 compatible.
"""
import json
import os
import signal
import subprocess
import sys
import time

import pytest

import subprocs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
SCRIPT = os.path.join(ROOT, "tests", "fixtures", "scripts", "stoppable.py")
DATA = os.path.join(ROOT, "examples", "abalone", "data")
TARGET = 40


def start(job, record, **extra):
    params = {"training_steps": TARGET, "evaluation_steps": 2, "log_step_count_steps": 10,
              "record_file": record}
    params.update(extra)
    args = [sys.executable, "-m", "legacy_compat", "train", SCRIPT, "--channel", DATA,
            "--job-dir", job, "--hyperparameters", json.dumps(params)]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def steps_by_process(record):
    runs = {}
    if os.path.exists(record):
        with open(record) as handle:
            for line in handle:
                pid, step = line.split()
                runs.setdefault(int(pid), []).append(int(step))
    return runs


def checkpoint_step(job):
    with open(os.path.join(job, "model", "checkpoint")) as handle:
        return int(handle.readline().rsplit("-", 1)[1].strip().strip('"'))


@pytest.mark.parametrize("signame", ["SIGTERM", "SIGINT"])
def test_signal_stops_and_rerun_resumes(tmpdir, signame):
    signum = getattr(signal, signame)
    job, record = str(tmpdir.join("job")), str(tmpdir.join("steps.txt"))
    proc = start(job, record, step_sleep=0.1)
    with subprocs.Deadline([proc]) as deadline:
        while sum(len(s) for s in steps_by_process(record).values()) < 5:
            if proc.poll() is not None or deadline.expired:
                break
            time.sleep(0.1)
        if proc.poll() is None:
            os.kill(proc.pid, signum)
        output = proc.communicate()[0].decode("utf-8", "replace")
    deadline.check("the run to stop", output)
    assert proc.returncode == 128 + signum, output[-4000:]
    trained = steps_by_process(record).get(proc.pid, [])
    assert trained == list(range(len(trained))) and 0 < len(trained) < TARGET, trained
    with open(os.path.join(job, "output", "failure")) as handle:
        assert handle.read() == "stopped by %s at global step %d; rerun to resume\n" % (
            signame, len(trained))
    assert checkpoint_step(job) == len(trained)
    assert not os.path.exists(os.path.join(job, "model", "export"))
    assert not os.path.exists(os.path.join(job, "model", "eval"))

    proc = start(job, record)
    output = subprocs.communicate(proc, "the resumed run")[0].decode("utf-8", "replace")
    assert proc.returncode == 0, output[-4000:]
    assert steps_by_process(record)[proc.pid] == list(range(len(trained), TARGET))
    assert checkpoint_step(job) == TARGET
    assert os.path.exists(os.path.join(job, "output", "success"))
    assert not os.path.exists(os.path.join(job, "output", "failure"))
    assert os.listdir(os.path.join(job, "model", "export", "Servo"))
