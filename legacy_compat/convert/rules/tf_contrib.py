"""tf.contrib uses -> TensorFlow 2 code; anything unknown is an ERROR."""
from legacy_compat.convert.names import rewrite_tf_chains
from legacy_compat.convert.registry import register


@register("tf-contrib", after=("py2-to-py3",),
          summary="tf.contrib.* -> tf.compat.v1 / tf.data / tf.keras names or local helpers")
def tf_contrib(ctx):
    rewrite_tf_chains(ctx, lambda name: name.startswith("tf.contrib"), "tf.contrib")
