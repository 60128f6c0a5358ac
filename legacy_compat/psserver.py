"""The parameter server process and the end-of-job messages that travel through it.

A parameter server is TensorFlow's own server (``tf.train.Server`` through the v1 API)
in a separate, CPU-only process::

    python -m legacy_compat.psserver CLUSTER_JSON TASK_INDEX [PARENT_PID]

``server.join()`` never returns (tensorflow/ecosystem#19), so instead the process
waits on a queue that lives in its own server until the chief releases it, and gives
up by itself when the process that started it is gone, so none is left behind.

The same servers carry the trainers' end-of-training reports to the chief: a queue
on parameter server 0 (the "board") holds one ``done``/``failed`` line per worker.
Queues shared by name are TensorFlow's own mechanism and exist on every release from
1.4 to 2.15, so no port beyond the cluster's own is needed.

Python 2.7 compatible.
"""

import json
import logging
import os
import sys

from legacy_compat import tfapi
from legacy_compat.logs import configure_logging
from legacy_compat.processes import reachable

logger = logging.getLogger("legacy_compat")

BOARD_QUEUE = "legacy_compat_board"
RELEASE_QUEUE = "legacy_compat_release"
RELEASE = "release"
# Every session that creates a shared queue must declare it identically.
QUEUE_CAPACITY = 1024
RPC_TIMEOUT_MS = 10000


def done_message(kind, index):
    return json.dumps({"status": "done", "job": kind, "index": index})


def failed_message(kind, index, detail):
    return json.dumps({"status": "failed", "job": kind, "index": index, "detail": detail})


def parse_message(text):
    message = json.loads(text)
    return message["status"], message["job"], int(message["index"]), message.get("detail")


class _Queue(object):
    """A string queue on parameter server ``ps_index``, reached through ``target``."""

    def __init__(self, target, ps_index, shared_name):
        tf = tfapi.v1()
        self.errors = tf.errors
        self.graph = tf.Graph()
        device = "/job:ps/task:%d" % ps_index
        with self.graph.as_default(), tf.device(device):
            queue = tf.FIFOQueue(QUEUE_CAPACITY, [tf.string], shapes=[[]],
                                 shared_name=shared_name, name=shared_name)
            self.text = tf.placeholder(tf.string, [])
            self.enqueue = queue.enqueue([self.text])
            self.dequeue = queue.dequeue()
        # Only this parameter server: a session must not wait for the rest of the cluster.
        config = tf.ConfigProto(device_filters=[device], operation_timeout_in_ms=RPC_TIMEOUT_MS)
        self.session = tf.Session(target, graph=self.graph, config=config)
        self.run_options = tf.RunOptions

    def put(self, text):
        self.session.run(self.enqueue, {self.text: text},
                         options=self.run_options(timeout_in_ms=RPC_TIMEOUT_MS))

    def get(self, timeout_secs):
        """The next message, or None after ``timeout_secs``."""
        try:
            value = self.session.run(self.dequeue, options=self.run_options(
                timeout_in_ms=int(timeout_secs * 1000)))
        except self.errors.DeadlineExceededError:
            return None
        return value.decode("utf-8") if isinstance(value, bytes) else value

    def close(self):
        self.session.close()


_sessions = {}


def _queue(address, ps_index, shared_name):
    key = (address, ps_index, shared_name)
    if key not in _sessions:
        _sessions[key] = _Queue("grpc://" + address, ps_index, shared_name)
    return _sessions[key]


def report(board_address, message):
    """Put a trainer's end-of-training line on the board (parameter server 0)."""
    _queue(board_address, 0, BOARD_QUEUE).put(message)


def receive(board_address, timeout_secs):
    """The chief's next line from the board, or None."""
    return _queue(board_address, 0, BOARD_QUEUE).get(timeout_secs)


def release(ps_addresses):
    """Let every parameter server go; one that is already gone is fine."""
    for index, address in enumerate(ps_addresses):
        if not reachable(address):
            continue
        try:
            _queue(address, index, RELEASE_QUEUE).put(RELEASE)
        except Exception as error:  # it went away between the probe and the message
            logger.info("cluster: parameter server ps %d at %s: %s", index, address, error)


def serve(spec, index, parent_pid=None):
    """Run parameter server ``index`` until released, or until ``parent_pid`` is gone."""
    tf = tfapi.v1()
    # "Running multiple TensorFlow processes on the same GPU is not safe" (legacy container).
    server = tf.train.Server(tf.train.ClusterSpec(spec), job_name="ps", task_index=index,
                             config=tf.ConfigProto(device_count={"GPU": 0}))
    logger.info("parameter server ps %d listening on %s", index, spec["ps"][index])
    release_queue = _Queue(server.target, index, RELEASE_QUEUE)
    while True:
        if release_queue.get(timeout_secs=1.0) == RELEASE:
            logger.info("parameter server ps %d released by the chief", index)
            return 0
        if parent_pid is not None and os.getppid() != parent_pid:
            logger.info("parameter server ps %d: the process that started it (pid %d) is gone",
                        index, parent_pid)
            return 0


def main(argv):
    if len(argv) not in (2, 3):
        sys.exit("usage: python -m legacy_compat.psserver CLUSTER_JSON TASK_INDEX [PARENT_PID]")
    configure_logging()
    spec, index = json.loads(argv[0]), int(argv[1])
    parent_pid = int(argv[2]) if len(argv) > 2 else None
    code = serve(spec, index, parent_pid)
    sys.stdout.flush()
    sys.stderr.flush()
    # The server's threads never end; leave like the legacy container did.
    os._exit(code)


if __name__ == "__main__":
    main(sys.argv[1:])
