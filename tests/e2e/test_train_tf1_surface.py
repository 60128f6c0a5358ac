"""Scripts of other TF 1.x eras through ``legacy-compat train`` on the installed TF 2.x.

The same scripts run in every TF 1.x matrix cell (tests/matrix/test_tf1_surface.py); the
converted versions run in tests/convert/test_surface_scripts.py.
"""

import random
import re

import pytest

from conftest import example, script

DATA = example("abalone", "data")


def vocabulary_channel(tmp_path):
    channel = tmp_path / "vocabulary"
    channel.mkdir()
    (channel / "colors.txt").write_text("red\ngreen\nblue\n")
    rng = random.Random(0)
    rows = []
    for _ in range(40):
        color, x = rng.choice(["red", "green", "blue"]), rng.random()
        rows.append("%s,%.3f,%.3f" % (color, x, {"red": 1, "green": 2, "blue": 3}[color] + x))
    (channel / "data.csv").write_text("\n".join(rows) + "\n")
    return str(channel)


@pytest.mark.parametrize("name, log", [
    ("keras_old_homes.py", None),
    ("contrib_data.py", "Dataset.map(num_threads=, output_buffer_size=) (TF 1.2-1.4): mapping "
                        "with num_parallel_calls=2, then prefetch(16)"),
    ("keras_float64.py", None),
    ("vocabulary_file.py", None),
    ("map_and_batch_import.py", None),
    ("generator_vocabulary.py", None),
    ("keras_int_labels.py", None),
    ("keras_sequential_input_layer.py", None),
])
def test_script_of_another_tf1_release_trains_and_exports(train, tmp_path, name, log):
    vocabulary = name in ("vocabulary_file.py", "generator_vocabulary.py")
    channel = vocabulary_channel(tmp_path) if vocabulary else DATA
    run = train(script(name), channels=[channel])
    assert run.returncode == 0, run.output[-4000:]
    assert len(run.exports()) == 1
    if log:
        assert log in run.output


def test_data_running_out_stops_evaluates_and_exports_once(train):
    run = train(script("data_runs_out.py"), channels=[DATA],
                hyperparameters={"training_steps": 200})
    assert run.returncode == 0, run.output[-4000:]
    assert ("train_input_fn ran out of data at global step 2, before training_steps=200"
            in run.output)
    assert re.findall(r"Saving dict for global step (\d+)", run.output) == ["2"]
    assert len(run.exports()) == 1
