"""Each tf.contrib stand-in a converted script carries behaves as real TF 1.10.1 did.

The probe (tests/fixtures/contrib_probe/train.py) uses every stand-in; what its user
observes on real TF 1.10.1 is recorded in tests/fixtures/contrib_reference.json
(``python tests/contrib_drift.py record`` in the TF 1.10.1 cell, re-checked there by
tests/matrix/test_contrib_reference.py). Here, on the default suite's TensorFlow, the
probe runs under `legacy-compat train` and converted, as a Script Mode job without
legacy-compat, and both must observe exactly that.
"""
import json
import sys

import pytest

from legacy_compat.convert.cli import EXIT_OK
from tests import contrib_drift
from tests.convert.conftest import convert_for_installed_tf, run_script_mode

with open(contrib_drift.REFERENCE) as _handle:
    REFERENCE = json.load(_handle)


def _observe(record, model_dir):
    import tensorflow as tf
    return contrib_drift.observe(str(record), str(model_dir),
                                 tf.compat.v1.train.summary_iterator, tf.train.load_variable)


@pytest.mark.parametrize("case", sorted(contrib_drift.CASES))
def test_under_legacy_compat_train_as_on_tf_1_10(case, tmp_path):
    record, model_dir = contrib_drift.run_train(sys.executable, case, str(tmp_path))
    assert _observe(record, model_dir) == REFERENCE["cases"][case]


@pytest.mark.parametrize("case", sorted(contrib_drift.CASES))
def test_in_a_converted_script_as_on_tf_1_10(case, tmp_path):
    script = tmp_path / "converted" / "train.py"
    assert convert_for_installed_tf([contrib_drift.SCRIPT, "-o", str(script)]) == EXIT_OK
    assert "tf.contrib." not in script.read_text()
    channel = contrib_drift.write_channel(str(tmp_path / "data"))
    record = tmp_path / "record.jsonl"
    result, _, output_dir = run_script_mode(
        script, channel, tmp_path, contrib_drift.hyperparameters(case, str(record)))
    assert result.returncode == 0, result.stderr[-4000:]
    # --model_dir is an s3:// URI: the converted script checkpoints locally (docs/convert.md).
    assert _observe(record, output_dir / "checkpoints") == REFERENCE["cases"][case]
