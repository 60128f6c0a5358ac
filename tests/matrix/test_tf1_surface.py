"""The TF 1.x surface on this cell: the gaps real scripts hit, and (TF 2.x) its coverage.

Each script in SURFACE_RUNS uses names or signatures of one TF 1.x era (see
legacy_compat/patch/api_bridges.py, legacy_compat/tfview/keras_homes.py) and must train and
export under ``legacy-compat train`` on every release.  On TF 2.x cells the coverage of the
recorded surface (legacy_compat/tfview/surface/) is measured in a fresh interpreter.
Python 2.7 compatible.
"""
import json
import os
import random
import re
import subprocess
import sys

import pytest

from test_runner import DATA, SCRIPTS, train


def _vocabulary_channel(tmpdir):
    channel = tmpdir.mkdir("vocabulary")
    channel.join("colors.txt").write("red\ngreen\nblue\n")
    rng = random.Random(0)
    rows = []
    for _ in range(40):
        color, x = rng.choice(["red", "green", "blue"]), rng.random()
        rows.append("%s,%.3f,%.3f" % (color, x, {"red": 1, "green": 2, "blue": 3}[color] + x))
    channel.join("data.csv").write("\n".join(rows) + "\n")
    return str(channel)


SURFACE_RUNS = [
    ("keras_old_homes.py", None, "TF 1.0-1.3 and 1.4-1.8 Keras homes"),
    ("contrib_data.py", None, "tf.contrib.data readers, map(num_threads=), map_and_batch"),
    ("keras_tf1_optimizer.py", None, "Keras model compiled with a tf.train optimizer"),
    ("keras_float64.py", None, "float64 numpy inputs for a float32 Keras model"),
    ("vocabulary_file.py", _vocabulary_channel, "vocabulary file without vocabulary_size"),
    ("map_and_batch_import.py", None, "from tensorflow.contrib.data import map_and_batch"),
    ("generator_vocabulary.py", _vocabulary_channel, "feature columns on features of unknown rank"),
    ("keras_int_labels.py", None, "int64 labels for a float Keras model"),
    ("keras_sequential_input_layer.py", None, "Sequential starting with an explicit InputLayer"),
]


@pytest.mark.parametrize("name, channel, what", SURFACE_RUNS, ids=[r[0][:-3] for r in SURFACE_RUNS])
def test_script_of_another_tf1_release_trains_and_exports(name, channel, what, tmpdir):
    code, output, exports = train(os.path.join(SCRIPTS, name),
                                  channel(tmpdir) if channel else DATA, tmpdir)
    assert code == 0, "%s: %s" % (what, output[-4000:])
    assert len(exports) == 1, output[-2000:]


def test_data_running_out_stops_evaluates_and_exports_once(tmpdir):
    code, output, exports = train(os.path.join(SCRIPTS, "data_runs_out.py"), DATA, tmpdir,
                                  training_steps=200)
    assert code == 0, output[-4000:]
    assert "train_input_fn ran out of data at global step 2, before training_steps=200" in output
    assert len(exports) == 1
    evaluations = re.findall(r"Saving dict for global step (\d+)", output)
    assert evaluations == ["2"], output[-3000:]


MEASURE = (
    "import json, sys\n"
    "from legacy_compat.tfview import coverage\n"
    "print(json.dumps(coverage.measure()))\n"
)


BUILT_FOR_LACK = (
    "import json, sys\n"
    "from legacy_compat import tfapi\n"
    "from legacy_compat.tfview.view import Resolver, UnsupportedTF1Attribute\n"
    "tfapi.tensorflow(); tfapi.enter_graph_mode(); resolver = Resolver(); found = []\n"
    "for path in json.loads(sys.stdin.read()):\n"
    "    kind, key = resolver._rule_for(path)\n"
    "    if kind != 'alias' or resolver._moved_keras_module(path) is None: continue\n"
    "    try: resolver._alias_target(path, key)\n"
    "    except UnsupportedTF1Attribute: found.append(path)\n"
    "print(json.dumps(found))\n"
)


def _built_for_lack_of_a_real_module(paths):
    """Those of ``paths`` that are moved Keras-home modules with no real module on this release."""
    if not paths:
        return []
    proc = subprocess.Popen([sys.executable, "-c", BUILT_FOR_LACK], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    out, err = proc.communicate(json.dumps(paths).encode("utf-8"))
    assert proc.returncode == 0, err.decode("utf-8", "replace")[-3000:]
    return sorted(json.loads(out.decode("utf-8").strip().splitlines()[-1]))


@pytest.fixture(scope="module")
def measured():
    import tensorflow as tf
    if tf.__version__.startswith("1."):
        pytest.skip("the coverage of the TF 1.x surface is measured on TF 2.x")
    proc = subprocess.Popen([sys.executable, "-c", MEASURE], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
    out, err = proc.communicate()
    assert proc.returncode == 0, err.decode("utf-8", "replace")[-3000:]
    return json.loads(out.decode("utf-8").strip().splitlines()[-1])


def test_surface_coverage_on_this_tf2(measured):
    from legacy_compat.tfview import coverage
    recorded = coverage.load()
    if measured["tf"] == recorded["tf"]:
        assert measured == recorded, "coverage.json is stale (python -m legacy_compat.tfview.coverage)"
    assert sorted(measured["groups"]) == sorted(recorded["groups"])
    # Our stand-ins are ours on every TF 2.x. Beyond them, a release's view builds its own module
    # only for an old Keras home whose real module this release's Keras lacks (TF 2.12.1's Keras
    # has no v1 ``layers.core``, ``utils.np_utils``..., which 2.15.1's has).
    ours = lambda data: set(p for p, s in coverage.expand(data["view"]).items() if s == "ours")
    assert ours(recorded) <= ours(measured)
    extra = sorted(ours(measured) - ours(recorded))
    assert _built_for_lack_of_a_real_module(extra) == extra
    # Whatever the converter provides, the view provides too (it falls back to its renames).
    view = coverage.expand(measured["view"])
    convert = coverage.converter_statuses(measured)
    gaps = sorted(p for p, s in convert.items() if s in coverage.PROVIDED_STATUSES
                  and view.get(p, "tf") not in coverage.PROVIDED_STATUSES)
    assert gaps == []
