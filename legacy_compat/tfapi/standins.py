"""Import-only stand-ins for TensorFlow modules tensorflow-estimator 2.15 imports but TF 2.16 lost.

The TPU estimator's embedding support imports TF's TPU-embedding v1 modules at import time,
so ``import tensorflow_estimator`` fails without them even for code that never touches a
TPU. Each stand-in is an empty module: any attribute read raises ``UnsupportedTPUFeature``
(an AttributeError), so TPU embedding fails loudly the moment it is used. ``from m import
Name`` at import time is the one use that must succeed, so the names the estimator imports
that way exist as placeholders that raise when called or instantiated.
"""

import sys
import types

DOCS = "docs/tf-modern.md"


class UnsupportedTPUFeature(AttributeError):
    def __init__(self, name):
        message = (
            "{0} is not available: TensorFlow 2.16+ removed it, and the tf.estimator that "
            "legacy-compat revives there has only an import-time stand-in. TPU embedding "
            "with TPUEstimator needs TensorFlow 2.15 or earlier. See {1}.").format(name, DOCS)
        super(UnsupportedTPUFeature, self).__init__(message)


class _Placeholder(object):
    """A name imported with ``from module import Name``; unusable."""

    def __init__(self, qualified):
        self._qualified = qualified

    def __call__(self, *args, **kwargs):
        raise UnsupportedTPUFeature(self._qualified)

    def __getattr__(self, name):
        raise UnsupportedTPUFeature(self._qualified + "." + name)

    def __repr__(self):
        return "<legacy-compat stand-in for {0}>".format(self._qualified)


class StandInModule(types.ModuleType):
    def __init__(self, name, imported_names=()):
        types.ModuleType.__init__(self, name, "legacy-compat stand-in for " + name)
        self.__legacy_compat_standin__ = True
        for item in imported_names:
            setattr(self, item, _Placeholder(name + "." + item))

    def __getattr__(self, item):
        if item.startswith("__") and item.endswith("__"):
            raise AttributeError(item)
        raise UnsupportedTPUFeature(self.__name__ + "." + item)


# module -> names tensorflow-estimator 2.15 imports from it with ``from ... import``.
# Found by importing tensorflow_estimator on TF 2.16.2 ... 2.21.0.
MODULES = {
    "tensorflow.python.tpu.tpu_embedding": (
        "AdagradParameters", "AdamParameters", "FtrlParameters", "MomentumParameters",
        "ProximalAdagradParameters", "RMSPropParameters",
        "StochasticGradientDescentParameters",
    ),
    "tensorflow.python.tpu.tpu_embedding_gradient": (),
    "tensorflow.python.tpu.session_support": (),
}


def install(importable):
    """Put a stand-in in ``sys.modules`` for each module in MODULES that ``importable`` lacks.

    ``importable(name)`` says whether the running TF still has the real module. Returns
    the names of the stand-ins installed.
    """
    installed = []
    for name in sorted(MODULES):
        if name in sys.modules or importable(name):
            continue
        module = StandInModule(name, MODULES[name])
        sys.modules[name] = module
        parent_name, _, child = name.rpartition(".")
        parent = sys.modules.get(parent_name)
        if parent is not None:
            setattr(parent, child, module)
        installed.append(name)
    return installed
