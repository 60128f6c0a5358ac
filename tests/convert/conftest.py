"""Shared fixtures for the converter tests."""
import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from legacy_compat.convert.cli import main as convert_main
from legacy_compat.convert.pipeline import convert_text
from legacy_compat.convert.registry import get_rule
from legacy_compat.convert.settings import Settings

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(os.path.dirname(HERE), "fixtures", "convert")
SCRIPT_FIXTURES = {
    "iris_model_fn": os.path.join(FIXTURES, "iris_model_fn", "train.py"),
    "estimator_fn_dataset": os.path.join(FIXTURES, "estimator_fn_dataset", "train.py"),
    "keras_model_fn": os.path.join(FIXTURES, "keras_model_fn", "train.py"),
    "source_dir": os.path.join(FIXTURES, "source_dir", "code", "train.py"),
}


def run_rule(name, source, path="train.py", target="2.15", single_file=False):
    """Run a single rule (plus nothing else) on dedented ``source``, converting for TF
    ``target`` (by default the last release with tf.estimator: no revival import)."""
    return convert_text(textwrap.dedent(source), path, rules=[get_rule(name)],
                        settings=Settings(target_tf=target, single_file=single_file))


def write_iris_data(directory, seed=0):
    """A small, deterministic, iris-shaped data set in every format the fixtures read."""
    rng = np.random.RandomState(seed)
    centers = np.array([[5.0, 3.4, 1.5, 0.2], [5.9, 2.8, 4.3, 1.3], [6.6, 3.0, 5.6, 2.0]])

    def sample(count):
        labels = np.arange(count) % 3
        features = centers[labels] + rng.normal(scale=0.3, size=(count, 4))
        return features.astype(np.float32), labels

    os.makedirs(directory, exist_ok=True)
    for name, count in (("iris_training", 120), ("iris_test", 30)):
        features, labels = sample(count)
        rows = ["%s,%d" % (",".join("%.2f" % v for v in row), label)
                for row, label in zip(features, labels)]
        with open(os.path.join(directory, name + ".csv"), "w") as out:
            out.write("%d,4,setosa,versicolor,virginica\n" % count + "\n".join(rows) + "\n")
        if name == "iris_test":
            with open(os.path.join(directory, "iris_test_noheader.csv"), "w") as out:
                out.write("\n".join(rows) + "\n")
        records = np.concatenate([features, labels[:, None].astype(np.float32)], axis=1)
        short = "train" if name == "iris_training" else "test"
        records.astype("<f4").tofile(os.path.join(directory, short + ".bin"))
    return directory


@pytest.fixture
def iris_data(tmp_path):
    return write_iris_data(str(tmp_path / "data" / "training"))


def installed_target():
    """The convert target matching the installed TensorFlow (``"2.15"``): converted scripts
    run on it, and the default target (the newest TF) would not fit TF 2.15."""
    from legacy_compat import tfapi
    release = tfapi.version()
    return "%d.%d" % (release.major, release.minor)


def convert_for_installed_tf(argv):
    """``legacy-compat convert ARGV --target tf<installed X.Y>``; its exit status."""
    return convert_main(list(argv) + ["--target", "tf" + installed_target()])


def legacy_compat_imports(path, target=None):
    """The lines of a converted file that import legacy_compat and should not: all of them,
    except ``import legacy_compat.estimator`` for a target without tf.estimator."""
    allowed = ()
    if Settings(target_tf=target or installed_target()).needs_revived_estimator:
        allowed = ("import legacy_compat.estimator  #",)
    with open(str(path)) as source:
        return [line for line in source if re.match(r"\s*(import|from)\s+legacy_compat", line)
                and not line.startswith(allowed)]


# Python 2.7-compatible: also the sitecustomize of the matrix cells (tests/matrix).
_ONLY_ESTIMATOR = """\
import sys


class _OnlyTheRevivedEstimator(object):
    # A converted script for TF 2.16+ may import legacy_compat.estimator, nothing else of it
    # but what the revival is made of: the door to TensorFlow it lives in (legacy_compat.tfapi,
    # which imports no other runtime module) and TF's release (legacy_compat.tfversion).
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] == "legacy_compat" and name != "legacy_compat" \\
                and not name.startswith(("legacy_compat.estimator", "legacy_compat.tfapi")) \\
                and name != "legacy_compat.tfversion":
            raise ImportError("%s is not importable in a Script Mode run" % name)
        return None

    find_module = find_spec


sys.meta_path.insert(0, _OnlyTheRevivedEstimator())
"""


