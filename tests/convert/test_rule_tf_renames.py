import pytest

from tests.convert.conftest import run_rule


@pytest.mark.parametrize("before, after", [
    pytest.param("import tensorflow as tf\ntf.layers.dense(x, 3)\n",
                 "import tensorflow as tf\ntf.compat.v1.layers.dense(x, 3)\n", id="tf.layers"),
    pytest.param("import tensorflow as tf\nf = tf.FixedLenFeature([1], tf.float32)\n",
                 "import tensorflow as tf\nf = tf.io.FixedLenFeature([1], tf.float32)\n",
                 id="pure rename to 2.x name"),
    pytest.param("import tensorflow as tf\ntf.nn.dropout(x, 0.8)\n",
                 "import tensorflow as tf\ntf.compat.v1.nn.dropout(x, 0.8)\n",
                 id="changed signature keeps v1 semantics"),
    pytest.param("import tensorflow\ntensorflow.placeholder(tensorflow.float32)\n",
                 "import tensorflow\ntensorflow.compat.v1.placeholder(tensorflow.float32)\n",
                 id="unaliased import"),
    pytest.param("import tensorflow as tf\ntf.logging.set_verbosity(tf.logging.INFO)\n",
                 "import tensorflow as tf\ntf.compat.v1.logging.set_verbosity("
                 "tf.compat.v1.logging.INFO)\n", id="removed module"),
    pytest.param("from tensorflow import layers\nlayers.dense(x, 3)\n",
                 "from tensorflow import layers\ntf.compat.v1.layers.dense(x, 3)\n",
                 id="through a from-import"),
    pytest.param("import tensorflow as tf\nm = tf.estimator.inputs.numpy_input_fn(x)\n",
                 "import tensorflow as tf\nm = tf.compat.v1.estimator.inputs.numpy_input_fn(x)\n",
                 id="estimator inputs"),
])
def test_fix_tf_renames(before, after):
    assert run_rule("tf-renames", before).output == after


@pytest.mark.parametrize("source", [
    pytest.param("import tensorflow as tf\ntf.compat.v1.layers.dense(x, 3)\n", id="already compat"),
    pytest.param("import tensorflow as tf\ntf.estimator.EstimatorSpec(mode)\n", id="still valid"),
    pytest.param("tf = object()\ntf.layers.dense(x)\n", id="tf not tensorflow"),
    pytest.param("import tensorflow as tf\nx = 'tf.layers.dense'\n", id="inside a string"),
    pytest.param("import tensorflow as tf\n# tf.layers.dense\n", id="inside a comment"),
])
def test_noop_tf_renames(source):
    assert run_rule("tf-renames", source).output == source


@pytest.mark.parametrize("source, severity, message", [
    pytest.param("import tensorflow as tf\ntf.nn.nce_loss(w, b, y, x, 5, 10)\n", "WARNING",
                 "tf.nn.nce_loss: `partition_strategy` has been removed", id="warning"),
    pytest.param("import tensorflow as tf\n"
                 "strategy = tf.contrib.distribute.MirroredStrategy()\n", "ERROR",
                 "tf.contrib.distribute.MirroredStrategy: (Manual edit required)", id="error"),
])
def test_symbol_warnings_keep_their_severity(source, severity, message):
    findings = [f for f in run_rule("tf-renames", source).findings if message in f.message]
    assert [(f.severity, f.line) for f in findings] == [(severity, source.count("\n"))], findings
