"""The model builders: ``keras_model_fn`` kept, ``estimator_fn`` (premade) and ``model_fn``
rewritten as a function returning a compiled Keras model.

Each translator returns a ``Builder``: the replacement source of the builder function (None:
keep it), how ``main`` calls it, and the lines of the serving function that compute the
legacy export's outputs from ``features``.
"""
import ast
import dataclasses
import io
import math
import re
import textwrap
import tokenize
from keyword import iskeyword
from typing import List, Optional

from legacy_compat.convert.keras import names, tables
from legacy_compat.convert.keras import columns as feature_columns
from legacy_compat.convert.keras.columns import model_inputs, numeric_shape, wide_deep_inputs
from legacy_compat.convert.keras.source import (
    NotTranslated, Script, body_indent, call_arguments, dotted)
from legacy_compat.convert.textpos import Edit, apply_edits

MODE_PREDICT = ("tf.estimator.ModeKeys.PREDICT",)
INPUT_LAYER = ("tf.feature_column.input_layer",)
ESTIMATOR_SPEC = ("tf.estimator.EstimatorSpec",)


@dataclasses.dataclass
class Builder:
    name: str                   # the function main calls
    replacement: Optional[str]  # its new source (None: the user's function is kept)
    outputs: List[str]          # serving lines from ``features`` to ``return {...}``
    parsing_input: str          # the input key of a parsing signature
    # a function main maps the datasets through (label ids, sample weights), or None
    examples: Optional[str] = None
    # functions of the script that only the replaced builder used (a feature-columns helper)
    removed: List[ast.FunctionDef] = dataclasses.field(default_factory=list)
    # it takes its keras.Input (no serving_input_fn gave their shapes): keras_job.feature_inputs
    feature_inputs: bool = False


def _is_docstring(statement):
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) and \
        isinstance(statement.value.value, str)


# -- keras_model_fn ------------------------------------------------------------------------------
def keras_model_fn(script, function):
    compiles = [n for n in ast.walk(function) if isinstance(n, ast.Call)
                and isinstance(n.func, ast.Attribute) and n.func.attr == "compile"]
    if not compiles:
        raise NotTranslated(function, "keras_model_fn returns a model it does not compile")
    outputs = ["return keras_job.named_outputs(model, model(features))"]
    return Builder("keras_model_fn", None, outputs, "examples")


# -- premade estimators ------------------------------------------------------------------------
def estimator_fn(script, function):
    assigned, estimator, seed = {}, None, None
    for statement in function.body:
        if _is_docstring(statement):
            continue
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Name):
            assigned[statement.targets[0].id] = statement.value
            value = statement.value
        elif isinstance(statement, ast.Return):
            value = statement.value
        else:
            raise NotTranslated(statement, "estimator_fn statement `%s`"
                                % script.line_of(statement))
        if isinstance(value, ast.Name) and value.id in assigned:
            value = assigned[value.id]
        if isinstance(value, ast.Call) and (script.canonical(value.func) or "").startswith(
                "tf.estimator."):
            estimator = value
    if estimator is None:
        raise NotTranslated(function, "estimator_fn does not return a premade estimator")
    name = script.canonical(estimator.func).rsplit(".", 1)[-1]
    premade = tables.PREMADE.get(name)
    if premade is None:
        raise NotTranslated(estimator, "tf.estimator.%s" % name)
    wide_deep = premade.linear_optimizer is not None
    args = call_arguments(estimator, ("model_dir",) if wide_deep else ("feature_columns",)
                          if premade.kind.startswith("linear") else
                          ("hidden_units", "feature_columns"))
    supported = {"feature_columns", "hidden_units", "n_classes", "config", "optimizer",
                 "activation_fn", "dropout", "label_dimension", "model_dir", "label_vocabulary",
                 "weight_column"}
    if wide_deep:  # its dnn_* keywords are the DNN estimators' ones
        if set(args) & {"feature_columns", "optimizer", "hidden_units"}:
            raise NotTranslated(estimator, "%s with arguments it does not take" % name)
        supported |= {"linear_feature_columns", "linear_optimizer"}
        args = {tables.WIDE_DEEP_KEYWORDS.get(k, k): v for k, v in args.items()}
    for keyword in sorted(set(args) - supported):
        raise NotTranslated(args[keyword], "%s(%s=...) (not translated yet)" % (name, keyword))
    config = args.get("config")
    if config is not None:
        seed = _config_seed(script, config)
    columns = args.get("feature_columns")
    if isinstance(columns, ast.Name) and columns.id in assigned:
        columns = assigned[columns.id]
    if wide_deep:
        if "linear_feature_columns" not in args or columns is None:
            raise NotTranslated(estimator, "%s without both linear_feature_columns and "
                                "dnn_feature_columns" % name)
        inputs, linear_count, _, linear_net = wide_deep_inputs(
            script, args["linear_feature_columns"], columns, assigned)
        count = None
    elif isinstance(columns, (ast.List, ast.Tuple)):
        inputs, count, _ = model_inputs(script, columns, assigned,
                                        premade.kind.startswith("linear"))
    else:
        inputs, count = _inputs(script, columns)
    params = function.args.args[1].arg if len(function.args.args) > 1 else "hyperparameters"
    indent = "    "
    lines = ['def keras_model_fn(%s):' % params]
    lines += [indent + comment for comment in _comments(script, function)]
    if seed is not None:  # the RunConfig's tf_random_seed
        lines.append("%skeras.utils.set_random_seed(%s)" % (indent, seed))
    lines += [indent + line for line in inputs]
    if premade.kind.startswith(("dnn", "wide_deep")):
        if "hidden_units" not in args:
            raise NotTranslated(estimator, "%s without hidden_units" % name)
        hidden = script.segment(args["hidden_units"])
        activation = script.segment(args["activation_fn"]) if "activation_fn" in args \
            else '"%s"' % premade.activation
        layer = "net = keras.layers.Dense(units, activation=%s)(net)" % activation
        dropout = "net = keras.layers.Dropout(%s)(net)" % script.segment(args["dropout"]) \
            if "dropout" in args else None
        units_node = args["hidden_units"]
        if isinstance(units_node, (ast.List, ast.Tuple)) and len(units_node.elts) == 1:
            # one hidden layer: written as one, not as a loop over a one-item list
            layer = layer.replace("(units,", "(%s," % script.segment(units_node.elts[0]), 1)
            lines += [indent + line for line in (layer, dropout) if line]
        else:
            lines.append("%sfor units in %s:" % (indent, hidden))
            lines += [indent * 2 + line for line in (layer, dropout) if line]
    classifier = premade.kind.endswith("classifier")
    n_classes = script.segment(args["n_classes"]) if "n_classes" in args else "2"
    binary = classifier and n_classes == "2"
    if classifier:
        units = "1" if binary else n_classes
    else:
        units = script.segment(args["label_dimension"]) if "label_dimension" in args else "1"
    if premade.kind.startswith("linear"):  # TF 1.x's linear model starts from zero weights
        lines.append('%smodel = keras.Model(inputs, keras.layers.Dense(%s, kernel_initializer='
                     '"zeros")(net))' % (indent, units))
    elif wide_deep:
        lines.append('%slinear_logits = keras.layers.Dense(%s, kernel_initializer="zeros", '
                     'name="linear")(%s)' % (indent, units, linear_net))
        lines.append("%smodel = keras_job.WideAndDeep(inputs, linear_logits, "
                     "keras.layers.Dense(%s)(net))" % (indent, units))
    else:
        lines.append("%smodel = keras.Model(inputs, keras.layers.Dense(%s)(net))"
                     % (indent, units))
    optimizers = [("optimizer", _premade_optimizer(script, args.get("optimizer"),
                                                   premade.optimizer, count))]
    if wide_deep:
        optimizers.insert(0, ("linear_optimizer", _premade_optimizer(
            script, args.get("linear_optimizer"), premade.linear_optimizer, linear_count)))
    reduction = 'reduction="%s"' % tables.HEAD_REDUCTION
    if binary:
        loss = "keras.losses.BinaryCrossentropy(from_logits=True, %s)" % reduction
        metrics = ['keras.metrics.BinaryAccuracy("accuracy", threshold=0.0)',
                   'keras.metrics.BinaryCrossentropy("average_loss", from_logits=True)',
                   'keras.metrics.AUC(name="auc", from_logits=True)']
    elif classifier:
        loss = "keras.losses.SparseCategoricalCrossentropy(from_logits=True, %s)" % reduction
        metrics = ['keras.metrics.SparseCategoricalAccuracy("accuracy")',
                   'keras.metrics.SparseCategoricalCrossentropy("average_loss", '
                   'from_logits=True)']
    else:
        loss = "keras.losses.MeanSquaredError(%s)" % reduction
        metrics = ['keras.metrics.MeanSquaredError(name="average_loss")']
    weights = _weight_key(script, args.get("weight_column"), assigned)
    # metrics: weighted by the weight column as TF 1.x's eval metrics were
    keyword = "weighted_metrics" if weights else "metrics"
    # the estimator's name, which the function no longer says
    lines += _compile(indent, optimizers + [("loss", loss), (keyword, metrics)],
                      "%s's head (TF 1.x) sums the training loss over the batch" % name)
    lines.append("%sreturn model" % indent)
    vocabulary = script.segment(args["label_vocabulary"]) if "label_vocabulary" in args \
        else None
    if vocabulary is not None and not classifier:
        raise NotTranslated(args["label_vocabulary"], "label_vocabulary of a regressor")
    examples = None
    if vocabulary is not None or weights:
        # what the estimator did to the examples (label strings -> class ids, the weight
        # column -> sample weights), keras_job's: a plain function of the dataset
        examples = "keras_job.Examples(%s)" % ", ".join(
            "%s=%s" % (k, v) for k, v in (("label_vocabulary", vocabulary),
                                          ("weight_column", weights)) if v)
    if classifier:  # the canned head's export: softmax (one logit: sigmoid) scores, classes
        outputs = ["return keras_job.classes_and_scores(model(features), %s)"
                   % (vocabulary or n_classes)]
    else:
        outputs = ['return {"outputs": model(features)}']
    text = "\n".join(lines) + "\n"
    return Builder("keras_model_fn", text, outputs, "inputs", examples)


def _comments(script, function):
    """The comments of a function's body (on lines of their own or after code), in order: the
    premade conversion rewrites its statements, not the user's reasons."""
    text = textwrap.dedent("".join(script.index.lines[function.lineno - 1:function.end_lineno]))
    try:
        return [token.string for token in tokenize.generate_tokens(io.StringIO(text).readline)
                if token.type == tokenize.COMMENT]
    except (tokenize.TokenError, SyntaxError):
        return []


