import pytest

from tests.convert.conftest import run_rule


@pytest.mark.parametrize("before, after", [
    pytest.param("import tensorflow as tf\n"
                 "from tensorflow.python.estimator.model_fn import ModeKeys as Modes\n"
                 "x = tf.estimator.ModeKeys.TRAIN\n",
                 "import tensorflow as tf\nx = tf.estimator.ModeKeys.TRAIN\n", id="unused private"),
    pytest.param("import os, tensorflow.contrib.learn as learn\nx = 1\n",
                 "import os\nx = 1\n", id="mixed import statement"),
    pytest.param("from tensorflow import estimator, layers\nestimator.ModeKeys\n",
                 "from tensorflow import estimator\nestimator.ModeKeys\n", id="partly unused"),
    pytest.param("import tensorflow.contrib.learn\ntensorflow.compat.v1.layers.dense(x)\n",
                 "import tensorflow\ntensorflow.compat.v1.layers.dense(x)\n",
                 id="plain contrib import binds tensorflow"),
    pytest.param("try:\n    from tensorflow.contrib.data import map_and_batch\n"
                 "except ImportError:\n    pass\n",
                 "try:\n    pass\nexcept ImportError:\n    pass\n", id="only statement in block"),
])
def test_fix_imports(before, after):
    assert run_rule("tf-imports", before).output == after


def test_still_used_contrib_import_is_commented_out():
    conversion = run_rule("tf-imports", "from tensorflow.contrib import slim\nslim.conv2d(x)\n")
    assert conversion.output == "# from tensorflow.contrib import slim\nslim.conv2d(x)\n"
    assert conversion.errors and conversion.errors[0].line == 1


@pytest.mark.parametrize("source", [
    pytest.param("import tensorflow as tf\n", id="plain tf"),
    pytest.param("from tensorflow import keras\nkeras.layers\n", id="public module"),
    pytest.param("import numpy as np\nimport os\n", id="not tensorflow"),
])
def test_noop_imports(source):
    assert run_rule("tf-imports", source).output == source
