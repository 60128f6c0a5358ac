"""``checkpoint_path=s3://...`` on this cell's TensorFlow, through boto3 (Python 2.7 compatible).

TF 1.x had its own S3 file system, TF 2.6+ has none; legacy-compat stages every
remote checkpoint directory locally on every release, so the same test runs in
each cell. The S3 API server is moto's, from the project's .venv (it is a
Python 3 program), started on a free loopback port and stopped at the end.
"""
import json
import os
import socket
import subprocess
import sys
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(ROOT, "examples", "abalone", "data")
SCRIPT = os.path.join(ROOT, "examples", "abalone", "abalone.py")
MOTO_SERVER = os.environ.get("LEGACY_COMPAT_MOTO_SERVER",
                             os.path.join(ROOT, ".venv", "bin", "moto_server"))
FAST = {"training_steps": 30, "evaluation_steps": 2, "learning_rate": 0.001,
        "save_checkpoints_steps": 10}
CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
               "AWS_DEFAULT_REGION": "us-east-1"}


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


@pytest.fixture
def s3_url():
    if not os.path.exists(MOTO_SERVER):
        pytest.skip("moto_server not found at %s (make .venv/.installed, or set "
                    "LEGACY_COMPAT_MOTO_SERVER)" % MOTO_SERVER)
    port = free_port()
    server = subprocess.Popen([MOTO_SERVER, "-H", "127.0.0.1", "-p", str(port)],
                              stdout=open(os.devnull, "w"), stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except socket.error:
                assert server.poll() is None and time.time() < deadline, "moto_server did not start"
                time.sleep(0.2)
        yield "http://127.0.0.1:%d" % port
    finally:
        server.terminate()
        server.wait()


def client(url):
    import boto3
    return boto3.client("s3", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def train(job, uri, url, **hyperparameters):
    params = dict(FAST)
    params.update(hyperparameters)
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", **CREDENTIALS)
    args = [sys.executable, "-m", "legacy_compat", "train", SCRIPT, "--channel", DATA,
            "--job-dir", job, "--checkpoint-path", uri, "--endpoint-url", url,
            "--hyperparameters", json.dumps(params)]
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    output = proc.communicate()[0].decode("utf-8", "replace")
    return proc.returncode, output


def test_checkpoints_in_s3_upload_and_resume(s3_url, tmpdir):
    s3 = client(s3_url)
    s3.create_bucket(Bucket="jobs")
    uri = "s3://jobs/abalone/checkpoints"
    code, output = train(str(tmpdir.join("one")), uri, s3_url)
    assert code == 0, output[-4000:]
    state = s3.get_object(Bucket="jobs", Key="abalone/checkpoints/checkpoint")["Body"].read()
    assert b'model_checkpoint_path: "model.ckpt-30"' in state
    # A fresh job directory: the checkpoints can only come from S3.
    code, output = train(str(tmpdir.join("two")), uri, s3_url, training_steps=40)
    assert code == 0, output[-4000:]
    assert "resuming from the checkpoint at global step 30" in output
    state = s3.get_object(Bucket="jobs", Key="abalone/checkpoints/checkpoint")["Body"].read()
    assert b'model_checkpoint_path: "model.ckpt-40"' in state
