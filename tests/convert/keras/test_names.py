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


@pytest.mark.parametrize("before, after", [
    ("tf.app.flags.DEFINE_string('csv', 'a.csv', 'file')\nFLAGS = tf.app.flags.FLAGS",
     "flags.DEFINE_string('csv', 'a.csv', 'file')\nFLAGS = flags.FLAGS"),
    ("tf.flags.DEFINE_integer('n', 3, 'count')\nn = tf.flags.FLAGS.n",
     "flags.DEFINE_integer('n', 3, 'count')\nn = flags.FLAGS.n"),
])
def test_tf1_flags_become_absl_flags(before, after):
    assert translate_names(HEADER + before + "\n") == HEADER + after + "\n"


@pytest.mark.parametrize("source, words", [
    # TF 1.4 named the arguments flag_name, default_value, docstring; absl name, default, help
    ("tf.app.flags.DEFINE_string(flag_name='csv', default_value='a', docstring='file')",
     "tf.app.flags.DEFINE_string other than called with (name, default, help) by position"),
    ("tf.app.flags.DEFINE_enum('kind', 'a', ['a', 'b'], 'kind')",
     "tf.app.flags.DEFINE_enum, which TF 2 has only as tf.compat.v1"),
    ("tf.app.run()", "tf.app.run, which TF 2 has only as tf.compat.v1"),
])
def test_flags_absl_does_not_take_alike_are_refused(source, words):
    with pytest.raises(NotTranslated) as raised:
        translate_names(HEADER + source + "\n")
    assert words in raised.value.construct
