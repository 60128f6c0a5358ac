"""S3 through boto3: checkpoints, channels and outputs against a real S3 API server on loopback."""

import json
import os
import subprocess
import sys
import time

import pytest

from conftest import FAST, ROOT, example, run_cli, script
from s3server import s3_env, s3_server  # noqa: F401  (fixtures)

pytest.importorskip("tensorflow")

ABALONE = example("abalone", "abalone.py")
ABALONE_DATA = example("abalone", "data")
BUCKET = "jobs"


def train_args(script_path, job_dir, channels=(), hyperparameters=None, extra=()):
    args = ["train", script_path, "--job-dir", job_dir]
    for channel in channels:
        args += ["--channel", channel]
    params = dict(FAST)
    params.update(hyperparameters or {})
    return args + ["--hyperparameters", json.dumps(params)] + list(extra)


def test_checkpoints_in_s3_train_upload_and_resume_on_a_fresh_machine(s3_env, tmp_path):
    s3_env.client().create_bucket(Bucket=BUCKET)
    uri = "s3://%s/abalone/checkpoints" % BUCKET
    params = {"learning_rate": 0.001, "save_checkpoints_steps": 10}
    first = run_cli(train_args(ABALONE, str(tmp_path / "one"), [ABALONE_DATA], params,
                               ["--checkpoint-path", uri]), str(tmp_path / "one"))
    assert first.returncode == 0, first.output
    keys = s3_env.keys(BUCKET, "abalone/checkpoints/")
    assert "abalone/checkpoints/model.ckpt-30.index" in keys, keys
    assert 'model_checkpoint_path: "model.ckpt-30"' in s3_env.read(BUCKET, "abalone/checkpoints/checkpoint")
    assert any(k.startswith("abalone/checkpoints/export/Servo/") for k in keys), keys
    assert "checkpoints uploaded to %s" % uri in first.output
    assert first.exports(), "the newest export is copied into the job's model/ directory"

    # Another job directory: nothing local, so the checkpoints can only come from S3.
    params["training_steps"] = 40
    again = run_cli(train_args(ABALONE, str(tmp_path / "two"), [ABALONE_DATA], params,
                               ["--checkpoint-path", uri]), str(tmp_path / "two"))
    assert again.returncode == 0, again.output
    assert "resuming from the checkpoint at global step 30" in again.output
    assert "training finished at global step 40" in again.output
    assert 'model_checkpoint_path: "model.ckpt-40"' in s3_env.read(BUCKET, "abalone/checkpoints/checkpoint")
    keys = s3_env.keys(BUCKET, "abalone/checkpoints/")
    # keep_checkpoint_max: what TensorFlow deleted locally is deleted remotely too.
    assert len([k for k in keys if k.endswith(".index") and "/model.ckpt-" in k]) == 5, keys


def test_missing_bucket_fails_before_training(s3_env, tmp_path):
    job = str(tmp_path / "job")
    run = run_cli(train_args(ABALONE, job, [ABALONE_DATA],
                             extra=["--checkpoint-path", "s3://no-such-bucket/ckpt"]), job)
    assert run.returncode != 0
    assert "bucket 'no-such-bucket' does not exist" in run.output
    assert "bucket 'no-such-bucket' does not exist" in run.failure()
    assert "training to global step" not in run.output
    assert "loading %s" % ABALONE not in run.output


def test_s3_channel_is_downloaded_and_outputs_are_uploaded(s3_env, tmp_path):
    client = s3_env.client()
    client.create_bucket(Bucket=BUCKET)
    s3_env.upload_dir(ABALONE_DATA, BUCKET, "data/abalone")
    job = str(tmp_path / "job")
    run = run_cli(train_args(ABALONE, job, ["s3://%s/data/abalone" % BUCKET],
                             {"learning_rate": 0.001},
                             ["--output-path", "s3://%s/results/run-1" % BUCKET]), job)
    assert run.returncode == 0, run.output
    assert "downloading s3://%s/data/abalone: 2/2 files" % BUCKET in run.output
    assert os.path.isfile(os.path.join(job, "input", "data", "training", "training_dataset.csv"))
    keys = s3_env.keys(BUCKET, "results/run-1/")
    export = run.exports()[-1]
    assert "results/run-1/model/export/Servo/%s/saved_model.pb" % export in keys, keys
    assert "results/run-1/output/success" in keys, keys


def test_missing_channel_prefix_is_a_clear_error(s3_env, tmp_path):
    s3_env.client().create_bucket(Bucket=BUCKET)
    job = str(tmp_path / "job")
    run = run_cli(train_args(ABALONE, job, ["s3://%s/data/typo" % BUCKET]), job)
    assert run.returncode != 0
    assert "channel 'training': no objects under s3://%s/data/typo" % BUCKET in run.output


def wait_for(condition, timeout, what):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError("timed out waiting for %s" % what)


