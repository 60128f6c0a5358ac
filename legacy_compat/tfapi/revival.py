"""Reviving ``tf.estimator`` on TensorFlow 2.16+, which removed it: part of the door to TensorFlow.

TensorFlow 2.16 dropped ``tf.estimator`` and the internals the last estimator release
(``tensorflow-estimator==2.15.0``) imports from TF. ``install()`` supplies those internals
again (our own code in this package: ``training.py`` for the deleted
``tensorflow.python.distribute.estimator_training``, the ``estimator`` API name in
``tf_export``, ``standins.py`` for the TPU-embedding modules), routes ``tf.keras`` to
``tf_keras`` (``TF_USE_LEGACY_KERAS=1``, which ``model_to_estimator`` needs), imports the
2.15 estimator and attaches it as ``tf.estimator``, ``tf.compat.v1.estimator`` and
``tf.compat.v2.estimator``.

On TensorFlow 2.15 and earlier ``install()`` does nothing. On its own::

    import legacy_compat.estimator      # installs on import; then use TensorFlow as before
    import tensorflow as tf
    tf.estimator.Estimator(...)

Import this before TensorFlow: ``tf.keras`` is routed when TensorFlow is imported.
What works on TF 2.16+ and what fails with a clear error: docs/tf-modern.md.
"""

import os
import sys
import threading

from legacy_compat import tfversion

DOCS = "docs/tf-modern.md"
ESTIMATOR_RELEASE = "2.15.0"
LEGACY_KERAS_VARIABLE = "TF_USE_LEGACY_KERAS"
_TRUE = ("1", "true", "True")

_state = {"installed": None}  # None: not tried; True: revived; False: not needed
_lock = threading.RLock()


class EstimatorUnavailable(ImportError):
    """The running TF has no tf.estimator and the pieces to revive it are not installed."""


def install_command(tf_version=None):
    """The pip command that adds what reviving tf.estimator needs next to this TensorFlow."""
    keras = "tf-keras"
    if tf_version is not None:
        keras = "tf-keras~={0}.{1}.0".format(tf_version.major, tf_version.minor)
    # tf-keras depends on the `tensorflow` wheel; --no-deps keeps a tensorflow-cpu install
    # from getting a second, full TensorFlow on top of it.
    return ('pip install "tensorflow-estimator=={0}" "protobuf<7" && '
            'pip install --no-deps "{1}"').format(ESTIMATOR_RELEASE, keras)


def _missing_pieces():
    import importlib.util
    missing = []
    for module, distribution in (("tensorflow_estimator", "tensorflow-estimator"),
                                 ("tf_keras", "tf-keras")):
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # ValueError: a None entry in sys.modules
            found = False
        if not found:
            missing.append(distribution)
    return missing


def _route_keras_to_tf_keras():
    current = os.environ.get(LEGACY_KERAS_VARIABLE)
    if current is not None and current not in _TRUE:
        import warnings
        warnings.warn(
            "legacy_compat.estimator: {0}={1!r} overridden with 1: Estimator's "
            "model_to_estimator needs the Keras 2 package tf_keras".format(
                LEGACY_KERAS_VARIABLE, current), RuntimeWarning)
    os.environ[LEGACY_KERAS_VARIABLE] = "1"


def _module_exists(name):
    import importlib
    try:
        importlib.import_module(name)
        return True
    except ImportError:
        return False


def _register_api_name(tf_export):
    if getattr(tf_export, "ESTIMATOR_API_NAME", None):
        return
    tf_export.ESTIMATOR_API_NAME = "estimator"
    attributes = getattr(tf_export, "_Attributes", None)
    if attributes is None:
        raise EstimatorUnavailable(
            "legacy_compat.estimator: this TensorFlow's tensorflow.python.util.tf_export has no "
            "_Attributes record, so the estimator API name cannot be registered; TensorFlow "
            "2.16.2 ... 2.21.0 are the releases tested (see {0})".format(DOCS))
    tf_export.API_ATTRS["estimator"] = attributes(
        "_estimator_api_names", "_estimator_api_constants")
    tf_export.API_ATTRS_V1["estimator"] = attributes(
        "_estimator_api_names_v1", "_estimator_api_constants_v1")


