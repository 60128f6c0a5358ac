import pytest

from tests.convert.conftest import run_rule


@pytest.mark.parametrize("before, after", [
    pytest.param("import tensorflow as tf\n"
                 "from tensorflow.python.estimator.model_fn import ModeKeys as Modes\n"
                 "if mode == Modes.TRAIN: pass\n",
                 "import tensorflow as tf\n"
                 "from tensorflow.python.estimator.model_fn import ModeKeys as Modes\n"
                 "if mode == tf.estimator.ModeKeys.TRAIN: pass\n", id="ModeKeys alias"),
    pytest.param("from tensorflow.python.keras.layers import Dense\nDense(3)\n",
                 "from tensorflow.python.keras.layers import Dense\ntf.keras.layers.Dense(3)\n",
                 id="keras layer, no tf alias yet"),
    pytest.param("import tensorflow as tf\nfrom tensorflow.python.saved_model import "
                 "signature_constants as sc\nk = sc.PREDICT_INPUTS\n",
                 "import tensorflow as tf\nfrom tensorflow.python.saved_model import "
                 "signature_constants as sc\n"
                 "k = tf.compat.v1.saved_model.signature_constants.PREDICT_INPUTS\n",
                 id="module alias"),
])
def test_fix_private_names(before, after):
    assert run_rule("tf-private-names", before).output == after


def test_unknown_private_name_is_an_error():
    conversion = run_rule("tf-private-names",
                          "from tensorflow.python.ops import array_ops\narray_ops.stack(x)\n")
    assert conversion.output.endswith("array_ops.stack(x)\n")
    [error] = conversion.errors
    assert error.line == 2 and "tensorflow.python.ops" in error.message and error.suggestion


@pytest.mark.parametrize("source", [
    pytest.param("import tensorflow as tf\ntf.estimator.ModeKeys.TRAIN\n", id="public name"),
    pytest.param("from mypkg.python.estimator import ModeKeys\nModeKeys.TRAIN\n", id="not tf"),
])
def test_noop_private_names(source):
    assert run_rule("tf-private-names", source).output == source
