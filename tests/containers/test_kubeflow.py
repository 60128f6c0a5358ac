"""The image under Kubeflow's launcher contract: the training operator starts every replica of a
TFJob with the same command and a TF_CONFIG naming its place (chief / worker / ps), and the
replicas find each other by name (<job>-<type>-<index>). The set-up mirrors the TFJob manifest
in docs/containers.md: the chief's job directory and the checkpoints on a shared volume, the
others' job directories local; tests/fixtures/scripts/cluster_model.py stands in for the user's script.
"""

import json
import os
import shutil
import time

from tests.containers.conftest import EXAMPLES, SCRIPTS

DATA = os.path.join(EXAMPLES, "abalone", "data")
JOB = "legacy"
REPLICAS = (("ps", 0), ("chief", 0), ("worker", 0))


def host(kind, index):
    return "%s-%s-%d" % (JOB, kind, index)


def tf_config(kind, index):
    cluster = dict((name, ["%s:2222" % host(name, i)])
                   for name, i in REPLICAS)
    return json.dumps({"cluster": cluster, "task": {"type": kind, "index": index},
                       "environment": "cloud"})


def start_tfjob(engine, network, tmp_path, hyperparameters):
    """One container per replica; each replica's job directory is a folder of tmp_path here."""
    shared, code = tmp_path / "shared", tmp_path / "code"
    shared.mkdir()
    code.mkdir()
    shutil.copy(os.path.join(SCRIPTS, "cluster_model.py"), str(code))
    containers, job_dirs = {}, {}
    for kind, index in REPLICAS:
        local = tmp_path / host(kind, index)  # the replica's own /tmp/job
        local.mkdir()
        job_dirs[kind] = str(shared / "job") if kind == "chief" else str(local)
        command = ["legacy-compat", "train", "/opt/code/cluster_model.py",
                   "--channel=/data/abalone",
                   "--job-dir=%s" % ("/shared/job" if kind == "chief" else "/tmp/job"),
                   "--checkpoint-path=/shared/checkpoints",
                   "--hyperparameters=%s" % json.dumps(hyperparameters)]
        env = {"TF_CONFIG": tf_config(kind, index)}
        if kind == "ps":
            env["CUDA_VISIBLE_DEVICES"] = ""
        volumes = [(str(shared), "/shared"), (DATA, "/data/abalone:ro"),
                   (str(code), "/opt/code:ro"), (str(local), "/tmp/job")]
        containers[kind] = engine.start(host(kind, index), command=command, volumes=volumes,
                                        env=env, network=network, aliases=[host(kind, index)])
    return containers, job_dirs


def read(*parts):
    with open(os.path.join(*parts)) as handle:
        return handle.read()


def test_a_tfjob_with_chief_worker_and_ps_trains_and_the_chief_exports_once(
        engine, image, network, tmp_path):
    target = 300
    containers, job_dirs = start_tfjob(engine, network, tmp_path,
                                       {"training_steps": target, "evaluation_steps": 1})
    codes = dict((kind, containers[kind].wait()) for kind in containers)
    logs = dict((kind, containers[kind].logs()) for kind in containers)
    assert codes == {"ps": 0, "chief": 0, "worker": 0}, (codes, logs["chief"][-4000:])

    assert "parameter server ps 0 released by the chief" in logs["ps"]
    assert "loading " not in logs["ps"]  # a ps replica never loads the script
    steps = [json.loads(read(job_dirs[kind], "output", "data", "steps.json"))
             for kind in ("chief", "worker")]
    assert all(s["train_steps"] > 0 and s["global_step"] >= target for s in steps), steps
    assert len(os.listdir(os.path.join(job_dirs["chief"], "model", "export", "Servo"))) == 1
    assert not os.path.exists(os.path.join(job_dirs["worker"], "model", "export"))
    assert os.path.exists(os.path.join(job_dirs["chief"], "output", "success"))
    assert engine.running() == []


def test_killing_the_ps_container_fails_every_replica_naming_it(engine, image, network, tmp_path):
    containers, job_dirs = start_tfjob(engine, network, tmp_path,
                                       {"training_steps": 100000, "evaluation_steps": 1})
    deadline = time.time() + 600
    # Both trainers train (their progress lines are out) before the parameter server goes.
    while not all("step " in containers[kind].logs() and "steps/s" in containers[kind].logs()
                  for kind in ("chief", "worker")):
        assert time.time() < deadline, containers["chief"].logs()[-4000:]
        assert containers["chief"].running() and containers["worker"].running(), (
            containers["chief"].logs()[-3000:] + containers["worker"].logs()[-3000:])
        time.sleep(2)
    containers["ps"].kill()

    started = time.time()
    codes = dict((kind, containers[kind].wait(timeout=600)) for kind in ("chief", "worker"))
    assert codes["chief"] != 0 and codes["worker"] != 0, codes
    assert time.time() - started < 300
    for kind in ("chief", "worker"):
        failure = read(job_dirs[kind], "output", "failure")
        assert "ClusterError" in failure and "ps 0 at %s:2222" % host("ps", 0) in failure, (
            kind, failure[:2000])
        assert "stopped answering mid-job" in failure, (kind, failure[:2000])
        assert not os.path.exists(os.path.join(job_dirs[kind], "output", "success"))
    assert engine.running() == []
