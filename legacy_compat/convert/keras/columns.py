"""Feature columns of a premade estimator -> Keras inputs and preprocessing layers.

``model_inputs`` returns the lines that define ``inputs`` (a dict of ``keras.Input``) and
``net`` (the dense input the estimator built from its columns). The DNN's input layer
concatenated the columns' dense tensors in the order of the columns' names; the names
(``age``, ``workclass_indicator``, ``a_X_b``, ...) follow TF 1.x's ``_FeatureColumn.name``.
"""
import ast
import math
import re

from legacy_compat.convert.keras import tables
from legacy_compat.convert.keras.source import NotTranslated, call_arguments

_PREFIX = "tf.feature_column."
# A constant the converter computes is written as its value when its repr is this short
# (``0.5``); a longer one (``0.35355339059327373``) reads better as its expression.
SHORT_CONSTANT = 6


class _Translation:
    def __init__(self, script, assigned, linear, inputs_name="inputs"):
        self.script, self.assigned, self.linear = script, assigned, linear
        self.inputs_name = inputs_name  # the dict of keras.Input the lines index
        self.inputs = {}   # key source -> keras.Input source
        self.lines = []
        self.uses_math = False
        self.named_keys = []

    # -- helpers --------------------------------------------------------------------------------
    def resolve(self, node):
        if isinstance(node, ast.Name) and node.id in self.assigned:
            return self.assigned[node.id]
        return node

    def column(self, node):
        node = self.resolve(node)
        name = self.script.canonical(node.func) if isinstance(node, ast.Call) else None
        if not (name or "").startswith(_PREFIX):
            raise NotTranslated(node, "a feature column `%s`" % self.script.segment(node)[:60])
        kind = name[len(_PREFIX):]
        entry = tables.FEATURE_COLUMNS.get(kind)
        if entry is None or not entry.translated:
            raise NotTranslated(node, "feature column %s (%s)" % (
                kind, "Keras: %s, not translated yet" % entry.keras if entry else "unknown"))
        return kind, node

    def literal(self, node, what):
        try:
            return ast.literal_eval(node)
        except (ValueError, SyntaxError, TypeError):
            raise NotTranslated(node, "%s that is not a literal" % what)

    def only(self, call, kind, positional, allowed, defaults=None):
        args = call_arguments(call, positional)
        for keyword in sorted(set(args) - set(allowed)):
            value = args[keyword]
            default = (defaults or {}).get(keyword)
            if default is not None and self.script.segment(value) in default:
                continue
            raise NotTranslated(value, "%s(%s=...) (not translated)" % (kind, keyword))
        return args

    def key(self, node):
        """The key as the column names it (a string literal, or a name the script defines:
        its source, whose order among other columns is then unknown)."""
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return node.value
        if isinstance(node, ast.Name):
            self.named_keys.append(node.id)
            return _Source(node.id)
        raise NotTranslated(node, "a feature key that is neither a string nor a name")

    def add_input(self, key, dtype, shape="(1,)"):
        text = "keras.Input(shape=%s, %sname=%s)" % (
            shape, 'dtype="%s", ' % dtype if dtype else "", _text(key))
        if self.inputs.setdefault(_text(key), text) != text:
            raise NotTranslated(None, "feature %s used with two dtypes or shapes" % _text(key))
        return "%s[%s]" % (self.inputs_name, _text(key))

    # -- columns -> (name, expression of the dense tensor) ---------------------------------------
    def numeric(self, call):
        args = self.only(call, "numeric_column",
                         ("key", "shape", "default_value", "dtype", "normalizer_fn"),
                         ("key", "shape"), {"dtype": ("tf.float32",)})
        key = self.key(args["key"])
        shape = args.get("shape")
        if shape is None:
            shape_text = "(1,)"
        else:
            shape_text = numeric_shape(self.script, shape, self.assigned)
        return key, shape_text

    def categorical(self, node, output_mode):
        """(column name, expression): ``output_mode`` "one_hot" for the one-hot vector,
        "int" for ids an Embedding takes (with their count as a third item)."""
        kind, call = self.column(node)
        layer = tables.CATEGORICAL_LAYERS.get(kind)
        one_hot = ', output_mode="one_hot"' if output_mode == "one_hot" else ""
        if kind == "categorical_column_with_vocabulary_list":
            args = self.only(call, kind, ("key", "vocabulary_list", "dtype", "default_value",
                                          "num_oov_buckets"),
                             ("key", "vocabulary_list", "dtype", "num_oov_buckets"),
                             {"default_value": ("-1",)})
            key = self.key(args["key"])
            vocabulary = self.literal(args["vocabulary_list"], "a vocabulary list")
            integers = all(isinstance(v, int) for v in vocabulary)
            if integers:
                layer = "IntegerLookup"
            elif not all(isinstance(v, str) for v in vocabulary):
                raise NotTranslated(call, "a vocabulary of mixed types")
            oov = self.literal(args["num_oov_buckets"], "num_oov_buckets") \
                if "num_oov_buckets" in args else 0
            ids = self.add_input(key, "int64" if integers else "string")
            lookup = "keras.layers.%s(vocabulary=%s, num_oov_indices=%d%s)(%s)" % (
                layer, self.script.segment(args["vocabulary_list"]), max(oov, 1), one_hot, ids)
            if oov == 0:
                if output_mode != "one_hot":
                    raise NotTranslated(call, "embedding_column over a vocabulary without "
                                        "num_oov_buckets (TF 1.x embedded unknown values as "
                                        "zeros)")
                # Keras puts unknown values in slot 0; TF 1.x gave them all zeros
                lookup += "[:, 1:]"
            return key, lookup, "%d" % (len(vocabulary) + oov)
        if kind == "categorical_column_with_vocabulary_file":
            args = self.only(call, kind, ("key", "vocabulary_file", "vocabulary_size",
                                          "num_oov_buckets", "default_value", "dtype"),
                             ("key", "vocabulary_file", "num_oov_buckets"),
                             {"dtype": ("tf.string",), "default_value": ("-1", "None")})
            key = self.key(args["key"])
            oov = self.literal(args["num_oov_buckets"], "num_oov_buckets") \
                if "num_oov_buckets" in args else 0
            if oov == 0 and output_mode != "one_hot":
                raise NotTranslated(call, "embedding_column over a vocabulary without "
                                    "num_oov_buckets (TF 1.x embedded unknown values as zeros)")
            lookup = "keras.layers.StringLookup(vocabulary=%s, num_oov_indices=%d%s)(%s)" % (
                self.script.segment(args["vocabulary_file"]), max(oov, 1), one_hot,
                self.add_input(key, "string"))
            if oov == 0:
                lookup += "[:, 1:]"  # Keras' slot for unknown values; TF 1.x gave all zeros
            raise_size = NotTranslated(call, "embedding_column over a vocabulary file")
            if output_mode != "one_hot":
                raise raise_size  # its size is only known once the file is read
            return key, lookup, None
        if kind == "categorical_column_with_hash_bucket":
            args = self.only(call, kind, ("key", "hash_bucket_size", "dtype"),
                             ("key", "hash_bucket_size", "dtype"))
            key = self.key(args["key"])
            dtype = self.script.segment(args["dtype"]) if "dtype" in args else "tf.string"
            size = self.script.segment(args["hash_bucket_size"])
            ids = self.add_input(key, "string" if dtype == "tf.string" else dtype[3:])
            return key, "keras.layers.Hashing(num_bins=%s%s)(%s)" % (size, one_hot, ids), size
        if kind == "categorical_column_with_identity":
            args = self.only(call, kind, ("key", "num_buckets", "default_value"),
                             ("key", "num_buckets"), {"default_value": ("None",)})
            key = self.key(args["key"])
            size = self.script.segment(args["num_buckets"])
            ids = self.add_input(key, "int64")
            if output_mode == "one_hot":
                # one id per example: the layer's default (multi-hot) is its one-hot vector
                return key, "keras.layers.CategoryEncoding(num_tokens=%s)(%s)" % (size, ids), size
            return key, ids, size
        if kind == "crossed_column":
            args = self.only(call, kind, ("keys", "hash_bucket_size", "hash_key"),
                             ("keys", "hash_bucket_size"))
            keys = args["keys"]
            if not isinstance(keys, (ast.List, ast.Tuple)) or len(keys.elts) != 2 or not all(
                    isinstance(k, ast.Constant) and isinstance(k.value, str) for k in keys.elts):
                raise NotTranslated(keys, "crossed_column of other than two raw string keys")
            names = [k.value for k in keys.elts]
            size = self.script.segment(args["hash_bucket_size"])
            pair = "(%s)" % ", ".join(self.add_input(k, "string") for k in names)
            return "_X_".join(sorted(names)), "keras.layers.HashedCrossing(num_bins=%s%s)(%s)" % (
                size, one_hot, pair), size
        if kind == "bucketized_column":
            args = self.only(call, kind, ("source_column", "boundaries"),
                             ("source_column", "boundaries"))
            source_kind, source = self.column(args["source_column"])
            if source_kind != "numeric_column":
                raise NotTranslated(source, "bucketized_column of a %s" % source_kind)
            key, shape = self.numeric(source)
            if shape != "(1,)":
                raise NotTranslated(source, "bucketized_column of a non-scalar numeric_column")
            boundaries = self.script.segment(args["boundaries"])
            ids = self.add_input(key, None)
            name = key + "_bucketized"
            if output_mode == "one_hot":
                return name, "keras.layers.Discretization(bin_boundaries=%s%s)(%s)" % (
                    boundaries, one_hot, ids), None
            return name, "keras.layers.Discretization(bin_boundaries=%s)(%s)" % (
                boundaries, ids), "len(%s) + 1" % boundaries
        raise NotTranslated(call, "%s where a categorical column is expected" % kind)

    def dense(self, node):
        """(column name, expression of its dense tensor)."""
        kind, call = self.column(node)
        if kind == "numeric_column":
            key, shape = self.numeric(call)
            return key, self.add_input(key, None, shape)
        if kind == "indicator_column":
            args = self.only(call, kind, ("categorical_column",), ("categorical_column",))
            name, expression, _ = self.categorical(args["categorical_column"], "one_hot")
            return name + "_indicator", expression
        if kind == "embedding_column":
            args = self.only(call, kind, ("categorical_column", "dimension", "combiner"),
                             ("categorical_column", "dimension"), {"combiner": ("'mean'",
                                                                               '"mean"')})
            name, ids, size = self.categorical(args["categorical_column"], "int")
            dimension = self.script.segment(args["dimension"])
            initializer = tables.EMBEDDING_INITIALIZER.format(stddev=_stddev(dimension))
            self.uses_math = "math." in initializer
            # combiner "mean" over the example's ids
            return name + "_embedding", (
                "keras.ops.mean(keras.layers.Embedding(%s, %s, embeddings_initializer=%s)(%s), "
                "axis=1)" % (size, dimension, initializer, ids))
        if kind == "bucketized_column" or self.linear:
            # a linear model weighs each category: the one-hot vector times a Dense layer
            name, expression, _ = self.categorical(call, "one_hot")
            return name, expression
        raise NotTranslated(call, "%s given to a DNN without indicator_column or "
                            "embedding_column" % kind)


