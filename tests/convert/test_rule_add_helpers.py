from legacy_compat.convert import helpers
from legacy_compat.convert.pipeline import convert_text
from legacy_compat.convert.registry import get_rule

RULES = [get_rule("tf-contrib"), get_rule("add-helpers")]


def test_adds_helper_block_after_imports():
    source = ('"""Doc."""\nimport os\nimport tensorflow as tf\n\nX = 1\n'
              'v = tf.contrib.framework.local_variable(0.0)\n')
    output = convert_text(source, "t.py", rules=RULES).output
    assert output.startswith('"""Doc."""\nimport os\nimport tensorflow as tf\n\n\n' + helpers.BEGIN)
    assert "def local_variable(" in output and "def optimize_loss(" not in output
    assert output.endswith("X = 1\nv = local_variable(0.0)\n")
    assert convert_text(output, "t.py", rules=RULES).output == output


def test_adds_tf_import_when_missing():
    source = "from tensorflow.python.keras.layers import Dense\n\nDense(3)\n"
    output = convert_text(source, "t.py", rules=[get_rule("tf-private-names"),
                                                 get_rule("add-helpers")]).output
    assert output == ("from tensorflow.python.keras.layers import Dense\nimport tensorflow as tf\n"
                      "\ntf.keras.layers.Dense(3)\n")


def test_noop_without_requests():
    source = "import tensorflow as tf\nx = 1\n"
    assert convert_text(source, "t.py", rules=RULES).output == source


def test_the_optimize_loss_helper_knows_the_contrib_optimizer_names():
    # tf.contrib.layers.OPTIMIZER_CLS_NAMES of TF 1.x, written out here as the oracle.
    text = helpers.HELPERS["optimize_loss"]
    for line in ['"Adagrad": lambda rate: tf.compat.v1.train.AdagradOptimizer(rate),',
                 '"Adam": lambda rate: tf.compat.v1.train.AdamOptimizer(rate),',
                 '"Ftrl": lambda rate: tf.compat.v1.train.FtrlOptimizer(rate),',
                 '"Momentum": lambda rate: tf.compat.v1.train.MomentumOptimizer(rate, '
                 'momentum=0.9),',
                 '"RMSProp": lambda rate: tf.compat.v1.train.RMSPropOptimizer(rate),',
                 '"SGD": lambda rate: tf.compat.v1.train.GradientDescentOptimizer(rate),']:
        assert "\n        %s\n" % line in text, line
