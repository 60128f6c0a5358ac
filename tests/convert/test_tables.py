"""The hand-written tables point at names that exist in the installed TensorFlow (2.15 in the
default suite; on TF 2.16+ with the revived estimator, as scripts converted for it run)."""
import json
import subprocess
import sys

from legacy_compat.tables import contrib, private_imports, tf_renames

RESOLVE = r'''
import json, sys
import legacy_compat.estimator  # what a script converted for TF 2.16+ imports first
import tensorflow as tf
missing = []
for name in json.loads(sys.stdin.read()):
    obj = tf
    try:
        for part in name.split(".")[1:]:
            obj = getattr(obj, part)
    except AttributeError:
        missing.append(name)
print(json.dumps(missing))
'''


def test_table_targets_exist_in_the_installed_tensorflow():
    targets = sorted({v for v in contrib.REPLACEMENTS.values() if isinstance(v, str)}
                     | set(private_imports.PUBLIC_NAMES.values())
                     | set(tf_renames.MODULE_RENAMES.values()))
    result = subprocess.run([sys.executable, "-c", RESOLVE], input=json.dumps(targets),
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr[-2000:]
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def test_generated_table_is_pinned():
    assert tf_renames.TF_VERSION == "2.15.1"
    assert tf_renames.SYMBOL_RENAMES["tf.layers.dense"] == "tf.compat.v1.layers.dense"
    assert not any(key.startswith("tf.compat.") for key in tf_renames.SYMBOL_RENAMES)