def numeric_shape(script, shape, assigned=None):
    """numeric_column's ``shape`` (an int or a list/tuple of ints) as a keras.Input shape. A
    name is looked up in ``assigned``, else where the script assigns it (once): an int
    is ``(name,)``, a list or tuple ``tuple(name)``; a name holding something else, or
    assigned more than once in the script, is NotTranslated."""
    value = shape
    if isinstance(shape, ast.Name):
        value = (assigned or {}).get(shape.id)
        if value is None:
            values = [n.value for n in ast.walk(script.tree) if isinstance(n, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == shape.id for t in n.targets)]
            value = values[0] if len(values) == 1 else None
    if isinstance(value, (ast.List, ast.Tuple)):
        if value is shape:
            return "(%s,)" % ", ".join(script.segment(d) for d in shape.elts)
        return "tuple(%s)" % shape.id
    if isinstance(value, ast.Constant) and type(value.value) is int:
        return "(%s,)" % script.segment(shape)
    raise NotTranslated(shape, "numeric_column(shape=%s): a shape that is not an int or a list "
                        "of them the script writes" % script.segment(shape)[:40])


class _Source(str):
    """A feature key given by a name in the script: written as is, not quoted."""


def _text(key):
    return str(key) if isinstance(key, _Source) else repr(key)


