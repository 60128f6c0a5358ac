"""`convert --target keras` on a script that takes its Legacy Mode functions or helpers from a
module beside it: what it uses is copied into the Keras script (before -> after), and each
case that cannot be copied faithfully falls back to the Estimator target with an ERROR."""
import os
import re
import textwrap

import pytest

from legacy_compat.convert.keras import convert_keras

HELPER = '''\
# Shared pieces beside the entry point.
import os

import numpy as np
import tensorflow as tf

INPUT = 'inputs'
UNUSED = 'not copied'


def load(directory, name='training_dataset.csv'):
    data = np.loadtxt(os.path.join(directory, name), delimiter=',', dtype=np.float32)
    return data[:, :7], data[:, 7]


def numpy_input(directory, name='training_dataset.csv'):
    x, y = load(directory, name)
    return tf.estimator.inputs.numpy_input_fn(x={INPUT: x}, y=y, num_epochs=None,
                                              shuffle=True, batch_size=32)


def serving_input_fn(params):
    placeholder = tf.placeholder(tf.float32, [None, 7])
    return tf.estimator.export.build_raw_serving_input_receiver_fn({INPUT: placeholder})()


def unused():
    return tf.py_func(len, [], tf.int64)
'''

KERAS_MODEL_FN = '''
def keras_model_fn(hyperparameters):
    inputs = tf.keras.layers.Input(shape=(7,), name=INPUT)
    model = tf.keras.models.Model(inputs=inputs, outputs=tf.keras.layers.Dense(1)(inputs))
    model.compile(optimizer='sgd', loss='mse')
    return model
'''

FROM_IMPORT = '''\
import tensorflow as tf
from helper import INPUT, numpy_input, serving_input_fn  # noqa: F401
''' + KERAS_MODEL_FN + '''

def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir, 'evaluation_dataset.csv')()
'''

MODULE_IMPORT = '''\
import tensorflow as tf
import helper
''' + KERAS_MODEL_FN.replace("name=INPUT", "name=helper.INPUT") + '''

def train_input_fn(training_dir, hyperparameters):
    return helper.numpy_input(training_dir)()


def eval_input_fn(training_dir, hyperparameters):
    return helper.numpy_input(training_dir, 'evaluation_dataset.csv')()


def serving_input_fn(hyperparameters):
    return helper.serving_input_fn(hyperparameters)
'''


def _convert(tmp_path, script, helper=HELPER, name="train.py", **files):
    (tmp_path / "helper.py").write_text(helper, encoding="utf-8") if helper is not None \
        else None
    for file_name, text in files.items():
        (tmp_path / (file_name + ".py")).write_text(text, encoding="utf-8")
    path = tmp_path / name
    path.write_text(script, encoding="utf-8")
    return convert_keras(script, str(path))


def _errors(conversion):
    return [f for f in conversion.findings if f.severity == "ERROR"]


def _converted(conversion):
    assert not _errors(conversion), conversion.findings
    assert conversion.findings[0].message.startswith("target keras:")
    compile(conversion.output, "train.py", "exec")
    return conversion.output


def test_names_imported_from_a_helper_are_copied_with_what_they_use(tmp_path):
    output = _converted(_convert(tmp_path, FROM_IMPORT))
    assert "helper" not in output.replace("# From helper.py, the helper module beside this "
                                          "script:", "")
    assert output.count("# From helper.py") == 1
    # what the script uses and what that uses, in the helper's order; nothing else
    for definition in ("INPUT = 'inputs'", "def load(directory", "def numpy_input(directory",
                       "def serving_input_fn(model):"):
        assert output.count(definition) == 1, definition
    assert output.index("INPUT = ") < output.index("def load(") < output.index(
        "def numpy_input(") < output.index("def keras_model_fn(")
    assert "UNUSED" not in output and "def unused" not in output
    # the imports the copied code needs, the script's own tensorflow import kept once
    assert "import os\n" in output and "import numpy as np\n" in output
    assert output.count("import tensorflow as tf") == 1
    # translated like the script's own code
    assert "tf.data.Dataset.from_tensor_slices(({INPUT: x}, y))" in output
    assert "tf.estimator" not in output and "tf.compat.v1" not in output
    assert "copied from the helper modules beside it: helper.py: INPUT, load, numpy_input, " \
        "serving_input_fn" in _convert(tmp_path, FROM_IMPORT).findings[0].message


