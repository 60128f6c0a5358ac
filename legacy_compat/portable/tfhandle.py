"""The one handle through which portable code reaches TensorFlow.

TensorFlow is imported on first use, so importing portable code (the runtime's
``--help``, the converter, the docs generator) never pays for it. The runtime
has imported TensorFlow (and revived tf.estimator on 2.16+) before user code
calls any of this; a converted script imports it first thing too.
"""


def tf_module():
    """The ``tensorflow`` module."""
    import tensorflow
    return tensorflow


def tf_v1():
    """TensorFlow's v1 API: ``tensorflow`` on 1.x, ``tf.compat.v1`` on 2.x."""
    tf = tf_module()
    if int(tf.__version__.split(".")[0]) >= 2:
        return tf.compat.v1
    return tf


def gfile():
    """TensorFlow's file access (S3, GCS and local paths): ``tf.io.gfile`` where it exists
    (TF 1.13+ and TF 2's public API), ``tf.gfile`` before; both have GFile."""
    tf = tf_module()
    return getattr(getattr(tf, "io", None), "gfile", None) or tf.gfile
