"""``tf.estimator`` on TensorFlow 2.16+, which removed it; on 2.15 and earlier, nothing.

    import legacy_compat.estimator      # installs on import; then use TensorFlow as before
    import tensorflow as tf
    tf.estimator.Estimator(...)

Import this before TensorFlow: ``tf.keras`` is routed to ``tf_keras`` when TensorFlow is
imported. Converted scripts for the TF >= 2.16 targets start with this import. The revival
itself is part of the one door to TensorFlow, ``legacy_compat/tfapi/revival.py``; what works
on TF 2.16+ and what fails with a clear error: docs/tf-modern.md.
"""

from legacy_compat.tfapi.revival import (  # noqa: F401  (the public names of this module)
    ESTIMATOR_RELEASE, EstimatorUnavailable, install, install_command, is_installed)

install()
