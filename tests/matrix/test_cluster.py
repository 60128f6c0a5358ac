"""`legacy-compat train --hosts 2` on the real TF 1.x releases: a parameter-server job on loopback.

Python 2.7 compatible.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster_job  # noqa: E402

TARGET = 300


def test_two_hosts_train_to_the_shared_target_and_export_once(tmpdir, tf_version):
    job = cluster_job.run(tmpdir.join("job"), {"training_steps": TARGET, "evaluation_steps": 1})
    assert job.returncode == 0, job.output[-6000:]
    master, worker = job.steps("algo-1"), job.steps("algo-2")
    # One global step on the parameter servers: both hosts advanced it to the target together.
    assert master["global_step"] >= TARGET and worker["global_step"] >= TARGET
    assert master["train_steps"] > 0 and worker["train_steps"] > 0, (master, worker)
    assert TARGET <= master["train_steps"] + worker["train_steps"] <= TARGET + 4, (master, worker)
    # Only the master exports, once at the end; before 1.10 TF's run_master also evaluates and
    # exports at the first checkpoint (global step 1), as the legacy container did on 1.6-1.9.
    assert len(job.exports()) == (1 if tf_version >= (1, 10) else 2), job.exports()
    assert os.path.exists(job.path("output", "success"))
    assert not os.path.exists(job.path("hosts", "algo-2", "model", "export"))
    assert cluster_job.leftovers(job) == ([], [])


def test_a_worker_killed_mid_job_fails_the_job(tmpdir):
    job = cluster_job.run(tmpdir.join("job"), {
        "training_steps": 100000, "die_on_host": "algo-2", "die_at_step": 20})
    assert job.returncode != 0
    failure = job.read("output", "failure")
    assert "worker 0's host" in failure and "stopped answering mid-job" in failure, failure
    assert "host algo-2 (worker 0) was killed by signal 9" in job.output
    assert cluster_job.leftovers(job) == ([], [])
