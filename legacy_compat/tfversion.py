"""TensorFlow releases as versions, and the releases where something we rely on changed.

TensorFlow-free, so that the code which must run before TensorFlow is imported (reviving
tf.estimator, ``legacy_compat/tfapi/revival.py``) and the converter, which never imports it, share
one parser and one cut-off with :mod:`legacy_compat.tfapi`. Python 2.7 compatible.
"""

from packaging import version as _version

# The first TensorFlow without tf.estimator.
NO_ESTIMATOR_FROM = _version.parse("2.16")


def parse(text):
    """A TensorFlow release (``"2.15.1"``, ``"2.16.0-rc0"``) as a ``packaging`` Version."""
    return _version.parse(text.split("-")[0])


def lacks_estimator(release):
    """Whether TensorFlow ``release`` (a Version) ships without tf.estimator; a pre-release of
    2.16 counts as 2.16."""
    return _version.parse(release.base_version) >= NO_ESTIMATOR_FROM


def installed():
    """The installed TensorFlow's release from package metadata, without importing it; None
    when there is no metadata to read (Python < 3.8, or TensorFlow not installed)."""
    try:
        from importlib import metadata
    except ImportError:  # Python < 3.8: no importlib.metadata
        return None

    def found(names):
        for name in names:
            try:
                return parse(metadata.version(name))
            except Exception:  # PackageNotFoundError, or broken metadata
                continue
        return None

    # The usual distribution names first: one metadata look-up each (about 1 ms), where
    # packages_distributions() reads every installed package's file list (0.1-0.4 s).
    release = found(["tensorflow", "tensorflow-cpu", "tensorflow-gpu", "tensorflow-intel",
                     "tf-nightly"])
    mapping = getattr(metadata, "packages_distributions", None)
    if release is None and mapping is not None:
        release = found(mapping().get("tensorflow", ()))
    return release
