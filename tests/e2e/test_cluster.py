"""Several hosts: the legacy TF_CONFIG, a launcher's TF_CONFIG, parameter servers, the job's end.

The two-host jobs run real processes on loopback (about 30 s each on TF 2.15); the same jobs
run on the real TF 1.4.1 and 1.10.1 in tests/matrix/test_cluster.py.
"""
import json
import os
import subprocess
import sys
import time

import pytest

from legacy_compat import cluster, environment, processes
from legacy_compat.environment import Environment
from legacy_compat.errors import ConfigError
from legacy_compat.portable import cluster as layout

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "matrix"))
import cluster_job  # noqa: E402

ROOT = cluster_job.ROOT


# -- the layout ----------------------------------------------------------------------------------
def test_one_host_is_a_lone_master():
    # The legacy container's unit test test_build_tf_config_with_one_host.
    assert layout.legacy_tf_config(["algo-1"], "algo-1") == {
        "environment": "cloud", "cluster": {"master": ["algo-1:2222"]},
        "task": {"index": 0, "type": "master"}}


def test_four_hosts_have_a_master_workers_and_a_parameter_server_on_every_host():
    # The legacy container's unit test test_build_tf_config_with_multiple_hosts.
    config = layout.legacy_tf_config(["algo-1", "algo-2", "algo-3", "algo-4"], "algo-3")
    assert config["cluster"] == {
        "master": ["algo-1:2222"],
        "ps": ["algo-1:2223", "algo-2:2223", "algo-3:2223", "algo-4:2223"],
        "worker": ["algo-2:2222", "algo-3:2222", "algo-4:2222"]}
    assert config["task"] == {"index": 1, "type": "worker"}
    assert config["environment"] == "cloud"


def test_hosts_keep_the_resourceconfig_order_and_loopback_addresses_replace_names():
    addresses = {"b": {"task": "127.0.0.1:1001", "ps": "127.0.0.1:1002"},
                 "a": {"task": "127.0.0.1:1003", "ps": "127.0.0.1:1004"}}
    config = layout.legacy_tf_config(["b", "a"], "a", addresses)
    assert config["cluster"] == {"master": ["127.0.0.1:1001"], "worker": ["127.0.0.1:1003"],
                                 "ps": ["127.0.0.1:1002", "127.0.0.1:1004"]}
    assert config["task"] == {"type": "worker", "index": 0}


def test_a_current_host_outside_the_hosts_is_a_config_error(tmp_path):
    # The layout itself raises ValueError: converted scripts carry it without legacy_compat.
    with pytest.raises(ValueError, match="algo-9"):
        layout.legacy_tf_config(["algo-1", "algo-2"], "algo-9")
    script = tmp_path / "train.py"
    script.write_text(u"")
    env = Environment(str(tmp_path), str(script), {}, {}, hosts=["algo-1", "algo-2"],
                      current_host="algo-9")
    with pytest.raises(ConfigError) as raised:
        cluster.for_environment(env, {})
    assert "algo-9" in str(raised.value) and "resourceconfig.json" in str(raised.value)


# -- a launcher's TF_CONFIG ------------------------------------------------------------------------
KUBEFLOW = {"cluster": {"chief": ["job-chief-0:2222"], "worker": ["job-worker-0:2222"],
                        "ps": ["job-ps-0:2222"]},
            "task": {"type": "worker", "index": 0}, "environment": "cloud"}


def test_a_launchers_tf_config_is_honoured_not_rebuilt(tmp_path):
    script = tmp_path / "train.py"
    script.write_text(u"")
    environ = {"TF_CONFIG": json.dumps(KUBEFLOW)}
    env = Environment(str(tmp_path), str(script), {}, {},
                      tf_config=environment.launcher_tf_config(environ))
    job = cluster.for_environment(env, environ)
    assert job.tf_config == KUBEFLOW and job.own_ps_index is None
    assert (job.name, job.is_chief, job.ps_addresses) == ("worker 0", False, ["job-ps-0:2222"])
    assert not env.is_master  # only the chief exports, whatever resourceconfig.json says
    chief = dict(KUBEFLOW, task={"type": "chief", "index": 0})
    assert Environment(str(tmp_path), str(script), {}, {}, tf_config=chief).is_master


def test_one_host_without_tf_config_trains_alone(tmp_path):
    env = Environment(str(tmp_path), None, {}, {}, hosts=["algo-1"])
    assert cluster.for_environment(env, {}) is None
    two = Environment(str(tmp_path), None, {}, {}, hosts=["algo-1", "algo-2"],
                      current_host="algo-2")
    job = cluster.for_environment(two, {})
    assert (job.name, job.own_ps_index, job.chief_address) == ("worker 0", 1, "algo-1:2222")
    assert not two.is_master


