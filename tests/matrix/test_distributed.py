"""The global-step adapter in a real parameter-server cluster on loopback (two hosts' tasks).

Python 2.7 compatible.
"""
import json
import os
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "distributed_driver.py")
TARGET = 500


def free_ports(count):
    sockets = [socket.socket() for _ in range(count)]
    for sock in sockets:
        sock.bind(("127.0.0.1", 0))
    ports = [sock.getsockname()[1] for sock in sockets]
    for sock in sockets:
        sock.close()
    return ports


def start(role, index, addresses, model_dir):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    return subprocess.Popen([sys.executable, DRIVER, role, str(index), json.dumps(addresses),
                             model_dir],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def wait_for_results(tmpdir, roles, procs, deadline):
    """Each task writes <role>.json when its training loop ends; then stop every process."""
    paths = dict((role, str(tmpdir.join(role + ".json"))) for role in roles)
    while time.time() < deadline and not all(os.path.exists(p) for p in paths.values()):
        if any(proc.poll() not in (None, 0) for proc in procs):
            break
        time.sleep(0.5)
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
    outputs = [proc.communicate()[0].decode("utf-8", "replace") for proc in procs]
    results = {}
    for role, path in paths.items():
        if os.path.exists(path):
            with open(path) as handle:
                results[role] = json.load(handle)
    return results, "\n".join(outputs)


def test_workers_share_the_advanced_global_step(tmpdir):
    ports = free_ports(4)
    addresses = {"algo-1": {"task": "localhost:%d" % ports[0], "ps": "localhost:%d" % ports[1]},
                 "algo-2": {"task": "localhost:%d" % ports[2], "ps": "localhost:%d" % ports[3]}}
    model_dir = str(tmpdir.join("model"))
    tasks = (("ps", 0), ("ps", 1), ("master", 0), ("worker", 0))
    procs = [start(role, index, addresses, model_dir) for role, index in tasks]
    results, output = wait_for_results(tmpdir, ("master", "worker"), procs, time.time() + 240)
    assert set(results) == set(["master", "worker"]), output[-4000:]
    master, worker = results["master"], results["worker"]
    # The cluster stopped at the shared target, and the tasks' own steps add up to it: they
    # advanced one counter (a task racing the other may overshoot by a step or two).
    assert master["global_step"] >= TARGET and worker["global_step"] >= TARGET
    total = master["train_steps"] + worker["train_steps"]
    assert TARGET <= total <= TARGET + 4, results
    assert master["train_steps"] > 0 and worker["train_steps"] > 0, results
    assert "does not advance the global step" in output
