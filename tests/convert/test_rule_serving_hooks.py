from tests.convert.conftest import run_rule

SCRIPT = '''\
import json
import numpy as np
import tensorflow as tf

INPUT = "inputs"


def _rows(data):
    return np.asarray(json.loads(data))


def input_fn(serialized_data, content_type):
    return {INPUT: _rows(serialized_data)}


def output_fn(prediction, accepts):
    return json.dumps(prediction)
'''


def test_moves_hooks_to_inference_py():
    conversion = run_rule("serving-hooks", SCRIPT)
    assert conversion.output == SCRIPT  # the training script keeps its functions
    inference = conversion.extra_files["inference.py"]
    compile(inference, "inference.py", "exec")
    for expected in ("import json", "import numpy as np", 'INPUT = "inputs"', "def _rows(",
                     "def input_fn(", "def output_fn(", "def input_handler(data, context):",
                     "def output_handler(response, context):"):
        assert expected in inference
    assert "tensorflow" not in inference
    assert [f.severity for f in conversion.findings] == ["INFO", "WARNING"]


def test_input_handler_calls_legacy_input_fn():
    namespace = {}
    exec(run_rule("serving-hooks", SCRIPT).extra_files["inference.py"], namespace)

    class Data:
        def read(self):
            return b"[[1, 2]]"

    class Context:
        request_content_type = "application/json"
        accept_header = "application/json"

    body = namespace["input_handler"](Data(), Context())
    assert body == '{"inputs": {"inputs": [[1, 2]]}}'


def test_hook_using_tensorflow_cannot_move():
    source = ("import tensorflow as tf\n\n\ndef input_fn(data, content_type):\n"
              "    return tf.make_tensor_proto(data)\n")
    conversion = run_rule("serving-hooks", source)
    assert "inference.py" not in conversion.extra_files
    [error] = conversion.errors
    assert "TensorFlow" in error.message and error.line == 4


def test_transform_fn_is_an_error():
    conversion = run_rule("serving-hooks", "def transform_fn(data, content_type, accepts):\n"
                                           "    return data\n")
    assert conversion.errors and "transform_fn" in conversion.errors[0].message


def test_noop_without_hooks():
    conversion = run_rule("serving-hooks", "def train_input_fn(training_dir, params):\n    pass\n")
    assert not conversion.extra_files and not conversion.findings
