"""Path rules of the storage layer and the mirror's sync decisions (the latter on a real S3 server)."""

import os
import time

import pytest

from legacy_compat import storage
from legacy_compat.environment import Environment
from legacy_compat.errors import ConfigError, StorageError
from s3server import s3_env, s3_server  # noqa: F401  (fixtures)


@pytest.mark.parametrize("path, remote", [
    ("s3://b/k", True), ("S3://b/k", True), ("gs://b/k", True), ("file:///tmp/x", False),
    ("/tmp/x", False), ("relative/dir", False), ("", False), (None, False), ("a/b://c", False),
])
def test_is_remote(path, remote):
    assert storage.is_remote(path) is remote


def test_only_s3_uris_with_a_bucket_are_accepted():
    assert storage.split_s3_uri("s3://bucket/a/b/") == ("bucket", "a/b")
    assert storage.split_s3_uri("s3://bucket") == ("bucket", "")
    with pytest.raises(ConfigError, match="unsupported storage URI 'gs://b/k'"):
        storage.split_s3_uri("gs://b/k")
    with pytest.raises(ConfigError, match="names no bucket"):
        storage.split_s3_uri("s3:///k")


def test_a_tuning_job_stages_its_own_checkpoint_subdirectory(tmp_path, monkeypatch):
    env = Environment(str(tmp_path), None, {"checkpoint_path": "s3://b/ckpt",
                                            "_tuning_objective_metric": "loss"}, {},
                      job_name="trial-3")
    assert env.checkpoint_dir == "s3://b/ckpt/trial-3/checkpoints"
    assert storage.local_checkpoint_dir(env) == os.path.join(
        str(tmp_path), "checkpoint-staging", "b", "ckpt", "trial-3", "checkpoints")
    local = Environment(str(tmp_path), None, {"checkpoint_path": str(tmp_path / "c")}, {})
    assert storage.local_checkpoint_dir(local) == str(tmp_path / "c")


def test_mirror_keeps_newer_local_files_and_mirrors_deletions(s3_env, tmp_path):
    client = s3_env.client()
    client.create_bucket(Bucket="mirror")
    client.put_object(Bucket="mirror", Key="ck/checkpoint", Body=b"remote step 10")
    client.put_object(Bucket="mirror", Key="ck/a.index", Body=b"a")
    local = tmp_path / "local"
    local.mkdir()
    time.sleep(1.1)  # S3 times have one-second resolution
    (local / "checkpoint").write_text("local step 20")  # saved while the store was away
    mirror = storage.Mirror(storage.S3(), "s3://mirror/ck", str(local))
    assert mirror.pull() == 1
    assert (local / "checkpoint").read_text() == "local step 20"
    assert (local / "a.index").read_text() == "a"
    (local / "a.index").unlink()
    (local / "b.index").write_text("b")
    assert mirror.push() == 3  # checkpoint and b.index up, a.index deleted
    assert s3_env.keys("mirror") == ["ck/b.index", "ck/checkpoint"]
    assert s3_env.read("mirror", "ck/checkpoint") == "local step 20"
    assert mirror.push() == 0


def test_an_unreachable_store_is_a_storage_error_naming_the_endpoint(monkeypatch):
    from s3server import free_port
    url = "http://127.0.0.1:%d" % free_port()
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    with pytest.raises(StorageError) as caught:
        storage.S3(url).check_bucket("s3://b/k")
    assert "checking the bucket failed on the S3 endpoint %s" % url in str(caught.value)
    assert "EndpointConnectionError" in str(caught.value)


def test_a_missing_source_archive_names_the_object(s3_env, tmp_path):
    s3_env.client().create_bucket(Bucket="code")
    with pytest.raises(StorageError) as caught:
        storage.S3().download_file("s3://code/job/source/sourcedir.tar.gz", str(tmp_path / "a"))
    assert "s3://code/job/source/sourcedir.tar.gz: no such object" in str(caught.value)
    assert "aws s3 ls s3://code/job/source/" in str(caught.value)


def test_each_host_uploads_its_output_without_overwriting_the_masters(s3_env, tmp_path):
    s3_env.client().create_bucket(Bucket="hosts")
    for host in ("algo-1", "algo-2"):
        env = Environment.local("t.py", job_dir=str(tmp_path / host), hosts=["algo-1", "algo-2"],
                                current_host=host)
        os.makedirs(env.output_dir)
        with open(env.failure_file, "w") as handle:
            handle.write("from %s" % host)
        storage.JobStorage(env, storage.Options(output_path="s3://hosts/job")).upload_output()
    assert s3_env.read("hosts", "job/output/failure") == "from algo-1"
    assert s3_env.read("hosts", "job/output/algo-2/failure") == "from algo-2"