def _weight_key(script, node, assigned):
    """The feature key of weight_column (a key or a numeric_column), as source; None."""
    if node is None:
        return None
    if isinstance(node, ast.Name) and node.id in assigned:
        node = assigned[node.id]
    if isinstance(node, ast.Call):
        if (script.canonical(node.func) or "") != "tf.feature_column.numeric_column":
            raise NotTranslated(node, "a weight_column that is not a key or numeric_column")
        args = call_arguments(node, ("key", "shape", "default_value", "dtype", "normalizer_fn"))
        if set(args) != {"key"}:
            raise NotTranslated(node, "a weight_column numeric_column with settings")
        node = args["key"]
    return script.segment(node)


def _config_seed(script, config):
    """``run_config.replace(tf_random_seed=s)`` keeps its seed; a plain ``run_config`` nothing."""
    if isinstance(config, ast.Name):
        return None
    if isinstance(config, ast.Call) and isinstance(config.func, ast.Attribute) and \
            config.func.attr == "replace" and isinstance(config.func.value, ast.Name):
        keywords = {k.arg: k.value for k in config.keywords}
        if set(keywords) == {"tf_random_seed"} and not config.args:
            return script.segment(keywords["tf_random_seed"])
    raise NotTranslated(config, "a RunConfig with settings other than tf_random_seed")


def _inputs(script, columns):
    """Lines defining ``inputs`` (a dict of keras.Input) and ``net`` (the DNN's first input),
    and the number of feature columns (source)."""
    if isinstance(columns, ast.ListComp) and len(columns.generators) == 1:
        generator = columns.generators[0]
        key, shape = _numeric(script, columns.elt)
        if generator.ifs or not isinstance(generator.target, ast.Name):
            raise NotTranslated(columns, "a feature column comprehension with conditions")
        source = script.segment(generator.iter)
        lines = ["inputs = {%s: keras.Input(shape=%s, name=%s) for %s in %s}" % (
            key, shape, key, generator.target.id, source)]
        count = "len(%s)" % source
    elif isinstance(columns, (ast.List, ast.Tuple)):
        keys = []
        for element in columns.elts:
            keys.append(_numeric(script, element))
        entries = ["%s: keras.Input(shape=%s, name=%s)" % (k, s, k) for k, s in keys]
        lines = ["inputs = {%s}" % ", ".join(entries)]  # wrap.py wraps it
        count = str(len(keys))
        if len(keys) == 1:
            lines.append("net = inputs[%s]" % keys[0][0])
            return lines, count
    else:
        raise NotTranslated(columns, "feature_columns that are not a list of columns")
    # The DNN's input layer concatenated the columns in the order of their names.
    lines.append("net = keras.layers.Concatenate()([inputs[key] for key in sorted(inputs)])")
    return lines, count


def _numeric(script, call):
    name = script.canonical(call.func) if isinstance(call, ast.Call) else None
    column = (name or "").rsplit(".", 1)[-1]
    if not (name or "").startswith("tf.feature_column."):
        raise NotTranslated(call, "a feature column `%s`" % script.segment(call)[:60])
    if column != "numeric_column":
        entry = tables.FEATURE_COLUMNS.get(column)
        raise NotTranslated(call, "feature column %s (%s)" % (
            column, "Keras: %s, not translated yet" % entry.keras if entry else "unknown"))
    args = call_arguments(call, ("key", "shape", "default_value", "dtype", "normalizer_fn"))
    if set(args) - {"key", "shape"}:
        raise NotTranslated(call, "numeric_column with %s" % ", ".join(sorted(set(args) - {
            "key", "shape"})))
    shape = args.get("shape")
    shape_text = "(1,)" if shape is None else numeric_shape(script, shape)
    return script.segment(args["key"]), shape_text


def _premade_optimizer(script, node, default, count):
    keras_name, rate = default
    rate = rate.format(n=count)
    bound = re.match(r"min\(([0-9.]+), 1 / math\.sqrt\(([0-9]+)\)\)$", rate)
    if bound and float(bound.group(1)) <= 1 / math.sqrt(int(bound.group(2))):
        rate = bound.group(1)  # the number of columns known: the rate the estimator chose
    if node is None:
        return "keras.optimizers.%s(learning_rate=%s)" % (keras_name, rate)
    if isinstance(node, ast.Constant) and node.value in tables.OPTIMIZER_NAMES:
        return "keras.optimizers.%s(learning_rate=%s)" % (
            tables.OPTIMIZER_NAMES[node.value], rate)
    return script.segment(node)  # an optimizer instance: the names pass translates it


def _compile(indent, arguments, comment=None):
    """The lines of ``model.compile(...)`` at ``indent``: ``arguments`` (keyword, source, or a
    list of sources for a list) one to a line, aligned with the bracket (the metrics on one
    line, or one to a line under the first); where that is wider than 100 columns, each on
    a line of its own under ``model.compile(`` (wrap.py then wraps what is still too long).
    ``comment``, on what the arguments do, goes after that ``model.compile(`` where it fits,
    else on the line before."""
    above = ["%s# %s" % (indent, comment)] if comment else []
    head = indent + "model.compile("
    lines = []
    for keyword, value in arguments:
        prefix = (head if not lines else " " * len(head)) + keyword + "="
        if isinstance(value, list):
            one = prefix + "[%s]" % ", ".join(value)
            if len(one) + 2 <= 100:
                lines.append(one)
            else:
                lines.append(prefix + "[" + (",\n" + " " * (len(prefix) + 1)).join(value) + "]")
        else:
            lines.append(prefix + value)
    aligned = ",\n".join(lines) + ")"
    if max(len(line) for line in aligned.split("\n")) <= 100:
        return above + aligned.split("\n")
    lines = [indent + "model.compile("]
    if comment and len(lines[0] + "  # " + comment) <= 100:
        lines, above = [lines[0] + "  # " + comment], []
    for number, (keyword, value) in enumerate(arguments):
        end = ")" if number == len(arguments) - 1 else ","
        if isinstance(value, list):
            prefix = indent + "    %s=[" % keyword
            value = (",\n" + " " * len(prefix)).join(value) + "]"
            lines += (prefix + value + end).split("\n")
        else:
            lines.append(indent + "    %s=%s%s" % (keyword, value, end))
    return above + lines


# -- model_fn ------------------------------------------------------------------------------------
def _unlist(node):
    """``zip(...)`` for ``list(zip(...))`` (the py2-to-py3 rule's wrapping)."""
    if isinstance(node, ast.Call) and dotted(node.func) == "list" and len(node.args) == 1 and \
            not node.keywords and isinstance(node.args[0], ast.Call) and \
            dotted(node.args[0].func) == "zip":
        return node.args[0]
    return node


def _wrapped(head, call):
    """``head + call`` + newline; a call too long for 100 columns with its arguments on the
    lines under it, as many to a line as fit."""
    if len(head) + len(call) < 100:
        return head + call + "\n"
    node = ast.parse(call, mode="eval").body
    if not isinstance(node, ast.Call) or not (node.args or node.keywords):
        return head + call + "\n"
    indent = " " * (len(head) - len(head.lstrip()) + 4)
    arguments = [ast.get_source_segment(call, a) for a in node.args] + [
        "%s=%s" % (k.arg, ast.get_source_segment(call, k.value)) for k in node.keywords]
    lines, line = [], ""
    for argument in arguments:
        if line and len(indent) + len(line) + len(argument) + 3 > 100:
            lines.append(indent + line + ",\n")
            line = ""
        line += (", " if line else "") + argument
    return "%s%s(\n%s%s%s)\n" % (head, ast.get_source_segment(call, node.func), "".join(lines),
                                 indent, line)


