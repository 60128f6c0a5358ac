"""TF 1.x names -> tf.compat.v1 or TF 2.x names, from the pinned table."""
from legacy_compat.convert.findings import ERROR, INFO, WARNING
from legacy_compat.convert.names import rewrite_tf_chains
from legacy_compat.convert.registry import register
from legacy_compat.tables.tf_renames import SYMBOL_WARNINGS


def _selected(name):
    return not name.startswith(("tf.python", "tf.contrib", "tf.compat"))


# tf-contrib and tf-private-names write TF 1 names (tf.layers.*, ...) that this maps on.
@register("tf-renames", after=("tf-contrib", "tf-private-names"),
          summary="TF 1.x API names -> tf.compat.v1.* or their 2.x names (table pinned to TF 2.15)")
def tf_renames(ctx):
    imports = ctx.imports.names
    if not any(module.startswith("tf") for module in imports.values()):
        return
    for nodes, parts in ctx.parsed.chains:
        alias = imports.get(parts[0])
        if alias is None or not alias.startswith("tf"):
            continue
        canonical = ".".join(alias.split(".") + parts[1:])
        if canonical in SYMBOL_WARNINGS:
            severity, message = SYMBOL_WARNINGS[canonical]
            ctx.report(severity if severity in (ERROR, WARNING) else INFO,
                       "%s: %s" % (canonical, " ".join(message.split())), node=nodes[0])
    rewrite_tf_chains(ctx, _selected, "renamed")