def _stddev(dimension):
    """embedding_column's standard deviation 1/sqrt(dimension) as source: its value when the
    dimension is a number and the value a short one (``0.5``), else the expression."""
    try:
        value = 1 / math.sqrt(int(dimension))
    except (ValueError, ZeroDivisionError):
        return "1 / math.sqrt(%s)" % dimension
    return repr(value) if len(repr(value)) <= SHORT_CONSTANT else "1 / math.sqrt(%s)" % dimension


def _identifier(name):
    return re.sub(r"\W", "_", name)


def model_inputs(script, columns, assigned, linear):
    """(lines, the number of columns as source, uses math) for a list of feature columns."""
    translation = _Translation(script, assigned, linear)
    part, count = _dense_part(translation, columns, "net")
    return _inputs_lines(translation.inputs) + translation.lines + part, count, \
        translation.uses_math


def input_layer(script, columns, assigned, features, target):
    """``target = tf.feature_column.input_layer(features, columns)`` in a model_fn: (the
    keras.Input of each feature key, lines computing ``target`` from the dict ``features`` of
    them, uses math). TF 1.x's input_layer is the DNN estimators' (columns in name order)."""
    translation = _Translation(script, assigned, False, features)
    part, _ = _dense_part(translation, columns, target)
    return translation.inputs, translation.lines + part, translation.uses_math


