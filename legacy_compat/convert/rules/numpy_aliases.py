"""``np.int``-style aliases (removed in NumPy 1.24) -> the builtins."""
from legacy_compat.convert.findings import INFO
from legacy_compat.convert.registry import register
from legacy_compat.convert.tables.numpy_aliases import BUILTIN_ALIASES


@register("numpy-aliases", after=("py2-to-py3",), summary="np.int / np.float / ... -> int / float / ...")
def numpy_aliases(ctx):
    imports = ctx.imports.names
    if not imports:
        return
    for nodes, parts in ctx.parsed.chains:
        if parts[0] not in imports or len(nodes) < 2:
            continue
        canonical = ".".join([imports[parts[0]]] + parts[1:])
        builtin = BUILTIN_ALIASES.get(canonical)
        if builtin:
            ctx.replace_node(nodes[-1], builtin)
            ctx.report(INFO, "replaced %s with %s" % (".".join(parts), builtin), node=nodes[-1])
