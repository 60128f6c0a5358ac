"""Stopping a job on SIGTERM / SIGINT without losing the steps it trained.

SageMaker, Kubernetes and a terminal's Ctrl-C all stop a job with a signal.
The first one only records the request; the training loop notices it after
the step in flight (``make_hook``), saves a checkpoint at that global step and
ends with :class:`Stopped`, so the Estimator neither evaluates nor exports a
half-trained model and a rerun resumes exactly there. A second signal ends
the process at once (``128 + signal number``, what a shell reports for a
process killed by that signal).

Python runs signal handlers in the main thread between bytecodes, so a step
that TensorFlow is executing in C++ finishes first; SIGKILL remains the way to
end a TensorFlow that never returns.
"""

import os
import signal
import sys
import threading

from legacy_compat import outcome

STOP_SIGNALS = ("SIGTERM", "SIGINT")


class Stopped(Exception):
    """The job stopped on request; ``global_step`` is the checkpoint a rerun resumes from."""

    def __init__(self, signum, global_step=None, checkpoint=None, note=None):
        self.signum = signum
        self.global_step = global_step
        self.checkpoint = checkpoint
        super(Stopped, self).__init__(describe(signum, global_step, note))


def signal_name(signum):
    for name in STOP_SIGNALS:
        if getattr(signal, name, None) == signum:
            return name
    return "signal %d" % signum


def exit_code(signum):
    return outcome.SIGNAL_BASE + signum


def describe(signum, global_step, note=None):
    """``stopped by SIGTERM at global step 120; rerun to resume``: the failure file's line."""
    at = "global step %s" % global_step if global_step is not None else "an unknown global step"
    text = "stopped by %s at %s" % (signal_name(signum), at)
    if note:
        text += " (%s)" % note
    return text + "; rerun to resume"


class _State(object):
    signum = None
    installed = False
    previous = {}
    on_second = None


_state = _State()


def requested():
    """The signal number of the pending stop request, or None."""
    return _state.signum


def _handle(signum, frame):
    if _state.signum is None:
        _state.signum = signum
        sys.stderr.write("legacy-compat: %s received: stopping after the current training step "
                         "and saving a checkpoint (send it again to end at once)\n"
                         % signal_name(signum))
        sys.stderr.flush()
        return
    # The second signal: the user wants out now, checkpoint or not.
    try:
        if _state.on_second is not None:
            _state.on_second(signum)
    finally:
        os._exit(exit_code(signum))


def install(on_second=None):
    """Catch the stop signals from now on. ``on_second(signum)`` runs just before a hard exit."""
    _state.signum = None
    _state.on_second = on_second
    if _state.installed:
        return
    if threading.current_thread().name != "MainThread":
        return  # only the main thread may set handlers: an embedding application owns them
    for name in STOP_SIGNALS:
        signum = getattr(signal, name)
        _state.previous[signum] = signal.signal(signum, _handle)
        # Python 2 would otherwise fail system calls interrupted by the signal with EINTR.
        signal.siginterrupt(signum, False)
    _state.installed = True


def uninstall():
    for signum, handler in _state.previous.items():
        signal.signal(signum, handler)
    _state.previous = {}
    _state.installed = False
    _state.on_second = None


def make_hook(tf, checkpoint_dir):
    """A SessionRunHook that ends training at the first step boundary after a stop request.

    It saves the checkpoint itself, with the Estimator's own Saver, and then
    raises :class:`Stopped`: an exception (unlike ``request_stop``) keeps
    ``train_and_evaluate``'s end-of-training evaluation and export from running
    on a model that has not finished training.
    """

    class StopHook(tf.train.SessionRunHook):
        def begin(self):
            self._step_tensor = tf.train.get_global_step()

        def after_create_session(self, session, coord):
            self._check(session)

        def after_run(self, run_context, run_values):
            self._check(run_context.session)

        def _check(self, session):
            signum = requested()
            if signum is None:
                return
            step = None
            if self._step_tensor is not None:
                step = int(session.run(self._step_tensor))
            savers = tf.get_collection(tf.GraphKeys.SAVERS)
            checkpoint = None
            if savers:
                checkpoint = savers[0].save(session, os.path.join(checkpoint_dir, "model.ckpt"),
                                            global_step=step)
            raise Stopped(signum, step, checkpoint,
                          note=None if checkpoint else "no Saver in the graph: nothing saved")

    return StopHook()
