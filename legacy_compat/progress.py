"""Training progress: global step / target, steps per second, latest loss, ETA.

TensorFlow's own ``loss = ..., step = ...`` lines are left untouched (tuning
jobs parse them with regexes); this adds one line per log interval, or a live
line when stderr is a terminal.
"""

import logging
import sys
import time

logger = logging.getLogger("legacy_compat")

LOSS_COLLECTION = "legacy_compat_loss"


def format_eta(seconds):
    if seconds is None or seconds != seconds or seconds < 0:
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return "%dh%02dm" % (hours, minutes)
    if minutes:
        return "%dm%02ds" % (minutes, secs)
    return "%ds" % secs


def format_line(step, target, rate, loss):
    parts = ["step %d/%s" % (step, target if target is not None else "?")]
    parts.append("%.1f steps/s" % rate if rate else "- steps/s")
    if loss is not None:
        parts.append("loss %.4g" % loss)
    if target is not None and rate:
        parts.append("ETA %s" % format_eta((target - step) / rate))
    return "progress: " + ", ".join(parts)


def make_hook(tf, target, every_n_steps, stream=None):
    """A SessionRunHook (of the running TF's own class) that reports progress.

    Fetches the global step and loss only every ``every_n_steps`` iterations,
    so it costs nothing measurable per step.
    """
    stream = stream or sys.stderr
    live = hasattr(stream, "isatty") and stream.isatty()
    every_n_steps = max(1, int(every_n_steps or 100))

    class ProgressHook(tf.train.SessionRunHook):
        def begin(self):
            self._step_tensor = tf.train.get_global_step()
            losses = tf.get_collection(LOSS_COLLECTION)
            self._loss = losses[0] if losses else None
            self._iterations = 0
            self._last = None
            self._shown = False

        def after_create_session(self, session, coord):
            if self._step_tensor is not None:
                self._last = (session.run(self._step_tensor), time.time())

        def before_run(self, run_context):
            self._iterations += 1
            if self._step_tensor is None or self._iterations % every_n_steps:
                return None
            fetches = {"step": self._step_tensor}
            if self._loss is not None:
                fetches["loss"] = self._loss
            return tf.train.SessionRunArgs(fetches)

        def after_run(self, run_context, run_values):
            results = run_values.results
            if not results:
                return
            now = time.time()
            step = int(results["step"])
            rate = None
            if self._last is not None and now > self._last[1] and step > self._last[0]:
                rate = (step - self._last[0]) / (now - self._last[1])
            self._last = (step, now)
            self._emit(format_line(step, target, rate, results.get("loss")))

        def end(self, session):
            if live and self._shown:
                stream.write("\n")
                stream.flush()

        def _emit(self, line):
            if live:
                stream.write("\r\x1b[K" + line)
                stream.flush()
                self._shown = True
            else:
                logger.info(line)

    return ProgressHook()
