"""The image started the way SageMaker starts a bring-your-own container: `IMAGE train`, one
container per host (algo-1, algo-2, ...), each with its own /opt/ml and resourceconfig.json.

Jobs: examples/abalone/abalone.py on one host; tests/scripts/cluster_model.py on two hosts
with code, checkpoints and outputs in S3 (moto, started here, reached from the containers
over their network's gateway); tests/scripts/stoppable.py stopped with `podman stop`.
"""

import json
import os
import re

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
