"""A real S3 API server on loopback for the tests: moto's server, in this process.

In-process so a test can stop it mid-job and start it again on the same port
with the same buckets (moto keeps its state per process); the jobs under test
run in subprocesses and reach it over HTTP like any S3 client.
"""

import logging
import os
import socket

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.moto_server.threaded_moto_server")

# One line per request otherwise, in every failing test's report.
logging.getLogger("werkzeug").setLevel(logging.WARNING)

CREDENTIALS = {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def free_port():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


class S3Server(object):
    def __init__(self, port=None, listen="127.0.0.1"):
        self.port = port or free_port()
        # 0.0.0.0 for clients in containers, which reach the host through their network's gateway.
        self.listen = listen
        self._server = None

    @property
    def url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        self._server = moto_server.ThreadedMotoServer(ip_address=self.listen, port=self.port,
                                                      verbose=False)
        self._server.start()
        return self

    def stop(self):
        """Stop serving and close the listening socket (connections are refused from now on)."""
        if self._server is not None:
            self._server.stop()
            self._server._server.server_close()
            self._server = None

    def env(self):
        """Environment for a job that should use this server (standard boto3 variables only)."""
        env = dict(CREDENTIALS)
        env["AWS_ENDPOINT_URL"] = self.url
        env["AWS_MAX_ATTEMPTS"] = "3"
        return env

    def client(self):
        return boto3.client("s3", endpoint_url=self.url, region_name="us-east-1",
                            aws_access_key_id="testing", aws_secret_access_key="testing")

    def keys(self, bucket, prefix=""):
        paginator = self.client().get_paginator("list_objects_v2")
        found = []
        for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
            found += [item["Key"] for item in page.get("Contents", [])]
        return sorted(found)

    def read(self, bucket, key):
        return self.client().get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")

    def upload_dir(self, local_dir, bucket, prefix):
        client = self.client()
        for root, _, files in os.walk(local_dir):
            for name in files:
                path = os.path.join(root, name)
                relative = os.path.relpath(path, local_dir).replace(os.sep, "/")
                client.upload_file(path, bucket, prefix.rstrip("/") + "/" + relative)


@pytest.fixture
def s3_server():
    server = S3Server().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def s3_env(s3_server, monkeypatch):
    """The server plus this process's environment pointed at it (for in-process calls)."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL_S3"):
        monkeypatch.delenv(name, raising=False)
    for name, value in s3_server.env().items():
        monkeypatch.setenv(name, value)
    return s3_server