def without_legacy_compat_env(tmp_path, extra=None, target=None):
    """Environment in which ``import legacy_compat`` fails (a plain Script Mode run).

    For a ``target`` without tf.estimator (TF 2.16+) only ``legacy_compat.estimator``
    imports, the one piece of legacy-compat a converted script may use there.
    """
    blocker = tmp_path / "no_legacy_compat"
    blocker.mkdir(exist_ok=True)
    if target and Settings(target_tf=target).needs_revived_estimator:
        (blocker / "sitecustomize.py").write_text(_ONLY_ESTIMATOR)
    else:
        (blocker / "sitecustomize.py").write_text(
            "import sys\nsys.modules['legacy_compat'] = None\n")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("SM_", "PYTHON", "TF_CONFIG", "TF_USE_LEGACY_KERAS"))}
    env.update({"PYTHONPATH": str(blocker), "TF_CPP_MIN_LOG_LEVEL": "2",
                "CUDA_VISIBLE_DEVICES": "", "PYTHONHASHSEED": "0"})
    env.update(extra or {})
    return env


def run_script_mode(script, channel_dir, tmp_path, hyperparameters, timeout=300, target=None):
    """Start ``script`` the way SageMaker starts a Script Mode entry point.

    ``target``: the TF X.Y it was converted for; default: the installed one."""
    model_dir = tmp_path / "opt_ml" / "model"
    output_dir = tmp_path / "opt_ml" / "output" / "data"
    cwd = tmp_path / "cwd"
    cwd.mkdir(exist_ok=True)
    env = without_legacy_compat_env(tmp_path, target=target or installed_target(), extra={
        "SM_MODEL_DIR": str(model_dir),
        "SM_OUTPUT_DATA_DIR": str(output_dir),
        "SM_CHANNELS": json.dumps(["training"]),
        "SM_CHANNEL_TRAINING": str(channel_dir),
        "SM_HPS": json.dumps(hyperparameters),
        "SM_HOSTS": json.dumps(["algo-1"]),
        "SM_CURRENT_HOST": "algo-1",
    })
    args = [sys.executable, str(script), "--model_dir", "s3://bucket/prefix"]
    for key in sorted(hyperparameters):
        args += ["--%s" % key, str(hyperparameters[key])]
    result = subprocess.run(args, cwd=str(cwd), env=env, capture_output=True, text=True,
                            timeout=timeout)
    return result, model_dir, output_dir


PREDICT_SCRIPT = r'''
import json, sys
import numpy as np
import tensorflow as tf
model = tf.saved_model.load(sys.argv[1])
signature = model.signatures["serving_default"]
_, inputs = signature.structured_input_signature
feed = {}
for name, spec in inputs.items():
    if spec.dtype == tf.string:
        examples = []
        for row in range(2):
            feature = {key: tf.train.Feature(float_list=tf.train.FloatList(value=[5.0 + row]))
                       for key in ["sepal_length", "sepal_width", "petal_length", "petal_width"]}
            examples.append(tf.train.Example(
                features=tf.train.Features(feature=feature)).SerializeToString())
        feed[name] = tf.constant(examples)
    else:
        feed[name] = tf.constant(np.full((2, 4), 5.0), dtype=spec.dtype)
outputs = signature(**feed)
print(json.dumps({key: value.shape.as_list() for key, value in outputs.items()}))
'''


def load_and_predict(export_dir, tmp_path):
    """Load the SavedModel in a fresh TF process without legacy-compat and predict."""
    result = subprocess.run([sys.executable, "-c", PREDICT_SCRIPT, str(export_dir)],
                            env=without_legacy_compat_env(tmp_path), capture_output=True,
                            text=True, timeout=180, cwd=str(tmp_path))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])
