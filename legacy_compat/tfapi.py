"""The TensorFlow 1.x API the runtime itself is written against, on any installed TF.

The runner drives Estimators through the v1 API: on TF 1.x that is the
``tensorflow`` module itself, on TF 2.x it is ``tf.compat.v1`` with v2
behaviour disabled (Estimators, graph mode). Imported lazily: nothing here
runs until training starts.
"""

from packaging import version as _version

_state = {}


def revive_estimator():
    """Before TensorFlow is imported: where it lacks tf.estimator (2.16+), bring it back.

    ``legacy_compat.estimator`` (no-op on TF <= 2.15) must run before ``import tensorflow``
    so that ``tf.keras`` is routed to tf_keras; it raises with the pip command when the
    pieces are missing.
    """
    if "estimator" not in _state:
        from legacy_compat import estimator
        _state["estimator"] = estimator.install()
    return _state["estimator"]


def tf_version():
    revive_estimator()
    import tensorflow as tf
    return _version.parse(tf.__version__.split("-")[0])


def is_tf2():
    return tf_version().major >= 2


def v1():
    """The v1 API module; on TF 2.x also switches TensorFlow to v1 behaviour once."""
    if "v1" not in _state:
        revive_estimator()
        import tensorflow as tf
        if is_tf2():
            api = tf.compat.v1
            api.disable_v2_behavior()
        else:
            api = tf
        _state["v1"] = api
    return _state["v1"]


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