def test_module_attributes_and_a_delegating_function_are_the_helpers_own(tmp_path):
    output = _converted(_convert(tmp_path, MODULE_IMPORT))
    assert not re.search(r"\bhelper\.(?!py)", output) and "import helper" not in output
    assert "name=INPUT)" in output and "return numpy_input(training_dir)" in output
    # serving_input_fn only returned helper.serving_input_fn(...): it is that function
    assert output.count("def serving_input_fn(") == 1
    assert "# From helper.py (this script's serving_input_fn only returned its " \
        "serving_input_fn):\ndef serving_input_fn(model):" in output
    assert "    return numpy_input(training_dir, 'evaluation_dataset.csv')\n\n\n# From" in output
    assert "batch(32)\n\n\ndef keras_model_fn" in output
    assert "tf.TensorSpec([None, 7], tf.float32, name=INPUT)" in output


def test_a_delegating_function_under_another_name_is_renamed(tmp_path):
    helper = HELPER.replace("def serving_input_fn(params)", "def receiver(params)")
    script = MODULE_IMPORT.replace("helper.serving_input_fn(", "helper.receiver(")
    output = _converted(_convert(tmp_path, script, helper))
    assert "(this script's serving_input_fn only returned its receiver):\n" \
        "def serving_input_fn(model):" in output and output.count("receiver") == 1


def test_same_output_for_a_relative_path(tmp_path, monkeypatch):
    absolute = _convert(tmp_path, FROM_IMPORT)
    monkeypatch.chdir(tmp_path)
    assert convert_keras(FROM_IMPORT, "train.py").output == absolute.output


def test_a_helper_without_tensorflow_stays_imported(tmp_path):
    plain = "def scale(value):\n    return value * 2\n"
    script = FROM_IMPORT.replace("import tensorflow as tf\n",
                                 "import tensorflow as tf\nfrom plain import scale\n")
    script = script.replace("numpy_input(training_dir)()", "numpy_input(scale(1) and "
                            "training_dir)()")
    output = _converted(_convert(tmp_path, script, plain=plain))
    assert "from plain import scale\n" in output and "def scale" not in output


# script change (old -> new), helper change, other files -> words the ERROR must contain
FALLBACKS = {
    "star import": ((("from helper import INPUT", "from helper import *  # noqa\n"
                      "from helper import INPUT"),), None, {}, "star import of the helper"),
    "not beside": ((("from helper import", "from elsewhere.helper import"),), None, {},
                   "not defined by a `def` in this script"),
    "rebound": ((("\ndef train_input_fn", "\nINPUT = 'other'\n\n\ndef train_input_fn"),),
                None, {}, "INPUT imported from helper.py and bound again in the script"),
    "bound twice in the helper": ((), ("UNUSED = 'not copied'", "INPUT = 'again'"), {},
                                  "INPUT, bound more than once in helper.py"),
    "cycle": ((), ("import os\n", "import os\n\nfrom train import keras_model_fn\n"), {},
              "one level of helper modules"),
    "helper of the helper": ((), ("import os\n", "import os\n\nfrom more import X\n"),
                             {"more": "import tensorflow as tf\nX = 1\n"},
                             "helper.py imports more.py"),
    "unparsable": ((), ("def load(directory", "def load(directory:"), {},
                   "the helper module helper.py does not parse"),
    "runs code at import": ((), ("INPUT = 'inputs'\n", "INPUT = 'inputs'\ntf.set_random_seed(1)\n"),
                            {}, "helper.py runs `tf.set_random_seed(1)` when imported"),
    "a clash with the script's own": ((("\ndef train_input_fn", "\ndef load():\n    pass\n"
                                        "\n\ndef train_input_fn"),), None, {},
                                      "helper.py's load, which the script uses, and the "
                                      "script's own load"),
    "module as a value": ((("from helper import INPUT", "import helper\nTHE = helper\n"
                            "from helper import INPUT"),), None, {},
                          "helper module helper.py used other than as `helper.name`"),
    "import in a function": ((("    return model\n", "    import helper\n    return model\n"),),
                             None, {}, "inside a block"),
    "untranslatable copied code": ((), ("    x, y = load(directory, name)\n",
                                        "    x, y = load(directory, name)\n"
                                        "    tf.py_func(len, [x], tf.int64)\n"), {},
                                   "(in helper.py line 18, copied from the helper module)"),
    "module identity": ((), ("delimiter=','", "delimiter=__name__"), {}, "uses __name__"),
    "a built-in shadowed": ((("    return numpy_input(training_dir)()",
                              "    return numpy_input(training_dir, input())()"),),
                            ("INPUT = 'inputs'\n", "INPUT = 'inputs'\n\n\ndef input():\n"
                                                   "    return 1\n"),
                            {}, None),
}


