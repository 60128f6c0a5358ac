"""The Keras target's last pass over TensorFlow names (legacy_compat/convert/keras/names.py):
the rename table's TF 2 names taken, tf.compat.v1-only names refused. Before -> after."""
import pytest

from legacy_compat.convert.keras.names import translate_names
from legacy_compat.convert.keras.source import NotTranslated

HEADER = "import tensorflow as tf\n\n"


@pytest.mark.parametrize("before, after", [
    # moved by TF 2, the same function (the pinned rename table)
    ("data = tf.read_file(path)", "data = tf.io.read_file(path)"),
    ("noise = tf.random_uniform([2], seed=1)", "noise = tf.random.uniform([2], seed=1)"),
    ("with tf.gfile.GFile(path) as handle:\n    pass",
     "with tf.io.gfile.GFile(path) as handle:\n    pass"),
    ("spec = {'x': tf.FixedLenFeature([4], tf.float32)}",
     "spec = {'x': tf.io.FixedLenFeature([4], tf.float32)}"),
    # ... also through another alias of TensorFlow
    ("data = tensorflow.read_file(path)", "data = tensorflow.io.read_file(path)"),
    # the Keras target's own choice beyond the table
    ("fields = tf.decode_csv(line, [[0.0]])", "fields = tf.io.decode_csv(line, [[0.0]])"),
    # TF 2 names and names TF 2 kept are left alone
    ("data = tf.io.read_file(path)", "data = tf.io.read_file(path)"),
    ("y = tf.reduce_sum(x, axis=1)", "y = tf.reduce_sum(x, axis=1)"),
])
def test_tf1_names_become_their_tf2_names(before, after):
    header = HEADER if "tensorflow." not in before else "import tensorflow\n\n"
    assert translate_names(header + before + "\n") == header + after + "\n"


@pytest.mark.parametrize("source, words", [
    ("y = tf.multinomial(logits, 2)", "tf.multinomial, which TF 2 has only as tf.compat.v1"),
    ("tf.gfile.MakeDirs(path)", "tf.gfile.MakeDirs, which TF 2 has only as tf.compat.v1"),
    ("y = tf.reduce_sum(x, keep_dims=True)", "tf.reduce_sum, which TF 2 has only"),
])
def test_names_tf2_has_only_as_compat_v1_are_refused(source, words):
    with pytest.raises(NotTranslated) as raised:
        translate_names(HEADER + source + "\n")
    assert words in raised.value.construct