def _snake(keras_class):
    """``BatchNormalization`` -> ``batch_normalization`` (``Conv2D`` -> ``conv2d``)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", "_", keras_class).lower()


def _keras_aliases(script):
    """Module-level names of Keras layer classes: ``Dense = tf.keras.layers.Dense`` and
    ``from tensorflow.keras.layers import Dense`` -> {"Dense": "tf.keras.layers.Dense"}."""
    aliases = {}
    for node in script.tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and \
                isinstance(node.targets[0], ast.Name):
            name = script.canonical(node.value) or ""
            if name.startswith("tf.keras.layers."):
                aliases[node.targets[0].id] = name
        elif isinstance(node, ast.ImportFrom) and (node.module or "").endswith("keras.layers"):
            for alias in node.names:
                aliases[alias.asname or alias.name] = "tf.keras.layers." + alias.name
    return aliases


def _is_update_ops(script, node):
    """``tf.get_collection(tf.GraphKeys.UPDATE_OPS)``."""
    return isinstance(node, ast.Call) and script.canonical(node.func) == "tf.get_collection" \
        and len(node.args) == 1 and not node.keywords and \
        script.canonical(node.args[0]) == tables.UPDATE_OPS


def _update_ops_with(script, statement, names):
    """``with tf.control_dependencies(<the UPDATE_OPS collection, or a name holding it>):``"""
    if not (isinstance(statement, ast.With) and len(statement.items) == 1 and
            statement.items[0].optional_vars is None):
        return False
    call = statement.items[0].context_expr
    return isinstance(call, ast.Call) and \
        script.canonical(call.func) == "tf.control_dependencies" and len(call.args) == 1 and \
        not call.keywords and (_is_update_ops(script, call.args[0]) or (
            isinstance(call.args[0], ast.Name) and call.args[0].id in names))


def update_ops_dependencies(script):
    """The ``tf.control_dependencies`` names of the UPDATE_OPS pattern in the script's
    model_fn, which the scan for untranslatable constructs lets through (the model_fn
    translator checks the pattern itself)."""
    names = {node.targets[0].id for node in ast.walk(script.tree)
             if isinstance(node, ast.Assign) and len(node.targets) == 1 and
             isinstance(node.targets[0], ast.Name) and _is_update_ops(script, node.value)}
    return {id(node.items[0].context_expr.func) for node in ast.walk(script.tree)
            if _update_ops_with(script, node, names)}


def model_fn(script, function, signature, dict_features=False):
    """``dict_features``: the input functions are known to give the model_fn a dict of features
    (inputs.features_are_dict), as the serving signature always does."""
    return _ModelFn(script, function, signature, dict_features).translate()


class _ModelFn:
    def __init__(self, script, function, signature, dict_features=False):
        self.outer = script
        self.signature = signature
        self.function = function
        params = [a.arg for a in function.args.args]
        if len(params) < 3:
            raise NotTranslated(function, "model_fn without (features, labels, mode)")
        self.features, self.labels, self.mode = params[:3]
        self.params = params[3] if len(params) > 3 else None
        self.script = Script(script.segment(function))
        self.shifts = []  # (line, lines removed after it) by _dict_only
        self._dict_only(dict_features)
        self.node = self.script.tree.body[0]
        self.indent = body_indent(self.script, self.node)
        self.schedules = []  # (name, keras schedule source) of tf.train learning-rate decays
        self.loss, self.metrics, self.optimizer = None, {}, None
        self.flags = set()  # names holding the training flag (mode == TRAIN)
        self.update_names = set()  # names holding the UPDATE_OPS collection
        self.update_ops = False  # the train op ran the UPDATE_OPS collection
        self.batch_norms = []  # the tf.layers.batch_normalization calls of the network
        self.gradients = {}  # the names of a hand-written clipping (see _gradient_step)
        self.clip = None  # its clip norm (an expression node)
        self.keras_aliases = _keras_aliases(script)  # module-level names of tf.keras layers
        self.predictions_name = None  # the name of the PREDICT branch's dict, if it has one
        self.layer_parts = None
        self.one_hot = {}  # names holding tf.one_hot(labels, depth)
        self.label_names = {self.labels}  # and the names assigned them cast or reshaped
        # a network that is not a chain: a keras.Model subclass (see _subclass)
        self.subclass = False
        # its layers: (attribute, constructor source, lines before it), in the order called
        self.defined = []
        self.attributes = {}  # id(call node) -> its layer's attribute
        self.hoisted = set()  # ids of the Keras layer constructors moved to __init__
        self.local_names = set()  # the model_fn's names (__init__ cannot read them)
        self.current = None  # the network statement being translated
        self.column_inputs = {}  # their features' keras.Input (key source -> source)
        self.column_setup = []  # statements of a columns helper function they need
        self.removed = []  # functions of the script only the translated network used
        self.input_layers = []  # a subclass's attributes holding its input layers' models

    def translate(self):
        s = self.script
        self.network = network = []
        predictions, comments = None, []
        assigned = {}
        for statement in self.node.body:
            if _is_docstring(statement):
                continue
            if self._bookkeeping(statement):
                continue
            if predictions is None and isinstance(statement, ast.If):
                predictions = self._predict_branch(statement, assigned)
                continue
            if predictions is None:
                if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1
                        and isinstance(statement.targets[0], ast.Name)):
                    raise NotTranslated(self._outer(statement), "model_fn statement `%s` before "
                                        "the PREDICT branch" % s.line_of(statement))
                self._network(statement.value)
                network.append(statement)
                assigned[statement.targets[0].id] = statement
                continue
            if not isinstance(statement, ast.Return):  # the final spec's comments say "Estimator"
                comments += self._comments_before(statement)
            if isinstance(statement, ast.If) and self._mode_branch(statement):
                # if mode == TRAIN (EVAL): ... return its spec -- one model serves both modes
                for inner in statement.body:
                    self._after_predict(inner, in_branch=True)
            else:
                self._after_predict(statement)
        if self.gradients.get("pairs") or self.gradients.get("clipped"):
            raise NotTranslated(self._outer(self.node), "gradients computed but not applied by "
                                "`apply_gradients(..., global_step=<the global step>)`")
        if predictions is None or self.loss is None or self.optimizer is None:
            raise NotTranslated(self.function, "model_fn without a PREDICT branch, a tf.losses "
                                "loss and a tf.train optimizer")
        return self._render(network, predictions, self.loss, self.metrics, self.optimizer,
                            comments)

    def _dict_only(self, dict_features):
        """``features[K] if isinstance(features, dict) else features`` (either way round, or
        as an if/else statement assigning one name) -> ``features[K]``: the Keras model's
        features are the dict of named inputs, so only when the input functions give a dict
        too (the serving signature always does) is that the branch the script took."""
        s = self.script
        edits = []
        for node in ast.walk(s.tree):
            if isinstance(node, (ast.IfExp, ast.If)):
                key = self._dict_branch(node)
                if key is None:
                    continue
                if not dict_features:
                    raise NotTranslated(self._outer(node), "`%s` where the input functions are "
                                        "not known to give a dict of features (the Keras "
                                        "model's features are a dict)" % s.line_of(node))
                if isinstance(node, ast.IfExp):
                    edits.append((node, "%s[%s]" % (self.features, key)))
                else:
                    target = s.segment(node.body[0].targets[0])
                    edits.append((node, "%s = %s[%s]" % (target, self.features, key)))
        if not edits:
            return
        for node, _ in edits:
            self.shifts.append((node.lineno, node.end_lineno - node.lineno))
        self.script = Script(apply_edits(s.text, [Edit(*(s.index.node_span(node) + (text,)))
                                                  for node, text in edits]))

    def _dict_branch(self, node):
        """The key source K when ``node`` picks ``features[K]`` for a dict and ``features``
        otherwise, else None."""
        s, features = self.script, self.features
        test, negated = node.test, False
        if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
            test, negated = test.operand, True
        if not (isinstance(test, ast.Call) and dotted(test.func) == "isinstance" and
                len(test.args) == 2 and not test.keywords and dotted(test.args[0]) == features
                and dotted(test.args[1]) == "dict"):
            return None
        if isinstance(node, ast.IfExp):
            taken, other = (node.orelse, node.body) if negated else (node.body, node.orelse)
        else:
            branches = [node.body, node.orelse]
            if not all(len(b) == 1 and isinstance(b[0], ast.Assign) and len(b[0].targets) == 1
                       and isinstance(b[0].targets[0], ast.Name) for b in branches) or \
                    node.body[0].targets[0].id != node.orelse[0].targets[0].id:
                return None
            taken, other = (node.orelse[0].value, node.body[0].value) if negated else (
                node.body[0].value, node.orelse[0].value)
        if dotted(other) == features and isinstance(taken, ast.Subscript) and \
                dotted(taken.value) == features:
            return s.segment(taken.slice)
        return None

    def _mode_branch(self, statement):
        """``if mode == TRAIN:`` / ``EVAL`` (no else) ending in ``return`` of its spec."""
        s = self.script
        test = statement.test
        if statement.orelse or not (isinstance(test, ast.Compare) and len(test.ops) == 1 and
                                    isinstance(test.ops[0], ast.Eq)):
            return False
        sides = [test.left, test.comparators[0]]
        modes = {s.canonical(b) for a, b in (sides, sides[::-1]) if dotted(a) == self.mode}
        return bool(modes & set(tables.MODE_BRANCHES)) and \
            isinstance(statement.body[-1], ast.Return)

    def _after_predict(self, statement, in_branch=False):
        if isinstance(statement, ast.With) and self._update_ops_dependency(statement):
            # with tf.control_dependencies(UPDATE_OPS): train_op = ... (Keras' fit updates the
            # batch norm statistics itself)
            self.update_ops = True
            for inner in statement.body:
                self._training_statement(inner)
        elif isinstance(statement, ast.Return):
            self.metrics = self._final_spec(statement, self.metrics)
        elif in_branch and isinstance(statement, ast.If):
            raise NotTranslated(self._outer(statement), "a branch on `%s` inside a branch on "
                                "the mode" % self.script.line_of(statement))
        else:
            self._training_statement(statement)

    def _bookkeeping(self, statement):
        """The training flag (``mode == TRAIN``) and the UPDATE_OPS collection: names kept
        for the layers and the train op, not statements of the Keras model."""
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1 and
                isinstance(statement.targets[0], ast.Name)):
            return False
        target = statement.targets[0].id
        if self._is_train_flag(statement.value, names=False):
            self.flags.add(target)
            return True
        if _is_update_ops(self.script, statement.value):
            self.update_names.add(target)
            return True
        return False

    def _is_train_flag(self, node, names=True):
        """``mode == tf.estimator.ModeKeys.TRAIN`` (either side), or a name assigned it."""
        s = self.script
        if names and isinstance(node, ast.Name) and node.id in self.flags:
            return True
        if isinstance(node, ast.Compare) and len(node.ops) == 1 and \
                isinstance(node.ops[0], ast.Eq):
            sides = [node.left, node.comparators[0]]
            return any(dotted(a) == self.mode and (s.canonical(b) == tables.MODE_TRAIN or (
                isinstance(b, ast.Constant) and b.value == tables.MODE_TRAIN_VALUE))
                for a, b in (sides, sides[::-1]))
        return False

    def _update_ops_dependency(self, statement):
        """``with tf.control_dependencies(<UPDATE_OPS>):`` around the training statements."""
        return _update_ops_with(self.script, statement, self.update_names)

    def _training_statement(self, statement):
        """One statement after the PREDICT branch: loss, metrics, optimizer, train op."""
        s = self.script
        if isinstance(statement, ast.Assign) and len(statement.targets) == 1 and \
                isinstance(statement.targets[0], ast.Tuple) and \
                self._gradient_step(statement):
            return
        if not (isinstance(statement, ast.Assign) and len(statement.targets) == 1 and
                isinstance(statement.targets[0], ast.Name)):
            raise NotTranslated(self._outer(statement), "model_fn statement `%s`"
                                % s.line_of(statement))
        target, value = statement.targets[0].id, statement.value
        name = s.canonical(value.func) if isinstance(value, ast.Call) else None
        optimizer = self.optimizer
        if self.loss is None and not self.one_hot and self._is_labels(value):
            # labels = tf.cast(tf.reshape(labels, [-1]), tf.float32): what Keras does to them
            self.label_names.add(target)
        elif name == "tf.one_hot" and self.loss is None:
            args = call_arguments(value, ("indices", "depth", "on_value", "off_value", "axis",
                                          "dtype", "name"))
            if set(args) - {"indices", "depth", "dtype", "name"}:
                raise NotTranslated(self._outer(statement), "model_fn statement `%s`"
                                    % s.line_of(statement))
            self._labels(args["indices"])
            self.one_hot[target] = value  # the labels, one-hot (the loss's only)
        elif name and name.startswith("tf.losses."):
            if self.loss is not None:  # e.g. one per mode: a Keras model has one
                raise NotTranslated(self._outer(statement), "a second tf.losses loss `%s`"
                                    % s.line_of(statement))
            self.loss = (target, value)
        elif isinstance(value, ast.Dict) and all(
                isinstance(v, ast.Call) and (s.canonical(v.func) or "").startswith(
                    "tf.metrics.") for v in value.values):
            self.metrics = dict(zip(value.keys, value.values))
        elif name and name.startswith("tf.train.") and name.endswith("Optimizer"):
            self.optimizer = (target, value)
        elif name and name.startswith("tf.train.") and \
                name[len("tf.train."):] in tables.LEARNING_RATE_DECAYS:
            self.schedules.append((target, self._schedule(value, name)))
        elif optimizer is None and (name == "tf.contrib.layers.optimize_loss" or (
                # the tf-contrib rule left the name bare (legacy_mode's stand-in)
                name == "optimize_loss" and name not in self.outer.functions())):
            self.update_ops = True  # optimize_loss ran the UPDATE_OPS collection itself
            self.optimizer = (None, self._optimize_loss(value))
        elif self._method_of_optimizer(value, "minimize"):
            pass  # the train op: Keras' fit applies the optimizer itself
        elif isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) \
                and value.func.attr == "minimize" and optimizer is None and \
                isinstance(value.func.value, ast.Call) and (s.canonical(
                    value.func.value.func) or "").startswith("tf.train."):
            self.optimizer = (None, value.func.value)  # tf.train.XOptimizer(...).minimize
        elif self._gradient_step(statement):
            pass
        else:
            raise NotTranslated(self._outer(statement), "model_fn statement `%s`"
                                % s.line_of(statement))

    def _method_of_optimizer(self, value, method):
        return isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute) and \
            value.func.attr == method and self.optimizer is not None and \
            self.optimizer[0] is not None and dotted(value.func.value) == self.optimizer[0]

    def _gradient_step(self, statement):
        """The hand-written clipping, one statement at a time:

            pairs = optimizer.compute_gradients(loss)         | grads = tf.gradients(loss, vs)
            grads, vs = zip(*pairs)                           |   (vs = tf.trainable_variables())
            clipped, _ = tf.clip_by_global_norm(grads, c)
            train_op = optimizer.apply_gradients(zip(clipped, vs), global_step=<global step>)

        is Keras' ``global_clipnorm=c``. True when the statement is one of these steps."""
        s, g = self.script, self.gradients
        value = _unlist(statement.value)
        target = statement.targets[0]
        names = [dotted(e) for e in target.elts] if isinstance(target, ast.Tuple) else \
            [dotted(target)]
        name = s.canonical(value.func) if isinstance(value, ast.Call) else None

        def is_loss(node):
            return self.loss is not None and dotted(node) == self.loss[0]

        def is_all_variables(node):
            return dotted(node) == g.get("variables") or (
                isinstance(node, ast.Call) and not node.args and not node.keywords and
                s.canonical(node.func) == "tf.trainable_variables")

        if len(names) == 1 and self._method_of_optimizer(value, "compute_gradients") and \
                len(value.args) == 1 and not value.keywords and is_loss(value.args[0]):
            g["pairs"] = names[0]
        elif len(names) == 2 and isinstance(value, ast.Call) and dotted(value.func) == "zip" \
                and len(value.args) == 1 and isinstance(value.args[0], ast.Starred) and (
                    (g.get("pairs") is not None and dotted(value.args[0].value) == g["pairs"]) or (
                        self._method_of_optimizer(value.args[0].value, "compute_gradients")
                        and len(value.args[0].value.args) == 1 and
                        not value.args[0].value.keywords and
                        is_loss(value.args[0].value.args[0]))):
            g.pop("pairs", None)
            g["gradients"], g["variables"] = names
        elif len(names) == 1 and isinstance(value, ast.Call) and not value.args and \
                not value.keywords and name == "tf.trainable_variables":
            g["variables"] = names[0]
        elif len(names) == 1 and name == "tf.gradients" and len(value.args) == 2 and \
                not value.keywords and is_loss(value.args[0]) and \
                is_all_variables(value.args[1]):
            g["gradients"] = names[0]
            g.setdefault("variables", s.segment(value.args[1]))
        elif len(names) == 2 and name == "tf.clip_by_global_norm" and len(value.args) == 2 \
                and not value.keywords and dotted(value.args[0]) == g.get("gradients") and \
                names[1] == "_":
            g["clipped"] = names[0]
            self.clip = value.args[1]
        elif len(names) == 1 and self._method_of_optimizer(value, "apply_gradients") and \
                g.get("clipped") and len(value.args) == 1 and \
                [k.arg for k in value.keywords] == ["global_step"]:
            pairs = _unlist(value.args[0])
            if not (isinstance(pairs, ast.Call) and dotted(pairs.func) == "zip" and
                    len(pairs.args) == 2 and dotted(pairs.args[0]) == g["clipped"] and
                    s.segment(pairs.args[1]) == g.get("variables")):
                return False
            self._global_step(value.keywords[0].value, value)
            g.clear()
        else:
            return False
        return True

    # -- reading ---------------------------------------------------------------------------
    def _global_step(self, node, call):
        if not (isinstance(node, ast.Call) and not node.args and not node.keywords and
                self.script.canonical(node.func) in tables.GLOBAL_STEP):
            raise NotTranslated(self._outer(call), "`%s` with a step other than the global "
                                "step" % self.script.line_of(call))

    def _schedule(self, call, name):
        """tf.train.<decay>(...) -> the Keras LearningRateSchedule (source)."""
        s = self.script
        spec = tables.LEARNING_RATE_DECAYS[name[len("tf.train."):]]
        args = call_arguments(call, spec.positional)
        step = "x" if "x" in spec.positional else "global_step"
        if step not in args:
            raise NotTranslated(self._outer(call), "%s without its step" % name)
        self._global_step(args[step], call)
        parts = []
        for arg, value in args.items():
            if arg in (step, "name"):
                continue
            if arg not in spec.renames:
                raise NotTranslated(self._outer(call), "%s(%s=...)" % (name, arg))
            parts.append("%s=%s" % (spec.renames[arg], s.segment(value)))
        return "keras.optimizers.schedules.%s(%s)" % (spec.keras, ", ".join(parts))

    def _optimize_loss(self, call):
        """optimize_loss(...) -> the Keras optimizer (source, in TF 1.x names that the names
        pass translates) with its clipping."""
        s = self.script
        args = call_arguments(call, tables.OPTIMIZE_LOSS_POSITIONAL)
        for keyword in sorted(set(args) - {"loss", "global_step", "learning_rate", "optimizer",
                                           "clip_gradients", "name", "summaries",
                                           "learning_rate_decay_fn"}):
            raise NotTranslated(self._outer(call), "optimize_loss(%s=...)" % keyword)
        step = args.get("global_step")
        if step is not None and not (isinstance(step, ast.Constant) and step.value is None):
            self._global_step(step, call)  # None: optimize_loss took the global step itself
        optimizer = args.get("optimizer")
        rate = args.get("learning_rate")
        rate = None if rate is None or (isinstance(rate, ast.Constant) and rate.value is None) \
            else s.segment(rate)
        decay = args.get("learning_rate_decay_fn")
        if decay is not None and not (isinstance(decay, ast.Constant) and decay.value is None):
            if rate is None:  # optimize_loss ignored it
                raise NotTranslated(self._outer(call), "optimize_loss(learning_rate_decay_fn=...)"
                                    " without a learning_rate")
            rate = self._decay_fn(decay, rate, call)
            taken = {n.id for n in ast.walk(self.node) if isinstance(n, ast.Name)}
            if "learning_rate" not in taken:
                self.schedules.append(("learning_rate", rate))
                rate = "learning_rate"
        if isinstance(optimizer, ast.Constant) and \
                optimizer.value in tables.OPTIMIZE_LOSS_NAMES and rate is not None:
            cls, extra = tables.OPTIMIZE_LOSS_NAMES[optimizer.value]
            text = "tf.train.%s(learning_rate=%s)" % (cls, ", ".join(
                [rate] + ["%s=%s" % item for item in sorted(extra.items())]))
        elif isinstance(optimizer, ast.Lambda) and self._optimizer_lambda(optimizer, rate):
            text = self._optimizer_lambda(optimizer, rate)
        elif isinstance(optimizer, ast.Attribute) and rate is not None and (s.canonical(
                optimizer) or "")[len("tf.train."):] in tables.OPTIMIZERS:
            text = "%s(learning_rate=%s)" % (s.segment(optimizer), rate)  # a class
        elif isinstance(optimizer, ast.Call) and rate is None and (s.canonical(
                optimizer.func) or "")[len("tf.train."):] in tables.OPTIMIZERS:
            text = s.segment(optimizer)  # an instance: optimize_loss takes no learning_rate
        else:
            raise NotTranslated(self._outer(call), "optimize_loss with optimizer `%s`" % (
                s.segment(optimizer) if optimizer is not None else "(none)"))
        text = names.translate_names(text).strip()
        clip = args.get("clip_gradients")
        if clip is not None and not (isinstance(clip, ast.Constant) and clip.value is None):
            number = isinstance(clip, ast.Constant) and isinstance(clip.value, (int, float))
            if not (number or isinstance(clip, (ast.Subscript, ast.Attribute))):
                raise NotTranslated(self._outer(call), "optimize_loss with clip_gradients "
                                    "`%s` (a function?)" % s.segment(clip))
            # a number: optimize_loss clipped the gradients by their global norm
            text = text[:-1] + ", %s=%s)" % (tables.OPTIMIZE_LOSS_CLIP, s.segment(clip))
        return text

    def _optimizer_lambda(self, function, rate):
        """``lambda lr: tf.train.XOptimizer(lr, ...)`` (called with the learning rate) or
        ``lambda: tf.train.XOptimizer(...)`` (no learning rate): the optimizer, as source."""
        s = self.script
        params = [a.arg for a in function.args.args]
        body = function.body
        if function.args.defaults or function.args.vararg or function.args.kwarg or \
                len(params) != (0 if rate is None else 1) or not (
                    isinstance(body, ast.Call) and (s.canonical(body.func) or "")[
                        len("tf.train."):] in tables.OPTIMIZERS):
            return None
        start, end = s.index.node_span(body)
        text = s.text[start:end]
        if params:
            atom = isinstance(ast.parse(rate, mode="eval").body, (
                ast.Name, ast.Attribute, ast.Subscript, ast.Constant, ast.Call))
            rate = rate if atom else "(%s)" % rate
            uses = [n for n in ast.walk(body) if isinstance(n, ast.Name) and n.id == params[0]]
            for use in sorted(uses, key=lambda n: s.index.node_span(n), reverse=True):
                first, last = s.index.node_span(use)
                text = text[:first - start] + rate + text[last - start:]
        return text

    def _decay_fn(self, function, rate, call):
        """optimize_loss's ``learning_rate_decay_fn=lambda lr, step: tf.train.<decay>(lr, step,
        ...)`` -> the Keras schedule from ``rate`` (source)."""
        s = self.script
        refused = NotTranslated(self._outer(call), "optimize_loss(learning_rate_decay_fn=`%s`)"
                                " other than a lambda returning a tf.train learning-rate decay "
                                "of its two arguments" % s.segment(function)[:80])
        body = getattr(function, "body", None)
        name = (s.canonical(body.func) if isinstance(body, ast.Call) else None) or ""
        if not (isinstance(function, ast.Lambda) and len(function.args.args) == 2 and
                not function.args.defaults and not function.args.vararg and
                not function.args.kwarg and name.startswith("tf.train.") and
                name[len("tf.train."):] in tables.LEARNING_RATE_DECAYS):
            raise refused
        spec = tables.LEARNING_RATE_DECAYS[name[len("tf.train."):]]
        rate_name, step_name = [a.arg for a in function.args.args]
        args = call_arguments(body, spec.positional)
        step = "x" if "x" in spec.positional else "global_step"
        if dotted(args.get(step)) != step_name or ("learning_rate" in spec.positional and
                                                   dotted(args.get("learning_rate")) != rate_name):
            raise refused
        for arg, value in args.items():
            used = {n.id for n in ast.walk(value) if isinstance(n, ast.Name)}
            if arg not in (step, "learning_rate") and used & {rate_name, step_name}:
                raise refused
        parts = []
        for arg, value in args.items():
            if arg in (step, "name"):
                continue
            if arg not in spec.renames:
                raise NotTranslated(self._outer(call), "%s(%s=...)" % (name, arg))
            parts.append("%s=%s" % (spec.renames[arg], rate if arg == "learning_rate"
                                    else s.segment(value)))
        return "keras.optimizers.schedules.%s(%s)" % (spec.keras, ", ".join(parts))

    def _outer(self, node):
        """The node's line in the whole script (for the finding)."""
        shifted = ast.Pass()
        shifted.lineno = node.lineno + self.function.lineno - 1 + sum(
            removed for line, removed in self.shifts if node.lineno > line)
        shifted.col_offset = node.col_offset
        return shifted

    def _predict_branch(self, statement, assigned):
        s = self.script
        test = statement.test
        if not (isinstance(test, ast.Compare) and len(test.ops) == 1 and
                isinstance(test.ops[0], ast.Eq) and dotted(test.left) == self.mode and
                s.canonical(test.comparators[0]) in MODE_PREDICT) or statement.orelse:
            raise NotTranslated(self._outer(statement), "a branch on `%s` other than "
                                "`if mode == PREDICT: return ...`" % s.line_of(statement))
        body = statement.body
        if not isinstance(body[-1], ast.Return):
            raise NotTranslated(self._outer(statement), "a PREDICT branch doing more than "
                                "returning the predictions")
        outputs = {}  # export_outputs dicts assigned in the branch
        for inner in body[:-1]:
            # the predictions computed in the branch: serving statements like the network's
            if not (isinstance(inner, ast.Assign) and len(inner.targets) == 1 and
                    isinstance(inner.targets[0], ast.Name)):
                raise NotTranslated(self._outer(inner), "a PREDICT branch doing more than "
                                    "returning the predictions")
            if isinstance(inner.value, ast.Dict) and inner.value.values and all(
                    isinstance(v, ast.Call) and s.canonical(v.func) in tables.PREDICT_OUTPUT
                    for v in inner.value.values):
                outputs[inner.targets[0].id] = inner.value
                continue
            self._network(inner.value)
            self.network.append(inner)
            assigned[inner.targets[0].id] = inner
        spec = body[-1].value
        if not (isinstance(spec, ast.Call) and s.canonical(spec.func) in ESTIMATOR_SPEC):
            raise NotTranslated(self._outer(spec), "a PREDICT branch not returning an "
                                "EstimatorSpec")
        args = call_arguments(spec, ("mode", "predictions"))
        if "export_outputs" in args:
            self._default_export(args.pop("export_outputs"), outputs, args.get("predictions"))
        if set(args) != {"mode", "predictions"}:
            raise NotTranslated(self._outer(spec), "EstimatorSpec(%s) in the PREDICT branch"
                                % ", ".join(sorted(set(args) - {"mode", "predictions"})))
        predictions = args["predictions"]
        if isinstance(predictions, ast.Name) and predictions.id in assigned:
            self.predictions_name = predictions.id
            predictions = assigned[predictions.id].value
        if not isinstance(predictions, ast.Dict) or None in predictions.keys:
            raise NotTranslated(self._outer(spec), "predictions that are not a dict")
        return predictions

    def _default_export(self, node, outputs, predictions):
        """``export_outputs={DEFAULT_SERVING_SIGNATURE_DEF_KEY: PredictOutput(predictions)}``:
        the signature the export has anyway (serving_default returning the predictions)."""
        s = self.script
        if isinstance(node, ast.Name) and node.id in outputs:
            node = outputs[node.id]
        entries = list(zip(node.keys, node.values)) if isinstance(node, ast.Dict) else []
        if len(entries) == 1:
            key, value = entries[0]
            default = s.canonical(key) in tables.DEFAULT_SIGNATURE_KEY or (
                isinstance(key, ast.Constant) and key.value == "serving_default")
            if default and isinstance(value, ast.Call) and len(value.args) == 1 and \
                    not value.keywords and predictions is not None and \
                    s.segment(value.args[0]) == s.segment(predictions):
                return
        raise NotTranslated(self._outer(node), "export_outputs other than the default "
                            "signature's PredictOutput of the predictions")

    def _network(self, value):
        s = self.script
        flags = set()  # the nodes of training= flags (layers called in training mode)
        args = self._input_layer(value)
        if args is not None:  # input_layer(features, columns): the whole features dict
            flags.add(id(args["features"]))
        for node in ast.walk(value):
            if isinstance(node, ast.keyword) and node.arg == "training" and \
                    self._is_train_flag(node.value):
                flags.update(id(n) for n in ast.walk(node.value))
        for node in ast.walk(value):
            if id(node) in flags:
                continue
            if isinstance(node, ast.Name) and node.id in (self.labels, self.mode):
                raise NotTranslated(self._outer(node), "the network uses `%s`" % node.id)
            if isinstance(node, ast.Name) and node.id == self.features and not (
                    isinstance(node.parent, ast.Subscript) and node.parent.value is node):
                raise NotTranslated(self._outer(node), "the network uses `%s` other than "
                                    "`%s[name]`" % (node.id, node.id))
            if isinstance(node, (ast.Lambda, ast.IfExp, ast.ListComp, ast.DictComp)):
                raise NotTranslated(self._outer(node), "`%s` in the network" % s.segment(node))

    def _input_layer(self, value):
        """The arguments of ``tf.feature_column.input_layer(features, columns)``, else None."""
        if not (isinstance(value, ast.Call) and self.script.canonical(value.func) in INPUT_LAYER):
            return None
        args = call_arguments(value, ("features", "feature_columns", "weight_collections",
                                      "trainable", "cols_to_vars"))
        for keyword in sorted(set(args) - {"features", "feature_columns"}):
            raise NotTranslated(self._outer(value), "tf.feature_column.input_layer(%s=...)"
                                % keyword)
        if dotted(args.get("features")) != self.features or "feature_columns" not in args:
            raise NotTranslated(self._outer(value), "tf.feature_column.input_layer of other "
                                "than the model_fn's `%s` and its columns" % self.features)
        return args

    def _columns_of(self, statement):
        """``name = tf.feature_column.input_layer(features, columns)``: the Keras lines that
        compute ``name`` (the columns as preprocessing layers, concatenated in the order of
        their names as TF 1.x did) and the keras.Input of each feature key they read. The
        columns: a list in the call, a module-level name, or a call of a helper function
        of the script without arguments (its other statements run first, as they ran)."""
        outer = self.outer
        # the same statement in the whole script: the columns may be defined outside model_fn
        index = next(n for n, st in enumerate(self.node.body) if st is statement)
        node = self.function.body[index].value
        columns = call_arguments(node, ("features", "feature_columns"))["feature_columns"]
        assigned = {st.targets[0].id: st.value for st in outer.tree.body
                    if isinstance(st, ast.Assign) and len(st.targets) == 1 and
                    isinstance(st.targets[0], ast.Name)}
        functions = outer.functions()
        if isinstance(columns, ast.Call) and isinstance(columns.func, ast.Name) and \
                columns.func.id in functions:
            helper = functions[columns.func.id]
            if columns.args or columns.keywords or helper.args.args or helper.args.vararg \
                    or helper.args.kwarg or helper.decorator_list:
                raise NotTranslated(columns, "feature columns from `%s` (a helper function "
                                    "with arguments)" % outer.segment(columns))
            body = [st for st in helper.body if not _is_docstring(st)]
            columns_named = set()  # the helper's names of columns and lists of them
            if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
                raise NotTranslated(helper, "a feature-columns helper not ending in `return`")
            for inner in body[:-1]:
                if not (isinstance(inner, ast.Assign) and len(inner.targets) == 1 and
                        isinstance(inner.targets[0], ast.Name)):
                    raise NotTranslated(inner, "feature-columns helper statement `%s`"
                                        % outer.line_of(inner))
                value = inner.value

                def is_column(node):
                    return (isinstance(node, ast.Name) and node.id in columns_named) or (
                        isinstance(node, ast.Call) and (outer.canonical(node.func) or "")
                        .startswith("tf.feature_column."))

                if is_column(value) or (isinstance(value, (ast.List, ast.Tuple)) and
                                        any(is_column(e) for e in value.elts)):
                    assigned[inner.targets[0].id] = value
                    columns_named.add(inner.targets[0].id)
                else:  # a value a column uses (a vocabulary file's path): computed as it was
                    taken = {n.id for n in ast.walk(self.node) if isinstance(n, ast.Name)} | {
                        self.features, self.params or "hyperparameters", "model", "self"}
                    if inner.targets[0].id in taken:
                        raise NotTranslated(inner, "feature-columns helper variable `%s`, a "
                                            "name the model's function has too"
                                            % inner.targets[0].id)
                    assigned.pop(inner.targets[0].id, None)
                    self.column_setup.append(inner)
            uses = [n for n in ast.walk(outer.tree) if isinstance(n, ast.Name) and
                    n.id == helper.name]
            if len(uses) == 1:  # only the network used it: its Keras lines replace it
                self.removed.append(helper)
            columns = body[-1].value
        elif isinstance(columns, ast.Name) and columns.id not in assigned:
            raise NotTranslated(columns, "feature columns `%s` computed in the model_fn "
                                "(not translated yet)" % columns.id)
        inputs, lines, _ = feature_columns.input_layer(
            outer, columns, assigned, self.features, statement.targets[0].id)
        for key in inputs:
            if self.column_inputs.setdefault(key, inputs[key]) != inputs[key]:
                raise NotTranslated(node, "feature %s read by two input layers as different "
                                    "inputs" % key)
        return inputs, lines

    def _setup_lines(self, statements):
        """A columns helper's statements (with their comments above), dedented."""
        lines = self.outer.index.lines
        found = []
        for statement in statements:
            first = statement.lineno
            while first > 1 and lines[first - 2].strip().startswith("#"):
                first -= 1
            found += textwrap.dedent("".join(lines[first - 1:statement.end_lineno])).splitlines()
        return found

    def _inputs_dict(self, entries, indent):
        """``features = {key: keras.Input(...), ...}`` at ``indent`` (wrap.py wraps it)."""
        return [indent + "%s = {%s}\n" % (self.features, ", ".join(entries))]

    def _comments_before(self, statement):
        lines, line = [], statement.lineno - 1
        while line > 0 and self.script.index.lines[line - 1].strip().startswith("#"):
            lines.insert(0, self.script.index.lines[line - 1].strip())
            line -= 1
        return lines

    def _final_spec(self, statement, metrics):
        s = self.script
        spec = statement.value
        if not (isinstance(spec, ast.Call) and s.canonical(spec.func) in ESTIMATOR_SPEC):
            raise NotTranslated(self._outer(statement), "model_fn returning `%s`"
                                % s.line_of(statement))
        args = call_arguments(spec, ("mode", "predictions", "loss", "train_op",
                                     "eval_metric_ops"))
        extra = set(args) - {"mode", "predictions", "loss", "train_op", "eval_metric_ops"}
        for keyword in sorted(extra):
            reason = tables.UNTRANSLATABLE_KEYWORDS.get(keyword, "EstimatorSpec(%s=...)"
                                                        % keyword)
            raise NotTranslated(self._outer(spec), reason)
        if "loss" in args and (self.loss is None or dotted(args["loss"]) != self.loss[0]):
            raise NotTranslated(self._outer(spec), "EstimatorSpec(loss=`%s`), not the tf.losses "
                                "loss" % s.segment(args["loss"]))
        ops = args.get("eval_metric_ops")
        if isinstance(ops, ast.Dict):
            return dict(zip(ops.keys, ops.values))
        if ops is not None and not isinstance(ops, ast.Name):
            raise NotTranslated(self._outer(spec), "eval_metric_ops built other than as a dict")
        return metrics

    # -- writing ---------------------------------------------------------------------------
    def _render(self, network, predictions, loss, metrics, optimizer, comments):
        s, i = self.script, self.indent
        loss_name = s.canonical(loss[1].func).rsplit(".", 1)[-1]
        if loss_name not in tables.LOSSES:
            raise NotTranslated(self._outer(loss[1]), "tf.losses.%s" % loss_name)
        positional = tables.LOSS_ARGUMENTS.get(loss_name, tables.LOSS_DEFAULT_ARGUMENTS)
        args = call_arguments(loss[1], positional)
        if set(args) != set(positional):
            raise NotTranslated(self._outer(loss[1]), "tf.losses.%s with %s" % (
                loss_name, ", ".join(sorted(set(args) ^ set(positional)))))
        keras_loss, loss_args = tables.LOSSES[loss_name]
        labels = args[positional[0]]
        if isinstance(labels, ast.Name) and labels.id in self.one_hot:
            if loss_name not in tables.LOSSES_ON_ONE_HOT or set(args) != set(positional):
                raise NotTranslated(self._outer(loss[1]), "tf.losses.%s on one-hot labels"
                                    % loss_name)
            keras_loss, loss_args = tables.LOSSES_ON_ONE_HOT[loss_name]
        else:
            self._labels(labels)
        used = {n.id for st in self.node.body for n in ast.walk(st) if isinstance(n, ast.Name)
                and isinstance(n.ctx, ast.Load) and n.id in self.one_hot and n is not labels}
        if used:  # the one-hot labels used other than by the loss
            raise NotTranslated(self._outer(self.one_hot[sorted(used)[0]]), "one-hot labels "
                                "used other than by the loss")
        output = args[positional[1]]
        if not isinstance(output, ast.Name):
            raise NotTranslated(self._outer(output), "a loss on `%s` (not a variable)"
                                % s.segment(output))
        output = output.id
        model_part, serve_part = self._split(network, output)
        self._serving_names(serve_part + [predictions])
        metric_texts = [self._metric(key, value, output, serve_part)
                        for key, value in metrics.items()]
        # -- the model: functional for a chain of layer calls, else a keras.Model subclass
        self.subclass = not self._is_chain(model_part)
        self.local_names = {self.features, self.labels, self.mode} | {
            n.id for n in ast.walk(self.node) if isinstance(n, ast.Name) and
            isinstance(n.ctx, ast.Store)}
        for statement in model_part:
            self._network_ops(statement)
        if self.batch_norms and not self.update_ops:
            raise NotTranslated(self._outer(self.batch_norms[0]), tables.NO_UPDATE_OPS)
        optimizer_text = self._optimizer_text(optimizer[1])
        params = self.params or "hyperparameters"
        keys = self._feature_keys(model_part)
        # no serving_input_fn: the inputs are shaped as the training data's, known at run time
        from_data = self.signature is None and bool(keys)
        if from_data and self.column_inputs:
            raise NotTranslated(self._outer(self.node), "features read both by "
                                "tf.feature_column.input_layer and directly, without a "
                                "serving_input_fn")
        header = "def %s(%s):\n" % (self.function.name, ", ".join(
            [params] + [self.features] * from_data))
        network = self._subclass(model_part, output, params) if self.subclass else None
        body = []
        if from_data:  # the parameter the model_fn did not have
            body.append(i + '"""%s: its keras.Input, shaped as the training data\'s '
                        '(keras_job.feature_inputs)."""\n' % self.features)
        # a columns helper's values, computed as they were
        body += [i + line + "\n" if line.strip() else "\n"
                 for line in self._setup_lines(self.column_setup)]
        entries = ["%s: %s" % item for item in self.column_inputs.items()] + [
            "%s: keras.Input(%s)" % (key, self._input_spec(key)) for key in keys * (not from_data)]
        # the features of a subclass that reads them only through its input layer's model: that
        # model's own inputs (made once, in __init__ after the columns' setup statements)
        built_on = None
        if network is not None and len(self.input_layers) == 1 and not keys:
            built_on = "model.%s.input" % self.input_layers[0]
        elif entries:
            body += self._inputs_dict(entries, i)
        if network is None:
            body.append(self._statements_text(model_part))
            body.append("\n" + i + "model = keras.Model(%s, %s)\n" % (self.features, output))
        else:
            class_name, text = network
            body.append(i + "model = %s(%s)\n" % (class_name, params))
            body.append(i + "model(%s)  # builds the layers: a resumed job loads its "
                        "checkpoint into them\n" % (built_on or self.features))
            header = text + "\n\n" + header
        body += [i + comment + "\n" for comment in comments]
        for target, schedule in self.schedules:
            line = i + "%s = %s\n" % (target, schedule)
            if len(line) > 100:
                head, _, rest = schedule.partition("(")
                line = i + "%s = %s(\n%s    %s\n" % (target, head, i, rest)
            body.append(line)
        body += [line + "\n" for line in _compile(i, [
            ("optimizer", optimizer_text),
            ("loss", "keras.losses.%s(%s)" % (keras_loss, loss_args)),
            ("metrics", metric_texts)])]
        body.append(i + "return model\n")
        serve = ["%s = model(features)" % output]
        for statement in serve_part:
            serve += textwrap.dedent("".join(s.index.lines[statement.lineno - 1:
                                                           statement.end_lineno])).splitlines()
        if self.predictions_name in {st.targets[0].id for st in serve_part}:
            serve.append("return %s" % self.predictions_name)
        else:
            values = [s.segment(v) for v in predictions.values]
            uses = [n for v in predictions.values for n in ast.walk(v)
                    if isinstance(n, ast.Name) and n.id == output]
            if not serve_part and len(uses) == 1 and output in values:
                # the model's output used once: returned where it is computed
                serve = []
                values[values.index(output)] = "model(features)"
            serve.append("return {%s}" % ", ".join(
                "%s: %s" % (s.segment(k), v) for k, v in zip(predictions.keys, values)))
        self.serve_lines = serve
        return Builder(self.function.name, header + "".join(body), serve, "examples",
                       removed=self.removed, feature_inputs=from_data)

    def _serving_names(self, serve_part):
        """The statements only the predictions use run in the export's ``serve(features)``:
        the model_fn's hyperparameters and training flag are not there (nor its features under
        another name)."""
        missing = (self.flags | self.update_names | {self.params, self.features}) - {
            None, "features"}
        for statement in serve_part:  # and the predictions dict
            for node in ast.walk(getattr(statement, "value", statement)):
                if isinstance(node, ast.Name) and node.id in missing:
                    raise NotTranslated(self._outer(statement), "a prediction computed from "
                                        "`%s` (`%s`): the Keras export's serving function has "
                                        "only the features" % (
                                            node.id, self.script.line_of(statement)))

    def _is_chain(self, model_part):
        """Each statement reads the one before it once (the first: one feature), through layer
        calls or ops: a functional model, written as the script wrote it."""
        targets = {st.targets[0].id for st in model_part}
        previous = None
        for statement in model_part:
            reads = [n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name) and
                     n.id in targets]
            features = [n for n in ast.walk(statement.value) if isinstance(n, ast.Subscript)
                        and dotted(n.value) == self.features]
            if self._input_layer(statement.value) is not None:
                features.append(statement.value)  # the features through their columns
            if (reads, len(features)) != (([], 1) if previous is None else ([previous], 0)):
                return False
            previous = statement.targets[0].id
        return True

    def _define(self, node, settings, constructor, kind, name=None, head=()):
        """The attribute of the subclass's layer that ``constructor`` creates for the call
        ``node``: named after the script's variable (or the layer's name=), else its kind."""
        if id(node) in self.attributes:
            return self.attributes[id(node)]
        for value in settings if isinstance(settings, list) else [settings]:
            for n in ast.walk(value):
                if isinstance(n, ast.Name) and n.id in self.local_names:
                    raise NotTranslated(self._outer(n), "a layer setting `%s` computed in the "
                                        "model_fn (a subclassed model creates its layers in "
                                        "__init__, before its network runs)"
                                        % self.script.segment(value))
            if isinstance(value, ast.Call) and name is None:
                name = next((k.value for k in value.keywords if k.arg == "name"), None)
        if not isinstance(settings, list):
            self.hoisted.add(id(settings))
        target = self.current.targets[0].id
        candidates = [target] if node is self.current.value else []
        if isinstance(name, ast.Constant) and isinstance(name.value, str):
            candidates.insert(0, re.sub(r"\W", "_", name.value))
        candidates += ["%s_%s" % (target, kind)] + [
            "%s_%s_%d" % (target, kind, n) for n in range(2, len(self.defined) + 3)]
        taken = set(self.attributes.values()) | {self.features, "training", "self"}
        attribute = next(c for c in candidates if c.isidentifier() and not iskeyword(c)
                         and not c.startswith("_") and c not in tables.KERAS_MODEL_ATTRIBUTES
                         and c not in taken)
        self.attributes[id(node)] = attribute
        self.defined.append((attribute, constructor, list(head)))
        return attribute

    def _subclass(self, model_part, output, params):
        """(class name, source) of the keras.Model subclass: the layers created in
        ``__init__``, the network's statements in ``call`` with the script's names and
        comments, the mode's training flag as Keras' ``training``."""
        i = self.indent
        for statement in model_part:
            for node in ast.walk(statement.value):
                if self._keras_layer(node) and id(node) not in self.hoisted:
                    raise NotTranslated(self._outer(node), "a Keras layer `%s` not called where "
                                        "it is created, in a network that is not a chain"
                                        % self.script.segment(node)[:60])
            if statement.targets[0].id in ("training", "self"):
                raise NotTranslated(self._outer(statement), "a network variable named `%s` "
                                    "(a parameter of the Keras model's call)"
                                    % statement.targets[0].id)
        statements = self._statements_text(model_part)
        call = textwrap.indent(statements, i) + i * 2 + "return %s\n" % output
        read = {n.id for n in ast.walk(ast.parse("def call():\n" + call))
                if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
        for name in sorted(read & (self.flags | {params})):
            statement = next(st for st in model_part if name in {
                n.id for n in ast.walk(st) if isinstance(n, ast.Name)})
            raise NotTranslated(self._outer(statement), "the network reads `%s` other than in "
                                "a layer's settings (`%s`): a subclassed model's call takes "
                                "only the features" % (name, self.script.line_of(statement)))
        taken = {n.id for n in ast.walk(self.outer.tree) if isinstance(n, ast.Name)} | {
            n.name for n in ast.walk(self.outer.tree) if isinstance(
                n, (ast.FunctionDef, ast.ClassDef))}
        class_name = "Network" if "Network" not in taken else "".join(
            part.title() for part in self.function.name.split("_")) + "Network"
        lines = ["class %s(keras.Model):\n" % class_name]
        if "training=training" in call:  # what the code does not say: where the flag comes from
            lines += ['%s"""%s\'s network; call runs with training=True in fit, as in '
                      'ModeKeys.TRAIN."""\n' % (i, self.function.name), "\n"]
        lines += ["%sdef __init__(self, %s):\n" % (i, params), "%ssuper().__init__()\n" % (i * 2)]
        for attribute, constructor, head in self.defined:
            lines += [i * 2 + line + "\n" if line.strip() else "\n" for line in head]
            lines.append(_wrapped("%sself.%s = " % (i * 2, attribute), constructor))
        lines += ["\n", "%sdef call(self, %s, training=False):\n" % (i, self.features), call]
        return class_name, "".join(lines)

    def _optimizer_text(self, optimizer):
        """The Keras optimizer (source): its clipping added; momentum with a schedule refused."""
        text = optimizer if isinstance(optimizer, str) else \
            names.translate_names(self.script.segment(optimizer)).strip()
        if self.clip is not None:
            if tables.OPTIMIZE_LOSS_CLIP + "=" in text:
                raise NotTranslated(self._outer(self.clip), "gradients clipped twice")
            text = text[:-1] + ", %s=%s)" % (tables.OPTIMIZE_LOSS_CLIP,
                                             self.script.segment(self.clip))
        rate = re.search(r"learning_rate=(\w+)", text)
        scheduled = "keras.optimizers.schedules." in text or (
            rate is not None and rate.group(1) in {name for name, _ in self.schedules})
        if text.startswith("keras.optimizers.SGD(") and "momentum=" in text and scheduled:
            raise NotTranslated(self._outer(self.node), tables.MOMENTUM_WITH_SCHEDULE)
        return text

    def _labels(self, node):
        """The labels argument: ``labels`` itself, a cast of it (Keras casts labels) or
        ``tf.reshape(labels, [-1])``: TF 1.x's losses and metrics then took a rank-1
        prediction, and Keras' own squeeze of a [batch, 1] label to it does the same."""
        if not self._is_labels(node):
            raise NotTranslated(self._outer(node or self.node), "labels transformed in the "
                                "model_fn before the loss or a metric")

    def _is_labels(self, node):
        """``node`` is the labels as _labels takes them (through a name assigned them so)."""
        while isinstance(node, ast.Call) and node.args and (
                self.script.canonical(node.func) == "tf.cast" or (
                    self.script.canonical(node.func) == "tf.reshape" and len(node.args) == 2
                    and not node.keywords and self.script.segment(node.args[1]).replace(
                        " ", "") in ("[-1]", "(-1,)"))):
            node = node.args[0]
        return isinstance(node, ast.Name) and node.id in self.label_names

    def _split(self, network, output):
        """Statements the output depends on (the model) and the rest (serving only). A name
        may be assigned again (``net = ...(net)``): each use depends on its latest assignment."""
        latest, uses = {}, []
        for index, statement in enumerate(network):
            used = {n.id for n in ast.walk(statement.value) if isinstance(n, ast.Name)}
            uses.append({latest[name] for name in used if name in latest})
            latest[statement.targets[0].id] = index
        if output not in latest:
            raise NotTranslated(self._outer(self.node), "the loss is not on a network output")
        needed, todo = set(), [latest[output]]
        while todo:
            index = todo.pop()
            if index not in needed:
                needed.add(index)
                todo += uses[index]
        model_part = [st for index, st in enumerate(network) if index in needed]
        serve_part = [st for index, st in enumerate(network) if index not in needed]
        for index, statement in enumerate(network):
            if index not in needed and uses[index] & (needed - {latest[output]}):
                raise NotTranslated(self._outer(statement), "a prediction computed from a "
                                    "layer other than the loss's input")
        return model_part, serve_part

    def _metric(self, key, call, output, serve_part):
        s = self.script
        name = s.canonical(call.func).rsplit(".", 1)[-1]
        metric = tables.METRICS.get(name)
        if metric is None:
            raise NotTranslated(self._outer(call), "tf.metrics.%s" % name)
        args = call_arguments(call, ("labels", "predictions"))
        if set(args) != {"labels", "predictions"}:
            raise NotTranslated(self._outer(call), "tf.metrics.%s with %s" % (
                name, ", ".join(sorted(set(args) - {"labels", "predictions"}))))
        self._labels(args["labels"])
        predicted = args["predictions"]
        if isinstance(predicted, ast.Call) and s.canonical(predicted.func) == "tf.cast":
            predicted = predicted.args[0]
        keras_class = metric.keras
        if not (isinstance(predicted, ast.Name) and predicted.id == output):
            argmax = self._serving_value(predicted, serve_part)
            if metric.on_classes and self._is_argmax_of(argmax, output):
                keras_class = metric.on_classes
            else:
                raise NotTranslated(self._outer(call), "tf.metrics.%s on `%s`, not the model "
                                    "output" % (name, s.segment(args["predictions"])))
        return "keras.metrics.%s(name=%s)" % (keras_class, s.segment(key))

    def _serving_value(self, node, serve_part):
        """The expression a serving-only name (or ``name["key"]`` of a dict) holds, or None."""
        values = {st.targets[0].id: st.value for st in serve_part}
        if isinstance(node, ast.Name):
            return values.get(node.id)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and \
                isinstance(values.get(node.value.id), ast.Dict):
            wanted = self.script.segment(node.slice)
            entries = values[node.value.id]
            for key, value in zip(entries.keys, entries.values):
                if key is not None and self.script.segment(key) == wanted:
                    return value
        return None

    def _is_argmax_of(self, node, output):
        """``tf.argmax(<output>, 1)`` (the class ids of the logits), any spelling."""
        if not (isinstance(node, ast.Call) and self.script.canonical(node.func) == "tf.argmax"):
            return False
        args = call_arguments(node, ("input", "axis", "name", "dimension", "output_type"))
        axis = args.get("axis", args.get("dimension"))
        return dotted(args.get("input")) == output and isinstance(axis, (
            ast.Constant, ast.UnaryOp)) and self.script.segment(axis) in ("1", "-1")

    def _input_spec(self, key):
        """keras.Input's arguments for ``features[key]``, from the serving placeholders."""
        if self.signature is None:
            raise NotTranslated(self._outer(self.node), "features[%s] without a "
                                "serving_input_fn (its placeholder gives the Keras input's "
                                "shape and dtype)" % key)
        placeholder = self.signature.shape_of(key)
        if placeholder is None or placeholder.shape is None or len(placeholder.shape) < 1:
            raise NotTranslated(self._outer(self.node), "features[%s] has no shape in "
                                "serving_input_fn (its placeholder gives the Keras input's)"
                                % key)
        shape = ", ".join(placeholder.shape[1:]) + ("," if len(placeholder.shape) == 2 else "")
        return "shape=(%s), dtype=%s, name=%s" % (shape, placeholder.dtype, key)

    def _feature_keys(self, statements):
        keys = []
        for statement in statements:
            for node in ast.walk(statement.value):
                if isinstance(node, ast.Subscript) and dotted(node.value) == self.features:
                    key = self.script.segment(node.slice)
                    if key not in keys:
                        keys.append(key)
        if not keys and not self.column_inputs:
            raise NotTranslated(self._outer(self.node), "a network that reads no features")
        for key in keys:
            if key in self.column_inputs:
                raise NotTranslated(self._outer(self.node), "features[%s] read both by "
                                    "tf.feature_column.input_layer and directly" % key)
        return keys

    def _network_ops(self, statement):
        """tf.layers.<f>(x, ...) -> keras.layers.<F>(...)(x); tf ops -> keras.ops, nested or
        not (``tf.nn.relu(tf.layers.dense(tf.concat([a, b], 1), 10))``)."""
        self.current = statement
        self.layer_parts = None
        if self._input_layer(statement.value) is not None:
            setup = len(self.column_setup)
            inputs, lines = self._columns_of(statement)
            start, end = self.script.index.node_span(statement)
            if self.subclass:  # the columns: a functional model of their own, made in __init__
                target = statement.targets[0].id
                head = self._setup_lines(self.column_setup[setup:])
                del self.column_setup[setup:]  # run in __init__, not in model_fn
                head += [line[len(self.indent) * 2:].rstrip("\n") for line in self._inputs_dict(
                    ["%s: %s" % item for item in inputs.items()], self.indent * 2)] + lines[:-1]
                attribute = self._define(statement.value, [], "keras.Model(%s, %s)" % (
                    self.features, lines[-1][len(target) + 3:]), "input_layer", head=head)
                self.input_layers.append(attribute)
                self.script.edits.append(Edit(start, end, "%s = self.%s(%s)" % (
                    target, attribute, self.features)))
                return
            self.script.edits.append(Edit(start, end, ("\n" + self.indent).join(lines)))
            return
        pieces = self._pieces(statement.value)
        width = len(self.indent) + len(self.script.segment(statement.targets[0])) + 3
        whole = len(pieces) == 1 and pieces[0][:2] == self.script.index.node_span(
            statement.value)
        if not self.subclass and whole and width + len(pieces[0][2]) > 100 and \
                self.layer_parts is not None:
            # one layer call too long for a line: its arguments wrapped under it
            head, arguments, tail = self.layer_parts
            lines, line = [], ""
            for argument in arguments:
                if line and len(self.indent) + 4 + len(line) + len(argument) + 2 > 99:
                    lines.append(line + ",")
                    line = ""
                line += (", " if line else "") + argument
            pieces = [pieces[0][:2] + (head + "(\n" + "".join(
                self.indent + "    " + text + "\n" for text in lines) + self.indent + "    "
                + line + ")" + tail,)]
        for start, end, text in pieces:
            self.script.edits.append(Edit(start, end, text))

    def _pieces(self, node):
        """(start, end, text) replacements of the calls in ``node`` that are translated."""
        s = self.script
        if isinstance(node, ast.Call):
            name = s.canonical(node.func) or ""
            if name.startswith("tf.layers."):
                return [s.index.node_span(node) + (self._layer(node, name),)]
            if name in tables.NETWORK_OPS:
                return [s.index.node_span(node) + (self._op(node, name),)]
            if name in tables.INITIALIZERS and (name.startswith("tf.") or (
                    # the tf-contrib rule's bare stand-in name
                    isinstance(node.func, ast.Name) and name not in self.outer.functions())):
                return [s.index.node_span(node) + (self._initializer(node, name),)]
            if name.startswith("tf.") and not name.startswith("tf.keras."):
                raise NotTranslated(self._outer(node), "%s on the network's tensors" % name)
            constructor = self._keras_layer(node) and node.keywords
            for keyword in constructor or ():
                if keyword.arg in tables.REGULARIZER_KEYWORDS:
                    raise NotTranslated(self._outer(node), "%s (%s=)" % (
                        tables.LAYERS["dense"].refused[keyword.arg].split(" (")[0],
                        keyword.arg))
            flag = [k for k in node.keywords if k.arg == "training"]
            keras_class = self._keras_layer(node.func)
            why = tables.KERAS_TRAINING_LAYERS.get(keras_class)
            if why or (why is not None and not flag):
                raise NotTranslated(self._outer(node), why or "tf.keras.layers.%s in a model_fn "
                                    "without training= from the mode (the Estimator's Keras "
                                    "learning phase was 0: the layer did nothing)" % keras_class)
            if flag and isinstance(node.func, ast.Call):  # a Keras layer called in training mode
                if not self._is_train_flag(flag[0].value):
                    raise NotTranslated(self._outer(node), "a layer called with training=`%s` "
                                        "(not the mode's TRAIN flag)" % s.segment(flag[0].value))
            if self.subclass and isinstance(node.func, ast.Call) and keras_class is None:
                raise NotTranslated(self._outer(node), "`%s`: a layer created where it is "
                                    "called, in a network that is not a chain (not translated "
                                    "yet)" % s.segment(node)[:60])
            if (flag and isinstance(node.func, ast.Call)) or (self.subclass and keras_class):
                # functional: Keras' fit passes the flag itself; a subclass creates the layer
                # in __init__ and passes call's flag where the mode's was
                arguments = [self._text(a) for a in node.args] + [
                    "%s=%s" % (k.arg, self._text(k.value)) for k in node.keywords
                    if k.arg != "training"]
                if not self.subclass:
                    return [s.index.node_span(node) + ("%s(%s)" % (self._text(node.func),
                                                                    ", ".join(arguments)),)]
                attribute = self._define(node, node.func, self._text(node.func),
                                         _snake(keras_class))
                return [s.index.node_span(node) + ("self.%s(%s)" % (attribute, ", ".join(
                    arguments + (["training=training"] if flag else []))),)]
        pieces = []
        for child in ast.iter_child_nodes(node):
            pieces += self._pieces(child)
        return pieces

    def _keras_layer(self, node):
        """``X`` for a call's ``tf.keras.layers.X(...)`` (also through a module-level alias
        or import of the class), else None."""
        if not isinstance(node, ast.Call):
            return None
        name = self.script.canonical(node.func) or ""
        if isinstance(node.func, ast.Name):
            name = self.keras_aliases.get(node.func.id, name)
        for prefix in ("tf.keras.layers.", "keras.layers."):
            if name.startswith(prefix):
                return name[len(prefix):]
        return None

    def _text(self, node):
        """The source of ``node`` with its translated calls."""
        start, end = self.script.index.node_span(node)
        text = self.script.text[start:end]
        for first, last, new in sorted(self._pieces(node), reverse=True):
            text = text[:first - start] + new + text[last - start:]
        return text

    def _layer(self, node, name):
        short = name[len("tf.layers."):]
        layer = tables.LAYERS.get(short)
        if layer is None:
            raise NotTranslated(self._outer(node), name)
        args = call_arguments(node, ("inputs",) + layer.positional)
        if "inputs" not in args:
            raise NotTranslated(self._outer(node), "%s without inputs" % name)
        rest = []
        for keyword, value in args.items():
            if keyword in layer.refused:
                raise NotTranslated(self._outer(node), "%s with %s" % (name,
                                                                     layer.refused[keyword]))
            if keyword == "training":
                if not self._is_train_flag(value):
                    raise NotTranslated(self._outer(node), "%s with training=`%s` (not the "
                                        "mode's TRAIN flag)" % (name, self.script.segment(value)))
            elif keyword not in ("inputs",) + tables.LAYER_KEYWORDS_DROPPED:
                rest.append("%s=%s" % (layer.renames.get(keyword, keyword), self._text(value)))
        if short in tables.TRAINING_LAYERS and "training" not in args:
            raise NotTranslated(self._outer(node), tables.TRAINING_LAYERS[short])
        if short == "batch_normalization":
            self.batch_norms.append(node)
        inputs = self._text(args["inputs"])
        if self.subclass:
            settings = [v for k, v in args.items() if k not in ("inputs", "training")]
            attribute = self._define(node, settings, "keras.layers.%s(%s)" % (
                layer.keras, ", ".join(rest)), short, args.get("name"))
            return "self.%s(%s%s)" % (attribute, inputs, ", training=training"
                                      if "training" in args else "")
        # the statement's whole value a layer call: in parts (for wrapping a long line)
        if self.current is not None and node is self.current.value:
            self.layer_parts = ("keras.layers.%s" % layer.keras, rest, "(%s)" % inputs)
        return "keras.layers.%s(%s)(%s)" % (layer.keras, ", ".join(rest), inputs)

    def _initializer(self, node, name):
        spec = tables.INITIALIZERS[name]
        args = call_arguments(node, spec.positional)
        parts, given = [], set()
        for arg, value in args.items():
            if self.script.segment(value) in tables.INITIALIZER_DEFAULTS_ONLY.get(arg, ()):
                continue
            if arg not in spec.renames:
                raise NotTranslated(self._outer(node), "%s(%s=...)" % (name, arg))
            parts.append("%s=%s" % (spec.renames[arg], self._text(value)))
            given.add(spec.renames[arg])
        parts += ["%s=%s" % item for item in sorted(spec.tf1_defaults.items())
                  if item[0] not in given]
        return "keras.initializers.%s(%s)" % (spec.keras, ", ".join(parts))

    def _op(self, node, name):
        parameters = tables.NETWORK_OP_ARGUMENTS[name]
        args = call_arguments(node, parameters + ("name",))
        for keyword in args:
            if keyword not in parameters + ("name",):
                raise NotTranslated(self._outer(node), "%s(%s=...)" % (name, keyword))
        given = [p for p in parameters if p in args]
        if given != list(parameters[:len(given)]):
            raise NotTranslated(self._outer(node), "%s without %s" % (
                name, parameters[len(given)]))
        return "%s(%s)" % (tables.NETWORK_OPS[name],
                           ", ".join(self._text(args[p]) for p in given))

    def _statements_text(self, statements):
        """The kept statements with the comments and blank lines above them, edits applied."""
        index, text = self.script.index, self.script.text
        chunks = []
        previous_end = self.node.lineno  # the def line
        for statement in self.node.body:
            if statement in statements:
                start, end = index.line_start(previous_end + 1), index.line_start(
                    statement.end_lineno + 1)
                end = len(text) if statement.end_lineno >= len(index.lines) else end
                chunk = text[start:end]
                inside = [e for e in self.script.edits if start <= e.start and e.end <= end]
                chunks.append(apply_edits(chunk, [Edit(e.start - start, e.end - start, e.text)
                                                  for e in inside]))
            previous_end = statement.end_lineno
        return "".join(chunks)