def wide_deep_inputs(script, linear_columns, dnn_columns, assigned):
    """DNNLinearCombined*'s columns: (lines defining ``inputs``, the linear part's input and
    ``net``, the number of linear columns as source, uses math, the expression of the linear
    part's input: ``linear_net``, or the input itself for one numeric column). The parts share
    the inputs."""
    linear = _Translation(script, assigned, True)
    resolved = linear.resolve(linear_columns)
    for element in getattr(resolved, "elts", []):
        if linear.column(element)[0] == "embedding_column":
            # its embedding was a variable of the linear part, trained by the linear optimizer
            raise NotTranslated(element, "embedding_column in linear_feature_columns")
    linear_part, count = _dense_part(linear, linear_columns, "linear_net", "linear_")
    linear_net = "linear_net"
    if len(linear_part) == 1 and linear_part[0][len("linear_net = "):] in (
            "inputs[%s]" % key for key in linear.inputs):
        linear_net = linear_part.pop()[len("linear_net = "):]
    dnn = _Translation(script, assigned, False)
    dnn.inputs = linear.inputs
    dnn_part, _ = _dense_part(dnn, dnn_columns, "net")
    return (_inputs_lines(linear.inputs) + linear.lines + dnn.lines + linear_part + dnn_part,
            count, linear.uses_math or dnn.uses_math, linear_net)


def _inputs_lines(inputs):
    """``inputs = {...}`` on one line (wrap.py wraps it as a person would)."""
    return ["inputs = {%s}" % ", ".join("%s: %s" % (k, v) for k, v in inputs.items())]


def _dense_part(translation, columns, target, prefix=""):
    """(lines defining ``target``, the dense input of the columns; their number as source)."""
    columns = translation.resolve(columns)
    if not isinstance(columns, (ast.List, ast.Tuple)):
        raise NotTranslated(columns, "feature_columns that are not a list of columns")
    dense = {}
    for element in columns.elts:
        name, expression = translation.dense(element)
        if name in dense:
            raise NotTranslated(element, "two feature columns named %r" % name)
        dense[name] = expression
    if translation.named_keys and len(dense) > 1:
        raise NotTranslated(columns, "feature keys given by names (%s): the order of the "
                            "columns' names is unknown" % ", ".join(translation.named_keys))
    names = sorted(dense)  # the input layer's order: the columns' names
    if len(names) == 1:
        return ["%s = %s" % (target, dense[names[0]])], "1"
    lines = []
    raw = {n for n in names if dense[n] == "%s[%s]" % (translation.inputs_name, _text(n))}
    for name in names:
        if name not in raw:
            lines.append("%s%s = %s" % (prefix, _identifier(name), dense[name]))
    parts = [dense[n] if n in raw else prefix + _identifier(n) for n in names]
    lines.append("# the columns in the order of their names, as TF 1.x's input layer")
    lines.append("%s = keras.layers.Concatenate()([%s])" % (target, ", ".join(parts)))
    return lines, str(len(names))
