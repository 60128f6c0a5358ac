import pytest

from tests.convert.conftest import run_rule

TF = "import tensorflow as tf\n"


@pytest.mark.parametrize("before, after", [
    pytest.param(TF + "it = ds.make_one_shot_iterator()\n",
                 TF + "it = tf.compat.v1.data.make_one_shot_iterator(ds)\n", id="one shot"),
    pytest.param(TF + "x = ds.batch(32).make_one_shot_iterator().get_next()\n",
                 TF + "x = tf.compat.v1.data.make_one_shot_iterator(ds.batch(32)).get_next()\n",
                 id="chained"),
    pytest.param(TF + "it = ds.make_initializable_iterator()\n",
                 TF + "it = tf.compat.v1.data.make_initializable_iterator(ds)\n",
                 id="initializable"),
])
def test_fix_dataset_iterators(before, after):
    assert run_rule("dataset-iterators", before).output == after


@pytest.mark.parametrize("source", [
    pytest.param(TF + "it = tf.compat.v1.data.make_one_shot_iterator(ds)\n", id="already converted"),
    pytest.param(TF + "it = ds.make_one_shot_iterator(shared_name='x')\n", id="not the method"),
    pytest.param(TF + "it = iter(ds)\n", id="python iteration"),
])
def test_noop_dataset_iterators(source):
    assert run_rule("dataset-iterators", source).output == source
