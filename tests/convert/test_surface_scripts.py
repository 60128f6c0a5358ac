"""The TF 1.x surface gaps closed for converted scripts: each example script of ours
(tests/fixtures/scripts/) converted with its helper module and run as a plain TF 2.15 Script Mode
entry point, without legacy-compat."""
import json
import os
import shutil

import numpy as np
import pytest

from legacy_compat.convert.cli import EXIT_OK
from tests.convert.conftest import convert_for_installed_tf, legacy_compat_imports, run_script_mode

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SCRIPTS = os.path.join(ROOT, "tests", "fixtures", "scripts")
ABALONE = os.path.join(ROOT, "examples", "abalone", "data")
HYPERPARAMETERS = {"training_steps": 20, "evaluation_steps": 2, "learning_rate": 0.01}


def _convert(tmp_path, name, *options):
    source = tmp_path / "src"
    source.mkdir()
    for script in (name, "tiny_model.py"):
        shutil.copy(os.path.join(SCRIPTS, script), str(source / script))
    out = tmp_path / "converted"
    assert convert_for_installed_tf([str(source), "-o", str(out)] + list(options)) == EXIT_OK
    for path in out.glob("*.py"):
        assert not legacy_compat_imports(path), "%s needs legacy-compat" % path
    return out / name


def _trained(result, output_dir):
    assert result.returncode == 0, result.stderr[-4000:]
    metrics = json.loads((output_dir / "eval_metrics.json").read_text())
    assert metrics["global_step"] == HYPERPARAMETERS["training_steps"], metrics
    return metrics


def test_old_keras_homes_convert_to_tf_keras(tmp_path):
    script = _convert(tmp_path, "keras_old_homes.py")
    code = "\n".join(line for line in script.read_text().splitlines()
                     if not line.lstrip().startswith("#"))
    assert "keras._impl" not in code and "contrib.keras.python" not in code
    assert "tf.keras.optimizers.legacy.RMSprop(lr=" in code
    _trained(*run_script_mode(script, ABALONE, tmp_path, HYPERPARAMETERS)[::2])


def test_contrib_data_and_legacy_map_arguments_convert(tmp_path):
    script = _convert(tmp_path, "contrib_data.py")
    text = script.read_text()
    assert ".map(_parse, num_parallel_calls=2).prefetch(16)" in text
    assert "tf.contrib" not in text.split("\n", 3)[-1]
    result, model_dir, output_dir = run_script_mode(script, ABALONE, tmp_path, HYPERPARAMETERS)
    _trained(result, output_dir)
    assert len(list((model_dir / "export" / "Servo").iterdir())) == 1


def _write_records(directory):
    import tensorflow as tf
    rng = np.random.RandomState(0)
    os.makedirs(directory)
    for part in ("part-0.tfrecord", "part-1.tfrecord"):
        with tf.io.TFRecordWriter(os.path.join(directory, part)) as writer:
            for _ in range(40):
                feature = {
                    "x": tf.train.Feature(float_list=tf.train.FloatList(
                        value=rng.uniform(0, 1, 7).tolist())),
                    "y": tf.train.Feature(float_list=tf.train.FloatList(
                        value=[float(rng.randint(3, 12))])),
                }
                writer.write(tf.train.Example(features=tf.train.Features(
                    feature=feature)).SerializeToString())
    return directory


@pytest.mark.parametrize("options", [[], ["--single-file"]], ids=["support module", "single file"])
def test_pipe_mode_falls_back_to_the_channel_files(tmp_path, options):
    script = _convert(tmp_path, "pipe_mode.py", *options)
    text = script.read_text()
    assert text.startswith("# Pipe mode (added by legacy-compat convert)")
    fallback = ("    return pipe_mode_dataset_from_files(*args, **kwargs)" if options else
                "    from legacy_mode import PipeModeDataset")
    assert "except ImportError:" in text and fallback in text
    assert (script.parent / "legacy_mode.py").exists() is not bool(options)
    channel = _write_records(str(tmp_path / "pipe"))
    result, model_dir, output_dir = run_script_mode(script, channel, tmp_path, HYPERPARAMETERS)
    _trained(result, output_dir)


def test_pipe_mode_fallback_names_a_missing_channel(tmp_path):
    script = _convert(tmp_path, "pipe_mode.py")
    result, _, _ = run_script_mode(script, str(tmp_path / "nowhere"), tmp_path, HYPERPARAMETERS)
    assert result.returncode != 0
    assert "PipeModeDataset: no data for channel 'training'" in result.stderr, result.stderr[-3000:]
