"""Private ``tensorflow.python.*`` names -> public TensorFlow names."""
from legacy_compat.convert.names import rewrite_tf_chains
from legacy_compat.convert.registry import register


@register("tf-private-names", after=("py2-to-py3",),
          summary="tensorflow.python.* names (usually from imports) -> public tf.* names")
def tf_private_names(ctx):
    rewrite_tf_chains(ctx, lambda name: name.startswith("tf.python"), "private name")
