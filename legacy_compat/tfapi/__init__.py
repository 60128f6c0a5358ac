"""The one door to TensorFlow: its version, its v1 API, Estimator and the Keras it takes.

Every other module of the runtime asks here instead of importing
``tensorflow_estimator``, walking ``tf.compat`` or parsing ``tf.__version__``,
so a TensorFlow whose pieces moved is handled in this file alone. Nothing
here imports TensorFlow until a function is called.

* :func:`version` / :func:`is_tf2` / :func:`before`: the installed release,
  parsed once.
* :func:`v1_module`: the v1 API (``tensorflow`` on 1.x, ``tf.compat.v1`` on 2.x),
  without changing how TensorFlow behaves (for ``import legacy_compat.patch``
  inside someone else's program).
* :func:`enter_graph_mode`: the one switch to v1 behaviour (graph mode, v1
  Estimator), process-wide and irreversible, done once; :func:`v1` is both.
* :func:`tensorflow`: ``import tensorflow``; on TF >= 2.16, which no longer
  ships ``tf.estimator``, ``revival.install()`` revives it first.
* :func:`estimator`: the ``tf.estimator`` module, resolved in one place
  (:func:`revived_estimator` on TF >= 2.16).
* :func:`model_to_estimator` and :func:`keras`: the Keras that
  ``model_to_estimator`` accepts.

The revival (``revival.py``, with ``standins.py`` and ``training.py``) is the only other code
that imports TensorFlow; ``legacy_compat.estimator`` is its public face.
"""

import gc
import sys
import threading

from legacy_compat import tfversion
from legacy_compat.tfapi import revival

# Modules that define the Estimator class, by TF release (1.x in TF itself, 1.13+ in the
# tensorflow-estimator package); the adapter layer patches whichever gets imported.
ESTIMATOR_MODULES = (
    "tensorflow.python.estimator.estimator",
    "tensorflow_estimator.python.estimator.estimator",
)
# Where ``tensorflow.python.estimator`` went (the TF 1.x view maps legacy imports there).
ESTIMATOR_PACKAGE = "tensorflow_estimator.python.estimator"

_lock = threading.RLock()
_state = {}


def tensorflow():
    """``import tensorflow``, with tf.estimator revived first where TF lacks it (2.16+).

    The revival has to run before TensorFlow is imported (it routes ``tf.keras`` to
    tf_keras); it is a no-op on TF <= 2.15 and raises ``EstimatorUnavailable`` with the
    pip command when the pieces are not installed.
    """
    if "revival" not in _state:
        _state["revival"] = revival.install()
    if _state.get("own_process") and "tensorflow" not in sys.modules:
        return _import_uncollected()
    import tensorflow as tf
    return tf


def own_process():
    """Say that this process is the job's alone (``legacy-compat train``), so TensorFlow may
    be imported the way a long-lived server is started: see ``_import_uncollected``."""
    _state["own_process"] = True


def _import_uncollected():
    """``import tensorflow`` with Python's cyclic garbage collector paused, then its objects
    set aside from later collections.

    The import creates some 300,000 long-lived objects (modules, classes, functions) and
    almost no garbage; each full collection while they pile up walks all of them, and every
    later one walks them again: about 0.4 s of CPU in a 20-step job on TF 2.15, more than
    the job's own start-up. Freezing them (Python 3.7+) keeps later collections to the
    objects the job makes. Only in a process of our own: someone else's program that
    imports legacy_compat keeps its collector as it set it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        import tensorflow as tf
    finally:
        if enabled:
            gc.enable()
    if hasattr(gc, "freeze"):
        gc.freeze()
    return tf


def version():
    """The installed TensorFlow release (``packaging`` Version), parsed once."""
    if "version" not in _state:
        importing = sys.modules.get("tensorflow")
        if importing is not None and not hasattr(importing, "__version__"):
            # Asked by an adapter hook on a module TensorFlow imports while its own
            # ``import tensorflow`` is still running, before it sets __version__ (and
            # too late for the 2.16+ revival, which tensorflow() would start).
            from tensorflow.python.framework import versions
            text = versions.__version__
        else:
            text = tensorflow().__version__
        _state["version"] = tfversion.parse(text)
    return _state["version"]


def is_tf2():
    return version().major >= 2


def before(release):
    """True when the installed TensorFlow is older than ``release`` (e.g. ``"1.10"``)."""
    return version() < tfversion.parse(release)


def v1_module():
    """The v1 API module, leaving TensorFlow's behaviour as it is."""
    tf = tensorflow()
    return tf.compat.v1 if is_tf2() else tf


def enter_graph_mode():
    """Switch TF 2.x to v1 behaviour (graph mode, v1 Estimator) once; nothing on TF 1.x.

    Process-wide and not undoable, so it happens once, and only when the
    runtime trains or a legacy script imports TensorFlow.
    """
    with _lock:
        if not _state.get("graph_mode"):
            if is_tf2():
                tensorflow().compat.v1.disable_v2_behavior()
            _state["graph_mode"] = True


def v1():
    """The v1 API the runtime trains with, TensorFlow switched to v1 behaviour."""
    enter_graph_mode()
    return v1_module()


def estimator():
    """The ``tf.estimator`` (v1) module: the single place that resolves it."""
    with _lock:
        if "estimator" not in _state:
            if tfversion.lacks_estimator(version()):
                _state["estimator"] = revived_estimator()
            else:
                _state["estimator"] = v1_module().estimator
        return _state["estimator"]


def revived_estimator():
    """tf.estimator for TensorFlow >= 2.16, which no longer ships it.

    ``revival.install()`` brings back tensorflow-estimator 2.15 and attaches it
    as ``tf.compat.v1.estimator`` (already done by :func:`tensorflow`; idempotent).
    """
    revival.install()
    return v1_module().estimator


def keras():
    """The Keras whose models ``model_to_estimator`` accepts (Keras 2, v1 API)."""
    return v1_module().keras


def model_to_estimator():
    """``tf.keras.estimator.model_to_estimator`` of the v1 API."""
    return keras().estimator.model_to_estimator


class _NoOp(object):
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False


def quiet_deprecations():
    """Silence TF's deprecation notices about the runtime's own Estimator calls.

    They are about our code, not the user's, and would bury the user's own
    migration hints; TF versions before 1.15 have no switch, so nothing changes there.
    """
    try:
        from tensorflow.python.util import deprecation
        return deprecation.silence()
    except (ImportError, AttributeError):
        return _NoOp()
