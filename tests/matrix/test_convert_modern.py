"""`legacy-compat convert --target tfX.Y` for TF 2.16+: the converted fixtures train, export
and serve on the cell's TensorFlow with nothing of legacy-compat importable except
``legacy_compat.estimator`` (which the converted script imports first).

Python 2.7 syntax (the py2.7 cells collect this file); it runs on TF 2.16+ only, where the
default suite (TF 2.15) cannot check it.
"""
import json
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HYPERPARAMETERS = {"training_steps": 20, "evaluation_steps": 3, "learning_rate": 0.1}
FIXTURES = ["estimator_fn_dataset", "iris_model_fn", "keras_model_fn", "source_dir"]


@pytest.fixture(scope="module")
def convert_tests(tf_version):
    if tf_version < (2, 16):
        pytest.skip("targets with tf.estimator are run by tests/convert (default suite)")
    if ROOT not in sys.path:
        sys.path.insert(0, ROOT)
    from tests.convert import conftest
    return conftest


@pytest.mark.parametrize("name", FIXTURES)
def test_converted_fixture_runs_on_modern_tf(convert_tests, tf, name, tmpdir):
    from legacy_compat.convert import entry_point
    from legacy_compat.convert.cli import EXIT_OK

    tmp_path = __import__("pathlib").Path(str(tmpdir))
    target = convert_tests.installed_target()
    source = convert_tests.SCRIPT_FIXTURES[name]
    if name == "source_dir":
        argv, script = [os.path.dirname(source)], tmp_path / "converted" / "train.py"
        argv += ["-o", str(script.parent)]
    else:
        script = tmp_path / "converted" / "train.py"
        argv = [source, "-o", str(script)]
    assert convert_tests.convert_main(argv + ["--target", "tf" + target]) == EXIT_OK
    text = script.read_text()
    assert text.index(entry_point.REVIVAL_MARKER) < text.index("import tensorflow")
    for path in script.parent.glob("*.py"):
        assert not convert_tests.legacy_compat_imports(path, target), path

    data = convert_tests.write_iris_data(str(tmp_path / "data" / "training"))
    result, model_dir, output_dir = convert_tests.run_script_mode(
        script, data, tmp_path, HYPERPARAMETERS, target=target)
    assert result.returncode == 0, result.stderr[-4000:]
    exports = list((model_dir / "export" / "Servo").iterdir())
    assert len(exports) == 1 and re.match(r"\d+$", exports[0].name), exports
    metrics = json.loads((output_dir / "eval_metrics.json").read_text())
    assert metrics["global_step"] == 20 and "loss" in metrics
    outputs = convert_tests.load_and_predict(exports[0], tmp_path)
    assert all(shape[0] == 2 for shape in outputs.values()), outputs
