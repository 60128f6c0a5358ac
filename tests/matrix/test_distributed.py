"""The global-step adapter in a real parameter-server cluster on loopback (ps, master, worker).

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


def start(role, ports, model_dir):
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2", CUDA_VISIBLE_DEVICES="")
    return subprocess.Popen([sys.executable, DRIVER, role, "0", json.dumps(ports), model_dir],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)


def result_of(proc, deadline):
    while proc.poll() is None and time.time() < deadline:
        time.sleep(0.5)
    if proc.poll() is None:
        proc.kill()
    output = proc.communicate()[0].decode("utf-8", "replace")
    for line in output.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[len("RESULT "):]), output
    return None, output


def test_workers_share_the_advanced_global_step(tmpdir):
    ports = free_ports(3)
    model_dir = str(tmpdir.join("model"))
    ps = start("ps", ports, model_dir)
    try:
        master = start("master", ports, model_dir)
        worker = start("worker", ports, model_dir)
        deadline = time.time() + 240
        master_result, master_output = result_of(master, deadline)
        worker_result, worker_output = result_of(worker, deadline)
    finally:
        ps.kill()
        ps.communicate()
    assert master_result is not None, master_output[-3000:]
    assert worker_result is not None, worker_output[-3000:]
    # The cluster stopped at the shared target, and the tasks' own steps add up to it: they
    # advanced one counter (a task racing the other may overshoot by a step or two). Only the
    # master's view is final: it writes the last checkpoint, which a worker may not see.
    assert master_result["global_step"] >= TARGET
    total = master_result["train_steps"] + worker_result["train_steps"]
    assert TARGET <= total <= TARGET + 4, (master_result, worker_result)
    assert master_result["train_steps"] > 0 and worker_result["train_steps"] > 0, (
        master_result, worker_result)
    assert "does not advance the global step" in master_output
