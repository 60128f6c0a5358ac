import pytest

from tests.convert.conftest import run_rule

TF = "import tensorflow as tf\n"


@pytest.mark.parametrize("before, after", [
    pytest.param(
        TF + "m = tf.metrics.root_mean_squared_error(tf.cast(labels, tf.float64), predictions)\n",
        TF + "m = tf.metrics.root_mean_squared_error(tf.cast(labels, tf.float64), "
             "tf.cast(predictions, tf.float64))\n", id="documented abalone example"),
    pytest.param(
        TF + "m = tf.compat.v1.metrics.mean_absolute_error("
             "labels=tf.cast(y, dtype=tf.float64), predictions=p)\n",
        TF + "m = tf.compat.v1.metrics.mean_absolute_error("
             "labels=tf.cast(y, dtype=tf.float64), predictions=tf.cast(p, tf.float64))\n",
        id="keywords"),
])
def test_fix_metric_dtypes(before, after):
    result = run_rule("metric-dtypes", before)
    assert result.output == after
    assert any("mixed float types" in finding.message for finding in result.findings)


@pytest.mark.parametrize("metric", ["mean_squared_error", "root_mean_squared_error",
                                    "mean_absolute_error", "mean_relative_error"])
def test_every_metric_that_subtracts_predictions_from_labels(metric):
    before = TF + "m = tf.metrics.%s(tf.cast(y, tf.float64), p)\n" % metric
    assert run_rule("metric-dtypes", before).output == (
        TF + "m = tf.metrics.%s(tf.cast(y, tf.float64), tf.cast(p, tf.float64))\n" % metric)


@pytest.mark.parametrize("source", [
    pytest.param(TF + "m = tf.metrics.root_mean_squared_error(labels, predictions)\n",
                 id="labels not cast"),
    pytest.param(TF + "m = tf.metrics.root_mean_squared_error(tf.cast(y, tf.float64), "
                      "tf.cast(p, tf.float64))\n", id="both cast"),
    pytest.param(TF + "m = tf.metrics.accuracy(tf.cast(y, tf.int64), p)\n", id="not regression"),
    pytest.param("m = metrics.root_mean_squared_error(cast(y, f64), p)\n", id="not tensorflow"),
])
def test_noop_metric_dtypes(source):
    assert run_rule("metric-dtypes", source).output == source
