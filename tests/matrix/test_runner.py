"""``legacy-compat train`` on this cell's TensorFlow: the examples and the schedule.

Python 2.7 compatible: on Python 2.7 the scripts run natively, on 3.x the Python 2
test script is translated in memory.
"""
import json
import os
import re
import sys

import pytest

import subprocs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
EXAMPLES = os.path.join(ROOT, "examples")
SCRIPTS = os.path.join(ROOT, "tests", "fixtures", "scripts")
DATA = os.path.join(EXAMPLES, "abalone", "data")
FAST = {"training_steps": 30, "evaluation_steps": 2, "log_step_count_steps": 10}


def train(script, channel, tmpdir, **hyperparameters):
    params = dict(FAST)
    params.update(hyperparameters)
    job = str(tmpdir.join("job"))
    args = [sys.executable, "-m", "legacy_compat", "train", script, "--channel", channel,
            "--job-dir", job, "--hyperparameters", json.dumps(params)]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    code, output = subprocs.run(args, "legacy-compat train %s" % os.path.basename(script), env=env)
    exports = os.path.join(job, "model", "export", "Servo")
    return code, output, sorted(os.listdir(exports)) if os.path.isdir(exports) else []


EXAMPLE_RUNS = [
    ("abalone", "abalone.py", {"learning_rate": 0.001}),
    ("iris_estimator", "iris_dnn.py", {}),
    ("keras_regressor", "keras_regressor.py", {}),
]


@pytest.mark.parametrize("folder, name, params", EXAMPLE_RUNS, ids=[r[0] for r in EXAMPLE_RUNS])
def test_example_trains_and_exports(folder, name, params, tmpdir):
    code, output, exports = train(os.path.join(EXAMPLES, folder, name),
                                  os.path.join(EXAMPLES, folder, "data"), tmpdir, **params)
    assert code == 0, output[-4000:]
    assert exports and all(e.isdigit() for e in exports), output[-2000:]


def test_python2_script(tmpdir):
    code, output, exports = train(os.path.join(SCRIPTS, "py2_syntax.py"), DATA, tmpdir,
                                  learning_rate=0.01)
    assert code == 0, output[-4000:]
    assert "learning rate is 0.01" in output
    assert ("translated it in memory" in output) == (sys.version_info[0] == 3)


def test_functions_returning_callables(tmpdir):
    code, output, exports = train(os.path.join(SCRIPTS, "returns_callables.py"), DATA, tmpdir)
    assert code == 0, output[-4000:]
    assert len(exports) == 1


def test_min_eval_frequency_evaluates_every_n_global_steps(tmpdir):
    code, output, exports = train(os.path.join(SCRIPTS, "returns_callables.py"), DATA, tmpdir,
                                  min_eval_frequency=10)
    assert code == 0, output[-4000:]
    assert re.findall(r"Saving dict for global step (\d+)", output) == ["10", "20", "30"]
