"""The Keras target's lines wrapped at 100 columns (legacy_compat/convert/keras/wrap.py):
before -> after, and the goldens."""
import os

import pytest

from legacy_compat.convert.keras.wrap import WIDTH, wrap_long_lines
from tests.convert.keras import golden


@pytest.mark.parametrize("before, after", [
    # a call's arguments after a comma, aligned with the bracket
    ("    net = keras.layers.Concatenate()([inputs['age'], age_bucketized, occupation_indicator, "
     "occupation_embedding, rooms_indicator])\n",
     "    net = keras.layers.Concatenate()([inputs['age'], age_bucketized, occupation_indicator,\n"
     "                                      occupation_embedding, rooms_indicator])\n"),
    # aligned arguments would leave the call going on after its bracket: hang instead
    ("    return tf.data.Dataset.from_tensor_slices(({INPUT_TENSOR_NAME: features}, labels))"
     ".shuffle(1000).repeat().batch(16)\n",
     "    return tf.data.Dataset.from_tensor_slices(\n"
     "        ({INPUT_TENSOR_NAME: features}, labels)).shuffle(1000).repeat().batch(16)\n"),
    # too little room after the bracket: hang, four columns in from the line
    ("                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True, "
     "reduction=\"sum\"),\n",
     "                  loss=keras.losses.SparseCategoricalCrossentropy(\n"
     "                      from_logits=True, reduction=\"sum\"),\n"),
    # the next lines align with compile's bracket: so does the hanging part
    ("    model.compile(optimizer=keras.optimizers.SGD(learning_rate=hyperparameters.get("
     "'learning_rate', 0.05)),\n                  loss='mse')\n",
     "    model.compile(optimizer=keras.optimizers.SGD(\n"
     "                      learning_rate=hyperparameters.get('learning_rate', 0.05)),\n"
     "                  loss='mse')\n"),
    # a line inside a bracket of the line before breaks after its own commas
    ("    load(\n        filename=os.path.join(training_dir, training_filename), "
     "target_dtype=int, features_dtype=np.float32)\n",
     "    load(\n        filename=os.path.join(training_dir, training_filename), "
     "target_dtype=int,\n        features_dtype=np.float32)\n"),
    # never inside a subscript, a string or a comment
    ("x = f(data['a, b', 'c'], \"%s\" % ('y, ' * 30), other_value_with_a_long_name)  "
     "# a comment, which is long, stays\n",
     "x = f(data['a, b', 'c'], \"%s\" % ('y, ' * 30),\n"
     "      other_value_with_a_long_name)  # a comment, which is long, stays\n"),
])
def test_long_lines_break_inside_their_brackets(before, after):
    assert wrap_long_lines(before) == after
    if not after.lstrip().startswith("loss="):  # a call's continuation alone is not Python
        compile("def f():\n" + after if after.startswith(" ") else after, "after.py", "exec")


@pytest.mark.parametrize("text", [
    "x = f('%s')\n" % ("a" * 120),                     # nowhere to break that would help
    "# %s\n" % ("a, " * 40),                           # a comment
    'DOC = """%s\n%s"""\n' % ("a, (b) " * 20, "c, " * 40),  # inside a string
    "DATA = [%s]\n" % ", ".join(["1.5"] * 400),        # data written out
])
def test_lines_that_cannot_break_well_are_left_as_they_are(text):
    assert wrap_long_lines(text) == text


def test_the_users_own_lines_are_kept():
    line = "    call(%s)\n" % ", ".join(["argument"] * 12)
    assert wrap_long_lines(line, keep=[line.rstrip("\n")]) == line
    assert wrap_long_lines(line) != line


@pytest.mark.parametrize("name", sorted(golden.SOURCES))
def test_golden_lines_fit_unless_the_user_wrote_them(name):
    with open(os.path.join(golden.ROOT, golden.SOURCES[name]), encoding="utf-8") as handle:
        original = set(handle.read().splitlines())
    with open(os.path.join(golden.GOLDEN, name), encoding="utf-8") as handle:
        long = [line for line in handle.read().splitlines()
                if len(line) > WIDTH and line not in original]
    assert not long, long
