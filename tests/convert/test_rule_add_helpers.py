from legacy_compat.convert import helpers
from legacy_compat.convert.pipeline import convert_text
from legacy_compat.convert.registry import get_rule
from legacy_compat.convert.settings import Settings

RULES = [get_rule("tf-contrib"), get_rule("add-helpers")]
SINGLE_FILE = Settings(single_file=True)
SOURCE = ('"""Doc."""\nimport os\nimport tensorflow as tf\n\nX = 1\n'
          'v = tf.contrib.framework.local_variable(0.0)\n')


def test_imports_the_stand_ins_from_the_support_module():
    conversion = convert_text(SOURCE, "t.py", rules=RULES)
    assert conversion.output == ('"""Doc."""\nimport os\nimport tensorflow as tf\n'
                                 'from legacy_mode import local_variable\n\nX = 1\n'
                                 'v = local_variable(0.0)\n')
    assert conversion.extra_files == {helpers.SUPPORT_FILE: helpers.support_module()}
    again = convert_text(conversion.output, "t.py", rules=RULES)
    assert again.output == conversion.output and not again.extra_files


def test_single_file_adds_helper_block_after_imports():
    output = convert_text(SOURCE, "t.py", rules=RULES, settings=SINGLE_FILE).output
    assert output.startswith('"""Doc."""\nimport os\nimport tensorflow as tf\n\n\n' + helpers.BEGIN)
    assert "def local_variable(" in output and "def optimize_loss(" not in output
    assert "def tf_v1(" in output  # what local_variable uses comes with it
    block = output.split(helpers.BEGIN)[1].split(helpers.END)[0]
    assert "import os\n" not in block  # the script imports it already
    assert output.endswith("X = 1\nv = local_variable(0.0)\n")
    assert convert_text(output, "t.py", rules=RULES, settings=SINGLE_FILE).output == output


def test_adds_tf_import_when_missing():
    source = "from tensorflow.python.keras.layers import Dense\n\nDense(3)\n"
    output = convert_text(source, "t.py", rules=[get_rule("tf-private-names"),
                                                 get_rule("add-helpers")]).output
    assert output == ("from tensorflow.python.keras.layers import Dense\nimport tensorflow as tf\n"
                      "\ntf.keras.layers.Dense(3)\n")


def test_noop_without_requests():
    source = "import tensorflow as tf\nx = 1\n"
    assert convert_text(source, "t.py", rules=RULES).output == source
