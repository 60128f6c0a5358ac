"""``dataset.make_one_shot_iterator()`` -> ``tf.compat.v1.data.make_one_shot_iterator(dataset)``.

TF 2.x datasets lost the iterator methods; the compat.v1 functions take the
dataset as their argument and still work inside an Estimator's graph.
"""
import ast

from legacy_compat.convert.findings import INFO
from legacy_compat.convert.registry import register

METHODS = ("make_one_shot_iterator", "make_initializable_iterator")


def _iterator_calls(ctx):
    for node in ctx.nodes(ast.Call):
        if (isinstance(node.func, ast.Attribute)
                and node.func.attr in METHODS and not node.args and not node.keywords):
            yield node


@register("dataset-iterators", after=("py2-to-py3",),
          summary="dataset.make_one_shot_iterator() -> tf.compat.v1.data.make_one_shot_iterator(dataset)")
def dataset_iterators(ctx):
    calls = list(_iterator_calls(ctx))
    if not calls:
        return
    tf = ctx.tf_alias()
    spans = [ctx.index.node_span(call) for call in calls]
    for call, (start, end) in zip(calls, spans):
        # A call nested inside another one's receiver is left to a second run.
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans):
            continue
        receiver = ast.get_source_segment(ctx.source, call.func.value)
        ctx.replace_node(call, "%s.compat.v1.data.%s(%s)" % (tf, call.func.attr, receiver))
        ctx.report(INFO, "%s() is gone from TF 2 datasets: using tf.compat.v1.data.%s"
                   % (call.func.attr, call.func.attr), node=call)
