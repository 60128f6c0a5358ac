"""Regression metrics whose labels are cast to another float type get matching predictions.

The Legacy Mode documentation's abalone example computes
``tf.metrics.root_mean_squared_error(tf.cast(labels, tf.float64), predictions)``
with float32 predictions, which TensorFlow refuses (``Input 'y' of
'SquaredDifference' Op has type float32 that does not match type float64``).
The converted call casts the predictions to the same type.
"""
import ast

from legacy_compat import contract
from legacy_compat.convert.findings import INFO
from legacy_compat.convert.registry import register


def _dotted(expr):
    parts = []
    while isinstance(expr, ast.Attribute):
        parts.append(expr.attr)
        expr = expr.value
    if isinstance(expr, ast.Name):
        return [expr.id] + parts[::-1]
    return None


def _argument(call, index, name):
    for keyword in call.keywords:
        if keyword.arg == name:
            return keyword.value
    return call.args[index] if len(call.args) > index else None


def _cast_dtype(expr, tf_names):
    """The dtype expression of ``tf.cast(x, dtype)``, else None."""
    if not isinstance(expr, ast.Call):
        return None
    parts = _dotted(expr.func)
    if not parts or parts[-1] != "cast" or parts[0] not in tf_names:
        return None
    return _argument(expr, 1, "dtype")


@register("metric-dtypes", after=("py2-to-py3",),
          summary="cast predictions like the labels in tf.metrics regression metrics")
def metric_dtypes(ctx):
    tf_names = {alias for alias, module in ctx.imports.names.items() if module == "tf"}
    if not tf_names:
        return
    for node in ctx.nodes(ast.Call):
        parts = _dotted(node.func)
        if not parts or parts[0] not in tf_names or parts[-1] not in contract.REGRESSION_METRICS \
                or "metrics" not in parts:
            continue
        labels, predictions = _argument(node, 0, "labels"), _argument(node, 1, "predictions")
        dtype = _cast_dtype(labels, tf_names)
        if dtype is None or predictions is None or _cast_dtype(predictions, tf_names) is not None:
            continue
        ctx.replace_node(predictions, "%s.cast(%s, %s)" % (
            parts[0], ast.get_source_segment(ctx.source, predictions),
            ast.get_source_segment(ctx.source, dtype)))
        ctx.report(INFO, "cast the predictions of %s to the labels' type %s (TensorFlow refuses "
                   "mixed float types)" % (".".join(parts), ast.get_source_segment(ctx.source, dtype)),
                   node=predictions)
