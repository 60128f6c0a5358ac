"""The Keras target of ``legacy-compat convert`` (``--target keras``).

A Legacy Mode script becomes a Script Mode script on Keras 3 and ``tf.data`` only: its model
as a compiled Keras model, trained by ``model.fit`` on its input functions' datasets, exported
with the legacy serving signature. What cannot be translated faithfully sends the file to the
Estimator target, with an ERROR finding that says why (never silently different).

Modules: ``tables`` (what translates to what, as data), ``inputs`` (with ``queues``, the queue
readers) / ``models`` / ``serving`` / ``names`` (the translators), ``convert`` (one file),
``keras_job`` (the support module written beside the script, with legacy_compat/portable's
hyperparameter code copied in), ``docs`` (the tables rendered into docs/convert.md).
"""
from legacy_compat.convert.keras.convert import SIBLING, convert_keras  # noqa: F401
