"""The image started the way SageMaker starts a bring-your-own container: `IMAGE train`, one
container per host (algo-1, algo-2, ...), each with its own /opt/ml and resourceconfig.json.

Jobs: examples/abalone/abalone.py on one host; tests/fixtures/scripts/cluster_model.py on two hosts
with code, checkpoints and outputs in S3 (moto, started here, reached from the containers
over their network's gateway); tests/fixtures/scripts/stoppable.py stopped with `podman stop`.
"""

import json
import os
import re
import signal
import time

import pytest

from tests.containers.conftest import EXAMPLES, SCRIPTS, opt_ml, source_archive
from tests.s3server import CREDENTIALS, S3Server

DATA = os.path.join(EXAMPLES, "abalone", "data")
FAST = {"training_steps": 30, "evaluation_steps": 2, "log_step_count_steps": 10, "learning_rate": 0.001}


@pytest.fixture
def s3():
    """moto on every interface, so the containers reach it; the tests' own client uses loopback."""
    server = S3Server(listen="0.0.0.0").start()
    try:
        yield server
    finally:
        server.stop()


def s3_env(server, network):
    env = dict(CREDENTIALS)
    env["AWS_ENDPOINT_URL"] = "http://%s:%d" % (network.gateway, server.port)
    env["AWS_MAX_ATTEMPTS"] = "3"
    return env


def exports(root):
    base = os.path.join(str(root), "model", "export", "Servo")
    return sorted(os.listdir(base)) if os.path.isdir(base) else []


def test_one_host_reads_opt_ml_and_leaves_what_sagemaker_collects(engine, image, tmp_path):
    sources = tmp_path / "sources"
    sources.mkdir()
    source_archive(sources / "sourcedir.tar.gz", os.path.join(EXAMPLES, "abalone", "abalone.py"))
    root = opt_ml(tmp_path / "opt_ml", "abalone.py", "file:///sources/sourcedir.tar.gz", FAST,
                  channels={"training": DATA})

    container = engine.start("algo-1", volumes=[(root, "/opt/ml"), (str(sources), "/sources:ro")])
    code = container.wait()
    logs = container.logs()
    assert code == 0, logs[-6000:]

    assert set(os.listdir(os.path.join(root, "output"))) <= {"success", "data"}
    assert os.path.exists(os.path.join(root, "output", "success"))
    # The code came from sourcedir.tar.gz into /opt/ml/code.
    assert os.path.isfile(os.path.join(root, "code", "abalone.py"))
    # One export, under a timestamp, that TensorFlow Serving can load; checkpoints beside it.
    (stamp,) = exports(root)
    assert re.match(r"^\d{10}$", stamp), stamp
    export = os.path.join(root, "model", "export", "Servo", stamp)
    assert sorted(os.listdir(export))[:2] == ["saved_model.pb", "variables"], os.listdir(export)
    assert os.path.exists(os.path.join(root, "model", "checkpoint"))
    assert "model.ckpt-%d.index" % FAST["training_steps"] in os.listdir(os.path.join(root, "model"))
    # Written by the container's root, as on SageMaker, and readable for whoever collects them.
    for folder, _, names in os.walk(os.path.join(root, "model")):
        for name in names:
            status = os.stat(os.path.join(folder, name))
            assert status.st_uid == 0 and status.st_mode & 0o044 == 0o044, (folder, name)
    assert not container.running() and engine.running() == []


