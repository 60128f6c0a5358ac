"""Our tf.contrib stand-ins against the real TF 1.x on fixed inputs and seeds.

The reference outputs were recorded by tests/matrix/probes/standin_scenarios.py in the
TF 1.10.1 matrix cell (and 1.4.1, for what 1.10.1 no longer had: the tf.contrib.data
readers and map(num_threads=)); regenerate them with the command in that file.  Here the
same scenarios run through the TF 1.x view with the adapter layer active, as under
``legacy-compat train``, in a fresh interpreter.

Tolerance: float values within 1e-5 relative (1e-6 absolute), i.e. float32 rounding of
the same computation; shapes, dtypes, variable names and collections must be equal.
"""
import json
import math
import os
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REFERENCES = os.path.join(REPO, "tests", "fixtures", "tf1_reference")
RELATIVE, ABSOLUTE = 1e-5, 1e-6

RUN_OURS = r'''
import json, sys, types
sys.path.insert(0, sys.argv[1])
import legacy_compat.patch  # the adapter layer, active as under legacy-compat train
from legacy_compat import userscript
user = types.ModuleType("user_script")
userscript.execute(userscript.SourceFile("user_script.py", "import tensorflow as tf", None),
                   user, userscript.user_import())
import standin_scenarios
print(json.dumps(standin_scenarios.run_all(user.tf, sys.argv[2])))
'''


def _reference(release):
    with open(os.path.join(REFERENCES, "tf%s.json" % release)) as handle:
        data = json.load(handle)
    assert data["tf"] == release
    return data["scenarios"]


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    proc = subprocess.run(
        [sys.executable, "-c", RUN_OURS, os.path.join(REPO, "tests", "matrix", "probes"),
         str(tmp_path_factory.mktemp("scenarios"))],
        capture_output=True, text=True, timeout=600, cwd=REPO,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=REPO))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


def close(ours, reference, where="result"):
    """Assert equal structure, equal non-floats and floats within the tolerance."""
    if isinstance(reference, float) or isinstance(ours, float):
        assert isinstance(ours, (int, float)) and isinstance(reference, (int, float)), where
        assert math.isclose(ours, reference, rel_tol=RELATIVE, abs_tol=ABSOLUTE), \
            "%s: ours %r, TF 1.x %r" % (where, ours, reference)
    elif isinstance(reference, dict):
        assert isinstance(ours, dict) and sorted(ours) == sorted(reference), \
            "%s: ours %r, TF 1.x %r" % (where, ours, reference)
        for key in reference:
            close(ours[key], reference[key], where + "." + key)
    elif isinstance(reference, list):
        assert isinstance(ours, list) and len(ours) == len(reference), \
            "%s: ours %r, TF 1.x %r" % (where, ours, reference)
        for index, (a, b) in enumerate(zip(ours, reference)):
            close(a, b, "%s[%d]" % (where, index))
    else:
        assert ours == reference, "%s: ours %r, TF 1.x %r" % (where, ours, reference)


NEWEST, OLDEST = _reference("1.10.1"), _reference("1.4.1")


@pytest.mark.parametrize("name", sorted(NEWEST))
def test_stand_in_reproduces_real_tf1(ours, name):
    reference = NEWEST[name] if "error" not in NEWEST[name] else OLDEST[name]
    assert "error" not in reference, "no recorded release ran %s" % name
    assert "error" not in ours[name], ours[name]["error"]
    close(ours[name], reference, name)


def test_the_comparison_can_fail():
    with pytest.raises(AssertionError):
        close({"w": [1.0, 2.0]}, {"w": [1.0, 2.001]})
    with pytest.raises(AssertionError):
        close({"variables": ["a"]}, {"variables": ["b"]})


RUN_CONVERTED_HELPERS = r'''
import json, sys, types
sys.path.insert(0, sys.argv[1])
import tensorflow as tf
tf.compat.v1.disable_v2_behavior()
from legacy_compat.convert import helpers
names = {"__name__": helpers.SUPPORT_MODULE}
exec(helpers.support_module(), names)  # what a converted script imports its stand-ins from


class ConvertedTF(object):
    """tf.compat.v1, with tf.contrib names resolved to the converted script's stand-ins."""
    contrib = types.SimpleNamespace(
        layers=types.SimpleNamespace(**{n: names[n] for n in (
            "optimize_loss", "xavier_initializer", "l2_regularizer", "l1_regularizer")}),
        framework=types.SimpleNamespace(local_variable=names["local_variable"]),
        learn=types.SimpleNamespace(datasets=types.SimpleNamespace(base=types.SimpleNamespace(
            load_csv_with_header=names["load_csv_with_header"],
            load_csv_without_header=names["load_csv_without_header"]))))

    def __getattr__(self, name):
        return getattr(tf.compat.v1, name)


import standin_scenarios
print(json.dumps(standin_scenarios.run_all(ConvertedTF(), sys.argv[2])))
'''

# The stand-ins a converted script carries (the support module) that keep TF 1.x's numbers.
CONVERTED_HELPER_SCENARIOS = (
    "xavier_uniform", "xavier_normal", "l1_regularizer", "l2_regularizer",
    "local_variable", "load_csv_with_header", "optimize_loss_sgd", "optimize_loss_adam_clipped",
    "optimize_loss_optimizer_instance",
)


@pytest.fixture(scope="module")
def converted(tmp_path_factory):
    proc = subprocess.run(
        [sys.executable, "-c", RUN_CONVERTED_HELPERS,
         os.path.join(REPO, "tests", "matrix", "probes"), str(tmp_path_factory.mktemp("helpers"))],
        capture_output=True, text=True, timeout=600, cwd=REPO,
        env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3", PYTHONPATH=REPO))
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", CONVERTED_HELPER_SCENARIOS)
def test_converter_helper_reproduces_real_tf1(converted, name):
    assert "error" not in converted[name], converted[name]["error"]
    close(converted[name], NEWEST[name], name)