@pytest.mark.parametrize("text, expected", [
    ("{not json", "not valid JSON"),
    ('["a"]', "must be a JSON object"),
    ('{"cluster": {"chief": ["a:1"]}, "task": {"type": "worker", "index": 0}}',
     "is not in the cluster"),
    ('{"cluster": {"worker": "a:1"}, "task": {"type": "worker"}}', "lists of host:port"),
])
def test_a_broken_tf_config_is_a_clear_error(text, expected):
    with pytest.raises(ConfigError) as raised:
        environment.launcher_tf_config({"TF_CONFIG": text})
    assert expected in str(raised.value) and "TF_CONFIG" in str(raised.value)


def test_cli_refuses_hosts_below_one(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "legacy_compat", "train", "x.py", "--hosts", "0"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
    assert proc.returncode == 2 and b"--hosts wants a number of hosts" in proc.stderr


# -- the parameter server process ---------------------------------------------------------------------
def _start_ps(spec, index, parent_pid):
    env = processes.child_env({"CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "2"})
    return subprocess.Popen([sys.executable, "-m", "legacy_compat.psserver", json.dumps(spec),
                             str(index), str(parent_pid)], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)


def _wait_until(predicate, seconds):
    deadline = time.time() + seconds
    while time.time() < deadline and not predicate():
        time.sleep(0.2)
    return predicate()


def test_parameter_servers_carry_reports_and_end_when_released_or_orphaned():
    from legacy_compat import psserver
    ports = cluster_job_free_ports(3)
    spec = {"master": ["127.0.0.1:%d" % ports[0]],
            "ps": ["127.0.0.1:%d" % ports[1], "127.0.0.1:%d" % ports[2]]}
    # ps 1's parent is a stand-in host process that the test ends.
    host = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
    released = _start_ps(spec, 0, os.getpid())
    orphaned = _start_ps(spec, 1, host.pid)
    try:
        assert _wait_until(lambda: all(processes.reachable(a) for a in spec["ps"]) or any(
            proc.poll() is not None for proc in (released, orphaned)), 120)
        for proc in (released, orphaned):
            # A server that could not start (its port taken meanwhile: the ports were free
            # when picked) says why instead of leaving a bare timeout.
            assert proc.poll() is None, proc.communicate()[0].decode("utf-8", "replace")[-2000:]
        assert all(processes.reachable(a) for a in spec["ps"])
        psserver.report(spec["ps"][0], psserver.failed_message("worker", 0, "ValueError: x"))
        assert psserver.parse_message(psserver.receive(spec["ps"][0], 5)) == (
            "failed", "worker", 0, "ValueError: x")
        assert psserver.receive(spec["ps"][0], 0.5) is None
        psserver.release(spec["ps"][:1])
        assert released.wait(30) == 0
        host.kill()
        host.wait()
        assert _wait_until(lambda: orphaned.poll() is not None, 30), "ps 1 outlived its host"
        assert orphaned.returncode == 0
        assert not any(processes.reachable(a) for a in spec["ps"])
    finally:
        for proc in (released, orphaned, host):
            if proc.poll() is None:
                proc.kill()
            proc.communicate()


def cluster_job_free_ports(count):
    from legacy_compat.loopback import free_ports
    return free_ports(count)


# -- whole jobs on loopback ---------------------------------------------------------------------------
TARGET = 300


def test_two_hosts_train_to_the_shared_target_and_export_once(tmp_path):
    job = cluster_job.run(tmp_path / "job", {"training_steps": TARGET, "evaluation_steps": 1})
    assert job.returncode == 0, job.output[-6000:]
    master, worker = job.steps("algo-1"), job.steps("algo-2")
    assert master["global_step"] >= TARGET and worker["global_step"] >= TARGET
    assert master["train_steps"] > 0 and worker["train_steps"] > 0, (master, worker)
    # Their own steps add up to the one global step they shared (a racing step or two aside).
    assert TARGET <= master["train_steps"] + worker["train_steps"] <= TARGET + 4, (master, worker)
    assert len(job.exports()) == 1, job.exports()
    assert os.path.exists(job.path("output", "success"))
    assert os.path.exists(job.path("hosts", "algo-2", "output", "success"))
    assert not os.path.exists(job.path("hosts", "algo-2", "model", "export"))
    assert "[algo-2] " in job.output and "released by the chief" in job.output
    # Whole checkpoints, written by the master: two parameter servers would otherwise each write
    # a part (-of-00002) on their own host, which fails where hosts share no disk
    # (tests/containers/test_sagemaker.py).
    data = [name for name in os.listdir(job.path("model")) if ".data-" in name]
    assert data and all(name.endswith(".data-00000-of-00001") for name in data), data
    assert cluster_job.leftovers(job) == ([], [])


def test_every_host_decodes_a_sagemaker_file_without_sagemaker_keys(tmp_path):
    """`--hosts 2 --hyperparameters sagemaker:FILE` decodes the JSON-encoded values on every host,
    as one host does. The launcher used to hand the hosts the values as plain JSON, so the mark
    was lost, "60" stayed a string and every host failed with TypeError ('<=' between str and
    int)."""
    encoded = tmp_path / "hyperparameters.json"
    encoded.write_text(json.dumps({"training_steps": "60", "evaluation_steps": "1"}))
    job = cluster_job.run(tmp_path / "job", "sagemaker:%s" % encoded)
    assert job.returncode == 0, job.output[-6000:]
    assert "TypeError" not in job.output
    assert job.steps("algo-1")["global_step"] >= 60
    assert os.path.exists(job.path("hosts", "algo-2", "output", "success"))
    assert len(job.exports()) == 1, job.exports()
    assert cluster_job.leftovers(job) == ([], [])


def test_a_worker_killed_mid_job_fails_the_job_instead_of_hanging(tmp_path):
    started = time.time()
    job = cluster_job.run(tmp_path / "job", {
        "training_steps": 100000, "die_on_host": "algo-2", "die_at_step": 20})
    assert job.returncode == 1, job.output[-6000:]
    failure = job.read("output", "failure")
    assert "ClusterError: worker 0's host" in failure and "stopped answering mid-job" in failure
    assert "host algo-2 (worker 0) was killed by signal 9" in job.output
    assert not os.path.exists(job.path("output", "success"))
    assert time.time() - started < 300
    assert cluster_job.leftovers(job) == ([], [])


def test_a_kubeflow_style_tf_config_is_honoured_end_to_end(tmp_path):
    """chief / worker / ps from the launcher: each task is `legacy-compat train` with that
    TF_CONFIG; the ps task serves until the chief releases it, the chief exports once."""
    ports = cluster_job_free_ports(3)
    spec = {"chief": ["127.0.0.1:%d" % ports[0]], "worker": ["127.0.0.1:%d" % ports[1]],
            "ps": ["127.0.0.1:%d" % ports[2]]}
    hyperparameters = json.dumps({"training_steps": TARGET, "evaluation_steps": 1})
    procs = {}
    for kind in ("ps", "chief", "worker"):
        env = processes.child_env({"TF_CPP_MIN_LOG_LEVEL": "2", "TF_CONFIG": json.dumps(
            {"cluster": spec, "task": {"type": kind, "index": 0}, "environment": "cloud"})})
        env.pop(cluster.LOOPBACK_ENV, None)
        procs[kind] = subprocess.Popen(
            [sys.executable, "-m", "legacy_compat", "train", cluster_job.SCRIPT,
             "--job-dir", str(tmp_path / kind), "--checkpoint-path", str(tmp_path / "checkpoints"),
             "--hyperparameters", hyperparameters],
            env=env, stdout=open(str(tmp_path / (kind + ".log")), "wb"), stderr=subprocess.STDOUT)
    try:
        assert _wait_until(lambda: all(p.poll() is not None for p in procs.values()), 300)
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
            proc.wait()
    logs = dict((kind, (tmp_path / (kind + ".log")).read_text()) for kind in procs)
    assert dict((kind, p.returncode) for kind, p in procs.items()) == {
        "ps": 0, "chief": 0, "worker": 0}, logs["chief"][-4000:]
    assert "parameter server ps 0 released by the chief" in logs["ps"]
    steps = [json.loads((tmp_path / kind / "output" / "data" / "steps.json").read_text())
             for kind in ("chief", "worker")]
    assert all(s["train_steps"] > 0 and s["global_step"] >= TARGET for s in steps), steps
    assert "loading " not in logs["ps"]  # a ps task never loads the script
    assert len(os.listdir(str(tmp_path / "chief" / "model" / "export" / "Servo"))) == 1
    assert not os.path.exists(str(tmp_path / "worker" / "model" / "export"))
    assert not any(processes.reachable(address) for addresses in spec.values()
                   for address in addresses)
