"""``legacy-compat tensorboard``: the SDK's ``run_tensorboard_locally`` without the SDK.

TensorBoard (installed with TensorFlow) runs as a child process on a local
folder. For an ``s3://`` checkpoint path that folder is a mirror pulled every
few seconds, so TensorBoard follows a running job; the port is the first free
one from 6006 up, as the SDK chose it.
"""

import errno
import logging
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from legacy_compat import storage
from legacy_compat.errors import ConfigError

logger = logging.getLogger("legacy_compat")

FIRST_PORT = 6006


def free_port(host, first=FIRST_PORT, tries=100):
    for port in range(first, first + tries):
        probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        try:
            probe.bind((host, port))
            return port
        except socket.error as exc:
            if exc.errno not in (errno.EADDRINUSE, errno.EACCES):
                raise
        finally:
            probe.close()
    raise ConfigError("no free port in %d-%d on %s" % (first, first + tries - 1, host),
                      hint="pass --port")


def _serving(host, port):
    try:
        socket.create_connection((host, port), timeout=1).close()
        return True
    except socket.error:
        return False


def _terminate(*_):
    raise SystemExit(0)


def main(args):
    path = args.checkpoint_path
    watcher = None
    created = None
    try:
        if storage.is_remote(path):
            logdir = args.local_dir or tempfile.mkdtemp(prefix="legacy-compat-tensorboard-")
            created = None if args.local_dir else logdir
            s3 = storage.S3(args.endpoint_url)
            s3.check_bucket(path)
            mirror = storage.Mirror(s3, path, logdir, grow_in_place=True)
            logger.info("mirroring %s into %s (every %gs)", path, logdir, args.interval)
            mirror.pull()
            watcher = storage.Watcher(mirror.pull, interval=args.interval,
                                      name="legacy-compat-tensorboard-sync").start()
        else:
            logdir = os.path.abspath(storage.local_path(path))
            if not os.path.isdir(logdir):
                raise ConfigError("checkpoint directory not found", path=logdir,
                                  hint="pass the job's checkpoint directory (--checkpoint-path "
                                       "of the training run, or JOB_DIR/model)")
        port = args.port or free_port(args.host)
    except ConfigError as exc:
        if watcher is not None:
            watcher.stop()
        sys.stderr.write("legacy-compat: %s\n" % exc)
        return 2

    signal.signal(signal.SIGTERM, _terminate)
    command = [sys.executable, "-m", "tensorboard.main", "--logdir", logdir,
               "--port", str(port), "--host", args.host]
    board = subprocess.Popen(command)
    try:
        deadline = time.time() + 120
        while not _serving(args.host, port):
            if board.poll() is not None:
                sys.stderr.write("legacy-compat: TensorBoard exited with %s before serving "
                                 "(command: %s)\n" % (board.returncode, " ".join(command)))
                return 1
            if time.time() > deadline:
                sys.stderr.write("legacy-compat: TensorBoard did not start within 120s\n")
                return 1
            time.sleep(0.2)
        sys.stdout.write("TensorBoard on %s: http://%s:%d/\n" % (path, args.host, port))
        sys.stdout.flush()
        return board.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if board.poll() is None:
            board.terminate()
            try:
                board.wait()
            except KeyboardInterrupt:
                board.kill()
        if watcher is not None:
            watcher.stop()
        if created:
            shutil.rmtree(created, ignore_errors=True)
