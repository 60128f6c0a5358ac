"""The adapter layer as patches on TensorFlow, for scripts run by any trainer.

Inside an old SageMaker container (or any other runner), add at the top of the
legacy script::

    import legacy_compat.patch          # activates on import

``activate()`` is idempotent; ``deactivate()`` restores every patched attribute.
Patches are installed through wrapt post-import hooks, so it does not matter
whether TensorFlow is imported before or after this module. ``legacy-compat
train`` activates the same layer on every TF version.
"""

import logging
import threading

import wrapt

from legacy_compat import tfapi
from legacy_compat.patch import api_bridges, estimator_fixes, metric_fixes, registry

# module imported -> the rules patched onto it (tfapi knows where Estimator lives).
HOOKS = (("tensorflow", metric_fixes.patch_tensorflow),) + tuple(
    (name, estimator_fixes.patch_estimator_module) for name in tfapi.ESTIMATOR_MODULES) + (
    # Names and signatures that moved between TF 1.x releases (api_bridges' docstring).
    ("tensorflow.python.data.ops.dataset_ops", api_bridges.patch_dataset_module),
    ("tensorflow.contrib.data", api_bridges.patch_contrib_data),
    ("tensorflow", api_bridges.patch_tensorflow),
    ("tensorflow.python.keras._impl.keras.estimator", api_bridges.patch_keras_estimator_module),
    ("tensorflow.python.estimator.keras", api_bridges.patch_keras_estimator_module),
    ("tensorflow.python.keras._impl.keras.models", api_bridges.patch_keras_models_module),
    ("tensorflow.python.keras.models", api_bridges.patch_keras_models_module),
    ("tensorflow.python.feature_column.feature_column", api_bridges.patch_feature_column_module),
)

_lock = threading.RLock()
_state = {"active": False, "hooks_registered": False}


def _hook(patcher):
    def on_import(module):
        # A hook must never raise: that would break the user's `import tensorflow`.
        with _lock:
            if not _state["active"]:
                return
        try:
            patcher(module)
        except Exception:  # pragma: no cover - defensive, logged for the user
            logging.getLogger("legacy_compat").exception(
                "legacy-compat could not patch %s; continuing without its adapters",
                module.__name__)

    return on_import


def _ensure_log_handler():
    """Make the adapters' warnings visible when the host program configured no logging.

    Python 2 would otherwise print "No handlers could be found" and drop them.
    """
    logger = logging.getLogger("legacy_compat")
    if not logger.handlers and not logging.getLogger().handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s - %(name)s - %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)


def activate():
    """Install the adapters now or when TensorFlow's estimator module is imported."""
    _ensure_log_handler()
    with _lock:
        _state["active"] = True
        register = not _state["hooks_registered"]
        _state["hooks_registered"] = True
    import sys
    for name, patcher in HOOKS:
        if register:
            wrapt.register_post_import_hook(_hook(patcher), name)
        elif name in sys.modules:
            _hook(patcher)(sys.modules[name])


def deactivate():
    """Restore every attribute the adapters patched; later imports stay unpatched."""
    with _lock:
        _state["active"] = False
    registry.undo_all()


def is_active():
    return _state["active"]


activate()
