"""The progress line: its format, and the live line on a terminal (real TF, in a subprocess)."""

import os
import subprocess
import sys

from conftest import ROOT
from legacy_compat import progress


def test_format_line():
    line = progress.format_line(250, 1000, 50.0, 0.1234)
    assert line == "progress: step 250/1000, 50.0 steps/s, loss 0.1234, ETA 15s"
    assert progress.format_line(5, None, None, None) == "progress: step 5/?, - steps/s"


def test_format_eta():
    assert progress.format_eta(3725) == "1h02m"
    assert progress.format_eta(61) == "1m01s"
    assert progress.format_eta(None) == "?"


LIVE = r'''
import io, sys
from legacy_compat import progress, tfapi
tf = tfapi.v1()

class Terminal(io.StringIO):
    def isatty(self):
        return True

stream = Terminal()
step = tf.train.get_or_create_global_step()
loss = tf.constant(0.5)
tf.add_to_collection(progress.LOSS_COLLECTION, loss)
train_op = tf.assign_add(step, 1)
hook = progress.make_hook(tf, 6, 2, stream=stream)
with tf.train.MonitoredSession(hooks=[hook, tf.train.StopAtStepHook(last_step=6)]) as session:
    while not session.should_stop():
        session.run(train_op)
sys.stdout.write(repr(stream.getvalue()))
'''


def test_live_line_on_a_terminal():
    proc = subprocess.run([sys.executable, "-c", LIVE], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=dict(os.environ, PYTHONPATH=ROOT,
                                                            TF_CPP_MIN_LOG_LEVEL="2"))
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    out = proc.stdout.decode()
    # Rewritten in place (carriage return + clear line), ending with a newline.
    assert out.count("\\r\\x1b[K") == 3, out
    assert "step 6/6" in out and "loss 0.5" in out and out.endswith("\\n'")
