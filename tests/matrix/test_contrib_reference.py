"""The recorded reference of tests/e2e/test_contrib_drift.py is still what real TF 1.10 does.

Python 2.7 syntax; runs in the TF 1.10 cells only (the reference's release): the probe
script trains under `legacy-compat train`, which on TF 1.x leaves tf.contrib the real one.
"""
import json
import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


@pytest.mark.parametrize("case", ["constant_rate", "decaying_rate"])
def test_real_tf_1_10_observes_the_recorded_reference(tf, tf_version, case, tmpdir):
    if tf_version[:2] != (1, 10):
        pytest.skip("the reference was recorded on TF 1.10.1")
    tests_dir = os.path.join(ROOT, "tests")
    if tests_dir not in sys.path:
        sys.path.insert(0, tests_dir)  # Python 2 has no namespace package `tests`
    import contrib_drift
    with open(contrib_drift.REFERENCE) as handle:
        reference = json.load(handle)
    record, model_dir = contrib_drift.run_train(sys.executable, case, str(tmpdir))
    seen = contrib_drift.observe(record, model_dir, tf.train.summary_iterator,
                                 tf.train.load_variable)
    assert seen == reference["cases"][case]
