"""A pytest fork server, so a mutant costs a fork instead of a fresh interpreter.

mutmut runs its ``--runner`` command once per mutant. A fresh ``python -m pytest`` spends
most of its time importing pytest, NumPy and fissix; the server imports those once and forks
a child per request, which imports legacy_compat (the mutated file on disk) and the tests
anew and runs pytest. The client is the runner command: ``python -S forkserver.py SOCKET
PYTEST_ARGS...``; it exits 0 when the tests passed and 1 otherwise (mutmut reads exit code 1
as a killed mutant and anything else as a survivor, so pytest's 2-5 must become 1).

Nothing here may import legacy_compat or the tests before the fork.
"""

import json
import os
import select
import signal
import socket
import sys
import time

# Third-party and standard modules the tests and legacy_compat import: loaded once.
PRELOAD = ("pytest", "numpy", "six", "packaging.version", "wrapt", "fissix.pygram",
           "fissix.fixer_util", "fissix.refactor", "json", "subprocess", "tarfile", "zipfile",
           "hashlib", "inspect", "logging", "ast", "tokenize", "dataclasses", "textwrap",
           "shutil", "tempfile", "argparse", "difflib", "io")
CHILD_TIMEOUT = 120  # seconds; a mutant that hangs the tests is stopped (and counted killed)


def serve(path, root):
    import importlib
    sys.dont_write_bytecode = True  # a same-size mutant must never meet a stale .pyc
    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    import pytest
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(4)
    while True:
        conn, _ = listener.accept()
        try:
            request = json.loads(_receive(conn))
            if request == "stop":
                conn.sendall(b"0\n")
                return
            code = _run_child(conn, pytest, root, request)
            conn.sendall(("%d\n" % code).encode("ascii"))
        except (OSError, ValueError):
            pass
        finally:
            conn.close()


def _receive(conn):
    data = b""
    while not data.endswith(b"\n"):
        chunk = conn.recv(65536)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8")


def _run_child(conn, pytest, root, args):
    pid = os.fork()
    if pid == 0:
        code = 3
        try:
            os.chdir(root)
            sys.path.insert(0, root)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            code = int(pytest.main(["-q", "-x", "-p", "no:cacheprovider"] + list(args)))
        finally:
            os._exit(code)
    deadline = time.time() + CHILD_TIMEOUT
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 4
        readable, _, _ = select.select([conn], [], [], 0.02)
        if time.time() > deadline or (readable and not conn.recv(1, socket.MSG_PEEK)):
            # Too long, or the client is gone (mutmut's own timeout): stop the child.
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return 4


def request(path, payload):
    client = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    for _ in range(600):
        try:
            client.connect(path)
            break
        except OSError:
            time.sleep(0.1)  # the server is still importing
    client.sendall((json.dumps(payload) + "\n").encode("utf-8"))
    return int(_receive(client).strip() or "4")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3])
    else:
        sys.exit(0 if request(sys.argv[1], sys.argv[2:]) == 0 else 1)
