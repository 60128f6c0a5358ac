"""``from sagemaker_tensorflow import PipeModeDataset`` -> the real one, or the stand-in.

No SageMaker image ships ``sagemaker_tensorflow`` for TF >= 2.15, and none exists outside
SageMaker, so a converted script falls back to ``legacy-compat train``'s stand-in
(legacy_compat/portable/pipemode.py), imported from the support module beside the
script (copied into the script with ``--single-file``). The file says so at its top.
"""
import ast

from legacy_compat.convert import helpers
from legacy_compat.convert.findings import INFO
from legacy_compat.convert.registry import register

NOTE = ("# Pipe mode (added by legacy-compat convert): when the sagemaker_tensorflow package is\n"
        "# not installed, PipeModeDataset reads a Pipe mode channel's FIFOs (<channel>_<epoch>)\n"
        "# itself, and otherwise the channel's TFRecord files from disk (SM_CHANNEL_<NAME>,\n"
        "# then /opt/ml/input/data/<name>), in sorted order.\n")
FALLBACK = ("try:\n"
            "    from sagemaker_tensorflow import PipeModeDataset\n"
            "except ImportError:  # see the note at the top of this file\n"
            "    from %s import PipeModeDataset\n" % helpers.SUPPORT_MODULE)
SINGLE_FILE_FALLBACK = ("try:\n"
                        "    from sagemaker_tensorflow import PipeModeDataset\n"
                        "except ImportError:  # see the note at the top of this file\n"
                        "    def PipeModeDataset(*args, **kwargs):\n"
                        "        return %s(*args, **kwargs)\n"
                        % helpers.SINGLE_FILE_RENAMES["PipeModeDataset"])


def _pipe_imports(tree):
    for node in tree.body:
        if (isinstance(node, ast.ImportFrom) and node.module == "sagemaker_tensorflow"
                and not node.level and [a.name for a in node.names] == ["PipeModeDataset"]
                and node.names[0].asname is None):
            yield node


@register("pipe-mode", after=("py2-to-py3",),
          summary="sagemaker_tensorflow.PipeModeDataset -> the real one, else the stand-in")
def pipe_mode(ctx):
    nodes = list(_pipe_imports(ctx.tree))
    if not nodes:
        return
    fallback = SINGLE_FILE_FALLBACK if ctx.settings.single_file else FALLBACK
    for node in nodes:
        ctx.replace_node(node, fallback.rstrip("\n"))
        ctx.report(INFO, "PipeModeDataset falls back to reading the channel's TFRecord files "
                   "when sagemaker_tensorflow is not installed", node=node)
    ctx.need_helper("pipe_mode_dataset")
    first = ctx.tree.body[0]
    is_docstring = (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str))
    offset = ctx.index.node_span(first)[1] if is_docstring else 0
    if is_docstring:
        ctx.replace_span(offset, offset, "\n" + NOTE.rstrip("\n"))
    else:
        ctx.replace_span(0, 0, NOTE)