@pytest.mark.parametrize("case", sorted(FALLBACKS))
def test_what_cannot_be_copied_faithfully_falls_back(tmp_path, case):
    script_changes, helper_change, files, words = FALLBACKS[case]
    script, helper = FROM_IMPORT, HELPER
    for old, new in script_changes:
        assert old in script
        script = script.replace(old, new, 1)
    if helper_change:
        assert helper_change[0] in helper
        helper = helper.replace(*helper_change)
    if case == "a built-in shadowed":  # the helper's input() is copied only if imported
        script = script.replace("import INPUT,", "import INPUT, input,")
        conversion = _convert(tmp_path, script, helper, **files)
        assert not _errors(conversion)  # imported by name: the script meant the helper's
        script = script.replace("import INPUT, input,", "import INPUT,").replace(
            "from helper import", "from helper import load as _load, ")
        helper = helper.replace("def load(directory", "def load(directory, _=input")
        words = "the script reads the built-in input, and helper.py defines its own"
    conversion = _convert(tmp_path, script, helper, **files)
    errors = _errors(conversion)
    assert errors and errors[0].rule == "keras-target", conversion.findings
    assert words in errors[0].message, errors[0].message
    assert conversion.output.startswith("# legacy-compat convert --target keras: written for "
                                        "the Estimator target")
    assert (tmp_path / "train.py").read_text(encoding="utf-8") == script  # input untouched


def test_an_unreadable_helper_is_an_error_not_a_crash(tmp_path):
    (tmp_path / "helper.py").write_bytes(b"X = '\xff\xfe'\n")
    conversion = _convert(tmp_path, FROM_IMPORT, helper=None)
    errors = _errors(conversion)
    assert errors and "the helper module helper.py cannot be read" in errors[0].message


def test_the_error_points_at_the_import_of_the_helper(tmp_path):
    helper = HELPER.replace("    x, y = load(directory, name)\n", "    x, y = load(directory, "
                            "name)\n    tf.py_func(len, [x], tf.int64)\n")
    conversion = _convert(tmp_path, FROM_IMPORT, helper)
    error = _errors(conversion)[0]
    line = conversion.output.splitlines()[error.line - 1]
    assert line.startswith("from helper import INPUT"), (error, line)


def test_the_helper_itself_keeps_the_estimator_targets_conversion(tmp_path):
    _convert(tmp_path, FROM_IMPORT)
    conversion = convert_keras(HELPER, str(tmp_path / "helper.py"))
    assert "not a training script" in conversion.findings[-1].message
    assert "tf.compat.v1.placeholder" in conversion.output


def test_the_cli_writes_the_script_without_the_helper_import(tmp_path):
    from legacy_compat.convert.cli import main

    source = tmp_path / "src"
    source.mkdir()
    (source / "helper.py").write_text(HELPER, encoding="utf-8")
    (source / "train.py").write_text(MODULE_IMPORT, encoding="utf-8")
    assert main(["--target", "keras", str(source), "-o", str(tmp_path / "out")]) == 0
    written = (tmp_path / "out" / "train.py").read_text(encoding="utf-8")
    assert "import helper" not in written and "def numpy_input(" in written
    assert os.path.exists(str(tmp_path / "out" / "helper.py"))
    assert textwrap.dedent(written) == written


def test_two_helpers_each_copied_under_its_name(tmp_path):
    script = MODULE_IMPORT.replace("import helper\n", "import helper\nfrom other import UNITS\n")
    script = script.replace("Dense(1)(inputs)", "Dense(UNITS)(inputs)")
    output = _converted(_convert(tmp_path, script, other="import tensorflow as tf\n\nUNITS = 1\n"))
    assert "# From other.py, the helper module beside this script:\nUNITS = 1\n" in output
    assert output.count("def serving_input_fn(") == 1 and "import other" not in output


def test_a_plain_module_the_helper_imports_is_imported_by_the_script(tmp_path):
    helper = HELPER.replace("import os\n", "import os\n\nfrom plain import NAME\n").replace(
        "INPUT = 'inputs'", "INPUT = NAME")
    output = _converted(_convert(tmp_path, FROM_IMPORT, helper, plain="NAME = 'inputs'\n"))
    assert "from plain import NAME\n" in output and "INPUT = NAME\n" in output