def _provide_internals():
    from legacy_compat.tfapi import standins, training
    import tensorflow.python.distribute as distribute_package
    from tensorflow.python.util import tf_export

    name = "tensorflow.python.distribute.estimator_training"
    if not _module_exists(name):
        sys.modules[name] = training
        distribute_package.estimator_training = training
    _register_api_name(tf_export)
    standins.install(_module_exists)


def _check_keras(tf):
    keras = getattr(tf, "__dict__", {}).get("keras")
    if keras is not None and getattr(keras, "_tfll_initialized", False) and \
            getattr(keras, "_tfll_keras_version", None) != "tf_keras":
        import warnings
        warnings.warn(
            "legacy_compat.estimator: tf.keras was already resolved to Keras 3 before the "
            "estimator was revived; tf.keras.estimator.model_to_estimator needs tf_keras. "
            "Import legacy_compat.estimator before TensorFlow (or set {0}=1)".format(
                LEGACY_KERAS_VARIABLE), RuntimeWarning)


def _attach(tf):
    from tensorflow_estimator.python.estimator.api._v1 import estimator as v1_api
    from tensorflow_estimator.python.estimator.api._v2 import estimator as v2_api
    # Every spelling TF <= 2.15 had, tf.compat.v1.compat.v1 included (the TF 1.x view
    # resolves ``tf.compat.v1`` from inside tf.compat.v1).
    for path, api in (((), v2_api), (("compat", "v2"), v2_api), (("compat", "v1"), v1_api),
                      (("compat", "v1", "compat", "v1"), v1_api),
                      (("compat", "v1", "compat", "v2"), v2_api),
                      (("compat", "v2", "compat", "v1"), v1_api),
                      (("compat", "v2", "compat", "v2"), v2_api)):
        module = tf
        for name in path:
            module = getattr(module, name, None)
        if module is not None:
            module.estimator = api


def install():
    """Make tf.estimator work on this TensorFlow; True if revived, False if TF has its own.

    Idempotent. Raises EstimatorUnavailable, with the pip command, when TF lacks
    tf.estimator and tensorflow-estimator 2.15.0 or tf-keras is not installed.
    """
    with _lock:
        if _state["installed"] is None:
            _state["installed"] = _install()
        return _state["installed"]


def _install():
    if sys.version_info < (3, 9):
        return False  # TF 2.16, the first without tf.estimator, needs Python 3.9+
    version = None
    if "tensorflow" not in sys.modules:
        version = tfversion.installed()
    if version is None:  # already imported, or no package metadata: ask TensorFlow itself
        import tensorflow as tf
        version = tfversion.parse(tf.__version__)
    if not tfversion.lacks_estimator(version):
        return False
    missing = _missing_pieces()
    if missing:
        raise EstimatorUnavailable(
            "TensorFlow {0} has no tf.estimator (removed in TF 2.16). legacy-compat revives "
            "it from tensorflow-estimator {1} and tf-keras; not installed: {2}. Install them "
            "with:\n    {3}\n(or pip install \"legacy-compat[tf-modern]\"; see {4})".format(
                version, ESTIMATOR_RELEASE, ", ".join(missing),
                install_command(version), DOCS))
    # Before TensorFlow is imported where possible: it reads the variable at import time for
    # `import tensorflow.keras...`, and tf.keras resolves lazily on first use.
    _route_keras_to_tf_keras()
    import tensorflow as tf
    _check_keras(tf)
    _provide_internals()
    import tensorflow_estimator  # noqa: F401
    _attach(tf)
    return True


def is_installed():
    return bool(_state["installed"])