def test_store_stopped_mid_job_keeps_checkpoints_and_a_rerun_resumes(s3_env, tmp_path):
    s3_env.client().create_bucket(Bucket=BUCKET)
    uri = "s3://%s/gated/checkpoints" % BUCKET
    job = str(tmp_path / "job")
    gate = str(tmp_path / "gate")
    second_gate = str(tmp_path / "second-gate")
    # Gates at step 15 (after the step-10 upload) and 25 (after the step-20 save, which the
    # sync thread then fails to upload while training waits).
    params = {"save_checkpoints_steps": 10, "gate": gate, "gate_after": 15,
              "second_gate": second_gate, "second_gate_after": 25}
    args = train_args(script("gated_input.py"), job, [ABALONE_DATA], params,
                      ["--checkpoint-path", uri])
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    log = open(str(tmp_path / "job.log"), "w+")
    proc = subprocess.Popen([sys.executable, "-m", "legacy_compat"] + args, stdout=log,
                            stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    try:
        # The job sits at the gate (step 15) once the step-10 checkpoint is uploaded.
        wait_for(lambda: "gated/checkpoints/model.ckpt-10.index" in s3_env.keys(BUCKET, "gated/"),
                 240, "the first checkpoint upload")
        s3_env.stop()
        open(gate, "w").close()
        wait_for(lambda: "will retry (local files are kept)" in open(log.name).read(), 240,
                 "the sync thread's warning about the stopped store")
        open(second_gate, "w").close()
        assert proc.wait(timeout=300) != 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    log.seek(0)
    output = log.read()
    log.close()
    with open(os.path.join(job, "output", "failure")) as handle:
        failure = handle.read()
    assert "the checkpoints could not be uploaded to %s" % uri in failure
    staged = os.path.join(job, "checkpoint-staging", BUCKET, "gated", "checkpoints")
    assert "they are kept in %s" % staged in failure
    assert "will retry (local files are kept)" in output
    assert os.path.exists(os.path.join(staged, "model.ckpt-30.index")), os.listdir(staged)

    s3_env.start()  # same port, same buckets
    params["training_steps"] = 40
    rerun = run_cli(train_args(script("gated_input.py"), job, [ABALONE_DATA], params,
                               ["--checkpoint-path", uri]), job)
    assert rerun.returncode == 0, rerun.output
    assert "resuming from the checkpoint at global step 30" in rerun.output
    assert 'model_checkpoint_path: "model.ckpt-40"' in s3_env.read(BUCKET, "gated/checkpoints/checkpoint")
    assert "gated/checkpoints/model.ckpt-30.index" in s3_env.keys(BUCKET, "gated/")


# -- legacy-compat tensorboard ------------------------------------------------------------------


def test_free_port_skips_ports_in_use():
    import socket
    from legacy_compat import board
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    port = taken.getsockname()[1]
    try:
        assert board.free_port("127.0.0.1", first=port) == port + 1
    finally:
        taken.close()


def fetch(url):
    from urllib.request import urlopen
    with urlopen(url, timeout=10) as response:
        return response.read().decode("utf-8")


def test_tensorboard_follows_a_job_checkpointing_to_s3(s3_env, tmp_path):
    s3_env.client().create_bucket(Bucket=BUCKET)
    uri = "s3://%s/board/checkpoints" % BUCKET
    env = dict(os.environ)
    env["PYTHONPATH"] = ROOT
    log_path = str(tmp_path / "tensorboard.log")
    log = open(log_path, "w")
    board = subprocess.Popen([sys.executable, "-m", "legacy_compat", "tensorboard",
                              "--checkpoint-path", uri, "--interval", "1"],
                             stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
    log.close()
    port = None
    try:
        def printed_url():
            with open(log_path) as handle:
                text = handle.read()
            assert board.poll() is None, "tensorboard exited early:\n" + text
            return "TensorBoard on %s: http://" % uri in text

        wait_for(printed_url, 120, "the TensorBoard URL")
        with open(log_path) as handle:
            line = [l for l in handle if l.startswith("TensorBoard on ")][0]
        url = line.split(": ", 1)[1].strip()
        port = int(url.rsplit(":", 1)[1].strip("/"))
        assert port >= 6006
        assert "<title>TensorBoard</title>" in fetch(url) or "tensorboard" in fetch(url).lower()

        # Started before the job: what it shows must come from the running job's uploads.
        job = str(tmp_path / "job")
        run = run_cli(train_args(ABALONE, job, [ABALONE_DATA],
                                 {"learning_rate": 0.001, "save_checkpoints_steps": 10,
                                  "save_summary_steps": 5},
                                 ["--checkpoint-path", uri]), job)
        assert run.returncode == 0, run.output
        scalars = []

        def loss_reaches_the_last_step():
            try:
                scalars[:] = json.loads(fetch(url + "data/plugin/scalars/scalars?run=.&tag=loss"))
            except Exception:  # not loaded yet: TensorBoard answers 400 until it knows the tag
                return False
            return bool(scalars) and scalars[-1][1] >= 26

        wait_for(loss_reaches_the_last_step, 120, "the loss scalar in TensorBoard")
        wall_time, step, value = scalars[-1]
        assert value > 0
    finally:
        board.terminate()
        board.wait(timeout=60)
    import socket
    probe = socket.socket()
    try:
        probe.bind(("127.0.0.1", port or 0))  # the TensorBoard child is gone with its parent
    finally:
        probe.close()
