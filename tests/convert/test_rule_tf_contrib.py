import pytest

from tests.convert.conftest import run_rule


@pytest.mark.parametrize("before, after", [
    pytest.param("import tensorflow as tf\ns = tf.contrib.framework.get_global_step()\n",
                 "import tensorflow as tf\ns = tf.compat.v1.train.get_global_step()\n",
                 id="get_global_step"),
    pytest.param("import tensorflow as tf\nd = d.apply(tf.contrib.data.map_and_batch(f, 10))\n",
                 "import tensorflow as tf\nd = d.apply(tf.data.experimental.map_and_batch(f, 10))\n",
                 id="map_and_batch"),
    pytest.param("from tensorflow.contrib.data import FixedLengthRecordDataset as F\nF(p, 4)\n",
                 "from tensorflow.contrib.data import FixedLengthRecordDataset as F\n"
                 "tf.data.FixedLengthRecordDataset(p, 4)\n", id="from-import alias"),
    pytest.param("import tensorflow as tf\nl = tf.contrib.keras.layers.Dense(3)\n",
                 "import tensorflow as tf\nl = tf.keras.layers.Dense(3)\n", id="contrib.keras"),
    pytest.param("import tensorflow as tf\n"
                 "d = tf.contrib.learn.datasets.base.load_csv_with_header(f, int, float)\n",
                 "import tensorflow as tf\nd = load_csv_with_header(f, int, float)\n",
                 id="csv loader helper"),
    pytest.param("import tensorflow.contrib.layers as layers\nop = layers.optimize_loss(l, s, 1, 'SGD')\n",
                 "import tensorflow.contrib.layers as layers\nop = optimize_loss(l, s, 1, 'SGD')\n",
                 id="optimize_loss helper"),
])
def test_fix_contrib(before, after):
    assert run_rule("tf-contrib", before).output == after


def test_unknown_contrib_is_an_error_with_position():
    conversion = run_rule("tf-contrib", "import tensorflow as tf\n\nx = tf.contrib.slim.conv2d(y)\n")
    [error] = conversion.errors
    assert (error.line, error.col) == (3, 5)
    assert "tf.contrib.slim" in error.message and error.suggestion


@pytest.mark.parametrize("source", [
    pytest.param("import tensorflow as tf\ns = tf.compat.v1.train.get_global_step()\n",
                 id="already converted"),
    pytest.param("contrib = object()\ncontrib.data.map_and_batch\n", id="unrelated contrib"),
])
def test_noop_contrib(source):
    conversion = run_rule("tf-contrib", source)
    assert conversion.output == source and not conversion.findings


# Written out here (not read from contract.CONTRIB_STAND_INS): the functions a converted
# script gets for the tf.contrib names TF 2 has no replacement for.
STAND_INS = [
    ("tf.contrib.learn.datasets.base.load_csv_with_header", "load_csv_with_header"),
    ("tf.contrib.learn.datasets.base.load_csv_without_header", "load_csv_without_header"),
    ("tf.contrib.learn.datasets.load_csv_with_header", "load_csv_with_header"),
    ("tf.contrib.learn.datasets.load_csv_without_header", "load_csv_without_header"),
    ("tf.contrib.layers.optimize_loss", "optimize_loss"),
    ("tf.contrib.layers.xavier_initializer", "xavier_initializer"),
    ("tf.contrib.layers.xavier_initializer_conv2d", "xavier_initializer"),
    ("tf.contrib.layers.l2_regularizer", "l2_regularizer"),
    ("tf.contrib.layers.l1_regularizer", "l1_regularizer"),
    ("tf.contrib.framework.local_variable", "local_variable"),
]


@pytest.mark.parametrize("legacy, stand_in", STAND_INS)
def test_each_contrib_stand_in_becomes_a_helper_of_the_converted_file(legacy, stand_in):
    from legacy_compat.convert.pipeline import convert_text
    from legacy_compat.convert.registry import get_rule
    conversion = convert_text("import tensorflow as tf\nx = %s(a)\n" % legacy, "t.py",
                              rules=[get_rule("tf-contrib"), get_rule("add-helpers")])
    assert conversion.output == ("import tensorflow as tf\nfrom legacy_mode import %s\n"
                                 "x = %s(a)\n" % (stand_in, stand_in))
    assert "\ndef %s(" % stand_in in conversion.extra_files["legacy_mode.py"]
