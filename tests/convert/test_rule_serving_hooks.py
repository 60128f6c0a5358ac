import pytest

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


class Response:
    def __init__(self, content, status_code=200):
        self.content = content
        self.status_code = status_code


class Request:
    def __init__(self, body):
        self.body = body

    def read(self):
        return self.body


class Context:
    request_content_type = "application/json"
    accept_header = "application/json"


def handlers(source):
    namespace = {}
    exec(run_rule("serving-hooks", source).extra_files["inference.py"], namespace)
    return namespace


def test_the_findings_say_what_moved_and_what_changed_for_output_fn():
    conversion = run_rule("serving-hooks", SCRIPT)
    assert [(f.severity, f.line, f.message, f.suggestion) for f in conversion.findings] == [
        ("INFO", 12, "moved input_fn and output_fn to inference.py (input_handler / "
                     "output_handler)", None),
        ("WARNING", 16, "output_fn now receives the TensorFlow Serving REST response as a dict "
                        "instead of a PredictResponse protobuf",
         "check how output_fn reads the prediction in inference.py")]
    inference = conversion.extra_files["inference.py"]
    assert inference.startswith('"""SageMaker TensorFlow Serving handlers for train.py.\n')
    assert "{script} ({hooks})" not in inference and "(input_fn, output_fn)" in inference


def test_with_input_fn_only_the_response_passes_through():
    namespace = handlers("def input_fn(data, content_type):\n    return {'x': [1]}\n")
    assert namespace["input_handler"](Request(b"?"), Context()) == '{"inputs": {"x": [1]}}'
    assert namespace["output_handler"](Response(b'{"outputs": 1}'), Context()) == (
        b'{"outputs": 1}', "application/json")
    try:
        namespace["output_handler"](Response(b"model not found", 404), Context())
    except ValueError as error:
        assert str(error) == "model not found"
    else:
        raise AssertionError("a failed response must raise")


def test_with_output_fn_only_the_request_passes_through():
    namespace = handlers("def output_fn(prediction, accepts):\n"
                         "    return str(prediction['outputs']) + accepts\n")
    assert namespace["input_handler"](Request(b'{"a": 1}'), Context()) == '{"a": 1}'
    assert namespace["output_handler"](Response(b'{"outputs": [2]}'), Context()) == (
        "[2]application/json", "application/json")


def test_helpers_constants_and_imports_move_with_the_hook():
    source = ("import os.path\nimport numpy as np\n\nSCALE = 2\nOTHER = 3\n\n\n"
              "def deco(f):\n    return f\n\n\n@deco\ndef _scale(rows):\n"
              "    return np.asarray(rows) * SCALE\n\n\n"
              "def input_fn(data, content_type):\n"
              "    return {'x': _scale(os.path.basename('[1]') and [1])}\n")
    inference = run_rule("serving-hooks", source).extra_files["inference.py"]
    assert "import json\nimport numpy as np\nimport os.path\n" in inference
    assert "SCALE = 2\n\n\ndef deco(f):" in inference and "OTHER" not in inference
    assert "@deco\ndef _scale(rows):" in inference
    namespace = handlers(source)
    assert namespace["input_handler"](Request(b""), Context()) == '{"inputs": {"x": [2]}}'


CANNOT = "cannot move serving hooks to inference.py: %s"
BY_HAND = ("write inference.py with input_handler(data, context) / output_handler(response, "
           "context) by hand")


@pytest.mark.parametrize("source, problem", [
    ("LIMIT = compute()\n\n\ndef input_fn(data, content_type):\n    return data[:LIMIT]\n",
     "input_fn uses LIMIT, which is not a constant"),
    ("def input_fn(data, content_type):\n    return decode(data)\n",
     "input_fn uses decode, defined elsewhere in the script"),
    ("from tensorflow.core.framework import tensor_pb2\n\n\n"
     "def input_fn(data, content_type):\n    return tensor_pb2.TensorProto()\n",
     "input_fn uses TensorFlow (tensor_pb2), which the serving container does not provide"),
])
def test_a_hook_that_cannot_move_says_why(source, problem):
    conversion = run_rule("serving-hooks", source)
    assert "inference.py" not in conversion.extra_files
    assert [(f.severity, f.message, f.suggestion) for f in conversion.findings] == [
        ("ERROR", CANNOT % problem, BY_HAND)]


def test_transform_fn_says_what_to_write_instead():
    conversion = run_rule("serving-hooks", "def transform_fn(data, content_type, accepts):\n"
                                           "    return data\n")
    assert [(f.severity, f.line, f.message, f.suggestion) for f in conversion.findings] == [
        ("ERROR", 1, "transform_fn cannot be moved to the TensorFlow Serving container "
                     "automatically", "write handler(data, context) in inference.py; it must "
                                      "call context.rest_uri itself")]
