"""``ds.map(f, num_threads=N, output_buffer_size=M)`` (TF 1.2-1.4) -> TF 2 arguments.

``tf.contrib.data.Dataset.map`` took ``num_threads`` and ``output_buffer_size``; the core
``tf.data`` one takes ``num_parallel_calls`` and has no buffer.  The meaning is kept as in
``legacy_compat/patch/api_bridges.py``: ``.map(f, num_parallel_calls=N).prefetch(M)``.
"""
import ast

from legacy_compat.convert.findings import INFO
from legacy_compat.convert.registry import register

LEGACY = ("num_threads", "output_buffer_size")


def _legacy_map_calls(ctx):
    for node in ctx.nodes(ast.Call):
        if (isinstance(node.func, ast.Attribute)
                and node.func.attr == "map"
                and any(k.arg in LEGACY for k in node.keywords)):
            yield node


@register("dataset-map-args", after=("py2-to-py3",),
          summary="Dataset.map(num_threads=, output_buffer_size=) -> "
                  "map(num_parallel_calls=).prefetch()")
def dataset_map_args(ctx):
    calls = list(_legacy_map_calls(ctx))
    spans = [ctx.index.node_span(call) for call in calls]
    for call, (start, end) in zip(calls, spans):
        if any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans):
            continue  # nested in another legacy map's receiver: left to a second run
        segment = lambda node: ast.get_source_segment(ctx.source, node)  # noqa: E731
        arguments = [segment(a) for a in call.args]
        buffer_size = None
        for keyword in call.keywords:
            if keyword.arg == "num_threads":
                arguments.append("num_parallel_calls=" + segment(keyword.value))
            elif keyword.arg == "output_buffer_size":
                buffer_size = segment(keyword.value)
            elif keyword.arg is None:
                arguments.append("**" + segment(keyword.value))
            else:
                arguments.append("%s=%s" % (keyword.arg, segment(keyword.value)))
        text = "%s.map(%s)" % (segment(call.func.value), ", ".join(arguments))
        if buffer_size is not None:
            text += ".prefetch(%s)" % buffer_size
        ctx.replace_node(call, text)
        ctx.report(INFO, "Dataset.map(num_threads=, output_buffer_size=) is TF 1.2-1.4's "
                   "signature: now map(num_parallel_calls=)%s"
                   % (".prefetch()" if buffer_size is not None else ""), node=call)