def test_two_hosts_train_one_job_with_code_checkpoints_and_outputs_in_s3(
        engine, image, network, s3, tmp_path):
    """algo-1 and algo-2 on a private network: each its own /opt/ml and resourceconfig.json,
    the legacy TF_CONFIG (master + worker, a parameter server on each host) on TensorFlow's
    runtime; the master exports once; both containers exit 0."""
    target = 300
    s3.client().create_bucket(Bucket="jobs")
    archive = source_archive(tmp_path / "sourcedir.tar.gz",
                             os.path.join(SCRIPTS, "cluster_model.py"))
    s3.client().upload_file(archive, "jobs", "two-hosts/source/sourcedir.tar.gz")
    hyperparameters = {"training_steps": target, "evaluation_steps": 1,
                       "checkpoint_path": "s3://jobs/two-hosts/checkpoints"}
    hosts = ("algo-1", "algo-2")
    roots, containers = {}, {}
    for host in hosts:
        roots[host] = opt_ml(tmp_path / host, "cluster_model.py",
                             "s3://jobs/two-hosts/source/sourcedir.tar.gz", hyperparameters,
                             hosts=hosts, current_host=host, channels={"training": DATA})
    for host in hosts:
        containers[host] = engine.start(
            host, command=["train", "--output-path", "s3://jobs/two-hosts/output"],
            volumes=[(roots[host], "/opt/ml")], env=s3_env(s3, network), network=network,
            aliases=[host])
    codes = dict((host, containers[host].wait()) for host in hosts)
    logs = dict((host, containers[host].logs()) for host in hosts)
    assert codes == {"algo-1": 0, "algo-2": 0}, logs["algo-1"][-4000:] + logs["algo-2"][-4000:]

    cluster = json.loads(re.search(r"cluster: this process is \w+ \d+ of (\{.*\})",
                                   logs["algo-2"]).group(1))
    assert cluster == {"master": ["algo-1:2222"], "worker": ["algo-2:2222"],
                       "ps": ["algo-1:2223", "algo-2:2223"]}, cluster
    steps = dict((host, json.load(open(os.path.join(roots[host], "output", "data",
                                                    "steps.json")))) for host in hosts)
    assert all(s["global_step"] >= target and s["train_steps"] > 0 for s in steps.values()), steps
    assert len(exports(roots["algo-1"])) == 1 and exports(roots["algo-2"]) == []
    for host in hosts:
        assert os.path.exists(os.path.join(roots[host], "output", "success")), host
    # S3: the master's checkpoints, the job's model and output; the worker's output beside it.
    keys = s3.keys("jobs", "two-hosts/")
    assert "two-hosts/checkpoints/model.ckpt-%d.index" % steps["algo-1"]["global_step"] in keys
    assert any(key.startswith("two-hosts/output/model/export/Servo/") and
               key.endswith("saved_model.pb") for key in keys), keys
    assert "two-hosts/output/output/success" in keys
    assert "two-hosts/output/output/algo-2/success" in keys
    assert engine.running() == []


def recorded(path):
    """Global steps trained, in order, from tests/fixtures/scripts/stoppable.py's record file."""
    if not os.path.exists(path):
        return []
    with open(path) as handle:
        return [int(line.split()[1]) for line in handle if line.strip()]


def test_podman_stop_leaves_a_checkpoint_and_a_verdict_and_the_rerun_resumes(
        engine, image, network, s3, tmp_path):
    """`podman stop` (SIGTERM, SIGKILL after the grace period) ends a job as SageMaker's
    StopTrainingJob does; the next job with the same checkpoint_path resumes at that step."""
    s3.client().create_bucket(Bucket="jobs")
    archive = source_archive(tmp_path / "sourcedir.tar.gz", os.path.join(SCRIPTS, "stoppable.py"),
                             os.path.join(SCRIPTS, "tiny_model.py"))
    s3.client().upload_file(archive, "jobs", "stop/source/sourcedir.tar.gz")
    record = tmp_path / "record"
    record.mkdir()

    def job(name, **extra):
        hyperparameters = {"training_steps": 60, "evaluation_steps": 2,
                           "checkpoint_path": "s3://jobs/stop/checkpoints",
                           "record_file": "/record/%s.txt" % name}
        hyperparameters.update(extra)
        # A fresh /opt/ml for each run, as for a new training job.
        root = opt_ml(tmp_path / name, "stoppable.py", "s3://jobs/stop/source/sourcedir.tar.gz",
                      hyperparameters, channels={"training": DATA})
        return root, engine.start("algo-1", volumes=[(root, "/opt/ml"), (str(record), "/record")],
                                  env=s3_env(s3, network), network=network, aliases=["algo-1"])

    first_root, first = job("first", step_sleep=0.1)
    deadline = time.time() + 600
    while len(recorded(str(record / "first.txt"))) < 8:
        assert time.time() < deadline and first.running(), first.logs()[-4000:]
        time.sleep(0.2)
    first.stop(grace=60)
    code = first.wait()
    logs = first.logs()
    assert code == 128 + signal.SIGTERM, logs[-4000:]
    trained = recorded(str(record / "first.txt"))
    stopped_at = len(trained)
    assert trained == list(range(stopped_at)) and stopped_at < 60, trained
    with open(os.path.join(first_root, "output", "failure")) as handle:
        assert handle.read() == "stopped by SIGTERM at global step %d; rerun to resume\n" % stopped_at
    assert "stop/checkpoints/model.ckpt-%d.index" % stopped_at in s3.keys("jobs", "stop/")
    assert exports(first_root) == [] and not os.path.exists(
        os.path.join(first_root, "output", "success"))

    second_root, second = job("second")
    code = second.wait()
    assert code == 0, second.logs()[-4000:]
    assert recorded(str(record / "second.txt")) == list(range(stopped_at, 60))
    assert "resuming from the checkpoint at global step %d" % stopped_at in second.logs()
    assert len(exports(second_root)) == 1
    assert os.path.exists(os.path.join(second_root, "output", "success"))
    assert engine.running() == []
