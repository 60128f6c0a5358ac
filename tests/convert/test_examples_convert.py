"""The project's examples (the documented Legacy Mode scripts) convert and run in Script Mode."""
import os
import re

import pytest

from legacy_compat.convert.cli import EXIT_OK, main
from tests.convert.conftest import convert_for_installed_tf, run_script_mode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLES = {
    "abalone": ("abalone.py", {"learning_rate": 0.001}),
    "iris_estimator": ("iris_dnn.py", {}),
    "keras_regressor": ("keras_regressor.py", {}),
}


@pytest.mark.parametrize("folder", sorted(EXAMPLES))
def test_example_converts_and_trains_in_script_mode(folder, tmp_path):
    name, params = EXAMPLES[folder]
    out = tmp_path / "converted" / name
    assert convert_for_installed_tf(
        [os.path.join(ROOT, "examples", folder, name), "-o", str(out)]) == EXIT_OK
    assert main([str(out), "--check"]) == EXIT_OK  # converting the output again changes nothing
    hyperparameters = dict(params, training_steps=20, evaluation_steps=2)
    result, model_dir, _ = run_script_mode(out, os.path.join(ROOT, "examples", folder, "data"),
                                           tmp_path, hyperparameters)
    assert result.returncode == 0, result.stderr[-4000:]
    exports = list((model_dir / "export" / "Servo").iterdir())
    assert len(exports) == 1 and re.fullmatch(r"\d+", exports[0].name), exports
