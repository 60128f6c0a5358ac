"""Processes and ports: probing an address, a child Python that imports this copy of
legacy_compat, stopping a child, and leaving the process for good.

Used by the cluster, the parameter server and ``train --hosts N``. Standard library only;
Python 2.7 compatible.
"""

import logging
import os
import socket
import sys
import time


def reachable(address, timeout=2.0):
    """Whether something accepts connections on ``host:port``."""
    host, _, port = address.rpartition(":")
    try:
        sock = socket.create_connection((host.strip("[]"), int(port)), timeout=timeout)
    except (socket.error, ValueError, OverflowError):
        return False
    sock.close()
    return True


def child_env(extra=None):
    """os.environ for a child Python that must import this copy of legacy_compat."""
    env = dict(os.environ)
    package_root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    paths = [package_root] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env.update(extra or {})
    return env


def stop_process(process, grace_secs):
    """Terminate ``process`` (which this process started) and reap it."""
    deadline = time.time() + grace_secs
    while process.poll() is None and time.time() < deadline:
        time.sleep(0.1)
    if process.poll() is None:
        process.terminate()
        deadline = time.time() + 5
        while process.poll() is None and time.time() < deadline:
            time.sleep(0.1)
    if process.poll() is None:
        process.kill()
        process.wait()


def exit_process(code):
    """Leave now, as the legacy container did: TF's server threads never end on their own."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed stream must not keep the process alive
            pass
    logging.shutdown()
    os._exit(code)
