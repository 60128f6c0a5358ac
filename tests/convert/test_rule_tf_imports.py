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


REMOVED = "removed import of %s (uses now refer to public TensorFlow names)"
COMMENTED = ("import of %s cannot work in TensorFlow 2 and was commented out; its remaining "
             "uses are marked")
WHAT_TO_DO = "replace the remaining uses, then delete the commented import"


@pytest.mark.parametrize("before, after, findings", [
    pytest.param("from tensorflow.contrib import slim, layers as L\nslim.conv2d(x); L.x\n",
                 "# from tensorflow.contrib import slim, layers as L\nslim.conv2d(x); L.x\n",
                 [("ERROR", 1, COMMENTED % "slim, layers", WHAT_TO_DO)], id="two still used"),
    pytest.param("from tensorflow.contrib import (slim,\n    layers)\nslim.x\n",
                 "# from tensorflow.contrib import (slim,\n#     layers)\nslim.x\n",
                 [("ERROR", 1, COMMENTED % "slim", WHAT_TO_DO),
                  ("INFO", 1, REMOVED % "layers", None)], id="over two lines"),
    pytest.param("def f():\n    from tensorflow.contrib import slim\n    return slim.conv2d(x)\n",
                 "def f():\n    # from tensorflow.contrib import slim\n"
                 "    return slim.conv2d(x)\n",
                 [("ERROR", 2, COMMENTED % "slim", WHAT_TO_DO)], id="indented"),
    pytest.param("import tensorflow.contrib.slim as slim, os\n", "import os\n",
                 [("INFO", 1, REMOVED % "tensorflow.contrib.slim", None)], id="one of two"),
    pytest.param("import tensorflow.contrib.learn, tensorflow.contrib.slim\n",
                 "import tensorflow\n",
                 [("INFO", 1, REMOVED % "tensorflow.contrib.learn, tensorflow.contrib.slim",
                   None)], id="two plain imports bind tensorflow once"),
    pytest.param("if x: import tensorflow.contrib.slim as slim\n", "if x: pass\n",
                 [("INFO", 1, REMOVED % "tensorflow.contrib.slim", None)], id="same line"),
    pytest.param("try:\n    x = 1\nfinally:\n    import tensorflow.contrib.slim as slim\n",
                 "try:\n    x = 1\nfinally:\n    pass\n",
                 [("INFO", 4, REMOVED % "tensorflow.contrib.slim", None)], id="finally block"),
    pytest.param("if x:\n    pass\nelse:\n    from tensorflow.contrib import slim\n",
                 "if x:\n    pass\nelse:\n    pass\n",
                 [("INFO", 4, REMOVED % "slim", None)], id="else block"),
    pytest.param("if x:\n    import tensorflow.contrib.slim as slim\n    y = 1\n",
                 "if x:\n    y = 1\n",
                 [("INFO", 2, REMOVED % "tensorflow.contrib.slim", None)],
                 id="not alone in its block"),
    pytest.param("import tensorflow.python.keras as k\n", "",
                 [("INFO", 1, REMOVED % "tensorflow.python.keras", None)], id="private module"),
])
def test_each_import_says_what_happened_to_it(before, after, findings):
    conversion = run_rule("tf-imports", before)
    assert conversion.output == after
    assert [(f.severity, f.line, f.message, f.suggestion) for f in conversion.findings] == (
        findings)


def test_relative_imports_are_not_tensorflow():
    assert run_rule("tf-imports", "from . import contrib\nfrom .contrib import slim\n"
                    "import tensorflow.contrib.slim as s\n").output == (
        "from . import contrib\nfrom .contrib import slim\n")
