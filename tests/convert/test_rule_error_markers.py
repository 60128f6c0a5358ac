from legacy_compat.convert.pipeline import convert_text
from legacy_compat.convert.registry import get_rule

RULES = [get_rule("tf-contrib"), get_rule("error-markers")]


def test_marks_error_line_with_indentation():
    source = "import tensorflow as tf\n\n\ndef f(x):\n    return tf.contrib.slim.conv2d(\n        x)\n"
    conversion = convert_text(source, "t.py", rules=RULES)
    lines = conversion.output.splitlines()
    assert lines[4].startswith("    # legacy-compat: ERROR: tf.contrib.slim")
    assert lines[5] == "    return tf.contrib.slim.conv2d("
    [error] = conversion.errors
    assert error.line == 6  # positions refer to the converted file
    assert convert_text(conversion.output, "t.py", rules=RULES).output == conversion.output


def test_noop_without_errors():
    source = "import tensorflow as tf\nx = tf.constant(1)\n"
    assert convert_text(source, "t.py", rules=RULES).output == source