def test_a_python_2_helper_is_copied_only_if_it_uses_tensorflow(tmp_path):
    plain = "def scale(value):\n    print 'scaling'\n    return value * 2\n"
    script = FROM_IMPORT.replace("import tensorflow as tf\n",
                                 "import tensorflow as tf\nfrom plain import scale\n")
    script = script.replace("numpy_input(training_dir)()", "numpy_input(scale(1) and "
                            "training_dir)()")
    output = _converted(_convert(tmp_path, script, plain=plain))
    assert "from plain import scale\n" in output and "def scale" not in output
    output = _converted(_convert(tmp_path, script, plain="import tensorflow as tf\n" + plain))
    assert "from plain import scale" not in output
    assert "def scale(value):\n    print('scaling')\n" in output


HELPER_MODEL_FN = '''

def model_fn(features, labels, mode, params):
    predictions = tf.layers.dense(features[INPUT], 1, name='linear')
    if mode == tf.estimator.ModeKeys.PREDICT:
        return tf.estimator.EstimatorSpec(mode, predictions={'ages': predictions})
    loss = tf.losses.mean_squared_error(labels, predictions)
    optimizer = tf.train.GradientDescentOptimizer(params.get('learning_rate', 0.01))
    train_op = optimizer.minimize(loss, global_step=tf.train.get_global_step())
    return tf.estimator.EstimatorSpec(mode, loss=loss, train_op=train_op)
'''


def test_a_model_fn_that_returns_the_helpers_is_translated_as_the_helpers(tmp_path):
    script = MODULE_IMPORT.replace(KERAS_MODEL_FN.replace("name=INPUT", "name=helper.INPUT"), '''
def model_fn(features, labels, mode, hyperparameters):
    return helper.model_fn(features, labels, mode, hyperparameters)
''')
    output = _converted(_convert(tmp_path, script, HELPER + HELPER_MODEL_FN))
    # the helper's model_fn (its parameter names: Legacy Mode passes them by position)
    assert "# From helper.py (this script's model_fn only returned its model_fn):\n" \
        "def model_fn(params):\n" in output
    assert "keras.layers.Dense(units=1, name='linear')(features[INPUT])" in output
    assert "learning_rate=params.get('learning_rate', 0.01)" in output
    assert "return {'ages': model(features)}" in output  # the export's outputs, from its PREDICT


def test_a_model_fn_that_does_more_than_return_the_helpers_falls_back(tmp_path):
    script = MODULE_IMPORT.replace(KERAS_MODEL_FN.replace("name=INPUT", "name=helper.INPUT"), '''
def model_fn(features, labels, mode, hyperparameters):
    spec = helper.model_fn(features, labels, mode, hyperparameters)
    return spec
''')
    errors = _errors(_convert(tmp_path, script, HELPER + HELPER_MODEL_FN))
    assert errors and "helper.py's model_fn, which the script uses, and the script's own " \
        "model_fn" in errors[0].message


SCRIPTS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(
    __file__)))), "fixtures", "scripts")
WRAPPER = '''\
import tensorflow as tf
import tiny_model
from tiny_model import numpy_input


def model_fn(features, labels, mode, params):
    BEFORE
    return tiny_model.model_fn(features, labels, mode, params)


def train_input_fn(training_dir, hyperparameters):
    return numpy_input(training_dir)()
'''


def test_a_model_fn_running_statements_before_the_helpers_runs_them_then_builds_it(tmp_path):
    """raises_in_model_fn.py: the helper's model_fn is copied under a name of its own and
    translated; the script's runs its statements, then returns that model."""
    with open(os.path.join(SCRIPTS, "tiny_model.py"), encoding="utf-8") as handle:
        (tmp_path / "tiny_model.py").write_text(handle.read(), encoding="utf-8")
    script = WRAPPER.replace("BEFORE", "scale = params['scale']  # a comment kept")
    (tmp_path / "train.py").write_text(script, encoding="utf-8")
    output = _converted(convert_keras(script, str(tmp_path / "train.py")))
    assert "\ndef _tiny_model_model_fn(params, features):\n" in output, output
    assert "\ndef model_fn(params, features):\n    scale = params['scale']  # a comment kept\n" \
        "    return _tiny_model_model_fn(params, features)\n" in output, output
    assert "tiny_model.m" not in output and output.count("def model_fn(") == 1
    assert "    model = model_fn(job.hyperparameters, job.feature_inputs(train_input_fn))\n" \
        in output
    # a statement on the features, labels, mode or TensorFlow: not plain Python, falls back
    for before in ("print(features)", "tf.set_random_seed(params['seed'])"):
        script = WRAPPER.replace("BEFORE", before)
        errors = _errors(convert_keras(script, str(tmp_path / "train.py")))
        assert errors and "model_fn statement `%s` before it returns _tiny_model_model_fn's " \
            "model" % before in errors[0].message, errors
