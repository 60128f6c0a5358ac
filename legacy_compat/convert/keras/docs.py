"""The Keras target's tables (``tables.py``) as the Markdown of docs/convert.md.

    python -m legacy_compat.convert.keras.docs [--write]   # print, or update docs/convert.md

The page holds the output between ``BEGIN`` and ``END``; tests check that it is current.
"""
import os
import sys

from legacy_compat.convert.keras import inputs, tables

BEGIN = "<!-- keras-tables:begin (python -m legacy_compat.convert.keras.docs --write) -->"
END = "<!-- keras-tables:end -->"
PAGE = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))), "docs", "convert.md")


def _code(text):
    return "`%s`" % text


def render():
    out = ["#### Feature columns -> Keras preprocessing layers", "",
           "The premade estimators' `feature_columns` and a model_fn's "
           "`tf.feature_column.input_layer(features, columns)`.", "",
           "| feature column | Keras 3 | translated now | note |", "|---|---|---|---|"]
    for name, column in sorted(tables.FEATURE_COLUMNS.items()):
        out.append("| `%s` | %s | %s | %s |" % (name, column.keras,
                                             "yes" if column.translated else "no: falls back",
                                             column.note))
    out += ["", "#### Premade estimators (TF 1.x defaults kept)", "",
            "| estimator | Keras model | optimizer | head loss reduction |", "|---|---|---|---|"]
    for name, premade in sorted(tables.PREMADE.items()):
        optimizer, rate = premade.optimizer
        model = "Dense(units, activation=%s) per hidden layer" % premade.activation \
            if premade.activation else "one Dense layer on the concatenated inputs"
        optimizers = "`keras.optimizers.%s(learning_rate=%s)`" % (
            optimizer, rate.format(n="n_columns"))
        if premade.linear_optimizer:
            model = ("`keras_job.WideAndDeep` (a `keras.Model` in the support module beside the script): a linear part "
                     "(one Dense layer named `linear` on the linear columns) plus a DNN (%s), "
                     "logits added; its `train_step` applies each part's gradients with its own "
                     "optimizer" % model)
            linear, linear_rate = premade.linear_optimizer
            optimizers = "linear part: `keras.optimizers.%s(learning_rate=%s)`; DNN: %s" % (
                linear, linear_rate.format(n="n_linear_columns"), optimizers)
        out.append("| `%s` | %s | %s | `%s` |" % (name, model, optimizers,
                                                   tables.HEAD_REDUCTION))
    out += ["", "#### tf.train optimizers -> Keras optimizers", "",
            "| TF 1.x | Keras 3 | arguments renamed | written out (TF 1.x default differs) |",
            "|---|---|---|---|"]
    for name, spec in sorted(tables.OPTIMIZERS.items()):
        renamed = ", ".join("`%s` -> `%s`" % (a, b) for a, b in sorted(spec.renames.items())
                            if a != b) or "none"
        defaults = ", ".join("`%s=%s`" % item for item in sorted(spec.tf1_defaults.items())) \
            or "none"
        out.append("| `tf.train.%s` | `keras.optimizers.%s` | %s | %s |" % (
            name, spec.keras, renamed, defaults))
    out.append("")
    out.append("Keras 2 optimizer keywords: %s." % ", ".join(
        "`%s` -> %s" % (a, "`%s`" % b if b else "not translated (falls back)")
        for a, b in sorted(tables.KERAS2_OPTIMIZER_KEYWORDS.items())))
    out += ["", "#### Learning-rate decay and optimize_loss (model_fn) -> Keras optimizers", "",
            "| TF 1.x | Keras 3 | arguments kept |", "|---|---|---|"]
    for name, spec in sorted(tables.LEARNING_RATE_DECAYS.items()):
        kept = ", ".join("`%s`" % a if a == b else "`%s` -> `%s`" % (a, b)
                         for a, b in sorted(spec.renames.items()))
        out.append("| `tf.train.%s` | `keras.optimizers.schedules.%s` | %s |" % (
            name, spec.keras, kept))
    out.append("| `tf.contrib.layers.optimize_loss(loss, step, learning_rate, optimizer, "
               "clip_gradients=c)` | the optimizer's Keras class (names: %s; a class, an "
               "instance or `lambda lr: tf.train.XOptimizer(lr, ...)`) with `learning_rate` and "
               "`%s=c` | a number or a hyperparameter as `clip_gradients` |"
               % (", ".join("`%s`%s" % (n, " (%s)" % ", ".join(
                   "`%s=%s`" % item for item in sorted(extra.items())) if extra else "")
                            for n, (_, extra) in sorted(tables.OPTIMIZE_LOSS_NAMES.items())),
                  tables.OPTIMIZE_LOSS_CLIP))
    out.append("| `optimize_loss(..., learning_rate_decay_fn=lambda lr, step: "
               "tf.train.<decay>(lr, step, ...))` | the decay's schedule (above) from "
               "optimize_loss's `learning_rate` | the decay's |")
    out.append("| `gradients, variables = zip(*optimizer.compute_gradients(loss))` (or "
               "`tf.gradients(loss, tf.trainable_variables())`), `tf.clip_by_global_norm"
               "(gradients, c)`, `optimizer.apply_gradients(zip(clipped, variables), "
               "global_step=...)` | the optimizer with `%s=c` | exactly this pattern |"
               % tables.OPTIMIZE_LOSS_CLIP)
    out.append("")
    out.append("The step must be the global step (%s): Keras' optimizer counts the same "
               "steps. Not translated: %s." % (
                   ", ".join("`%s()`" % n for n in tables.GLOBAL_STEP[:2]),
                   tables.MOMENTUM_WITH_SCHEDULE))
    out += ["", "#### tf.losses and tf.metrics (model_fn) -> compile arguments", "",
            "| TF 1.x | Keras 3 |", "|---|---|"]
    for name, (keras_class, args) in sorted(tables.LOSSES.items()):
        out.append("| `tf.losses.%s` | `keras.losses.%s(%s)` |" % (name, keras_class, args))
    for name, (keras_class, args) in sorted(tables.LOSSES_ON_ONE_HOT.items()):
        out.append("| `tf.losses.%s(tf.one_hot(labels, depth), logits)` | `keras.losses.%s(%s)` "
                   "on the labels |" % (name, keras_class, args))
    for name, metric in sorted(tables.METRICS.items()):
        extra = " (`%s` on the logits when the script passed their argmax)" % \
            metric.on_classes if metric.on_classes else ""
        out.append("| `tf.metrics.%s` | `keras.metrics.%s(name=<key>)`%s |" % (
            name, metric.keras, extra))
    out += ["", "#### tf.layers and graph ops in a model_fn network", "",
            "| TF 1.x | Keras 3 | not translated (falls back) |", "|---|---|---|"]
    for name, layer in sorted(tables.LAYERS.items()):
        keywords = sorted(k for k in layer.refused if k not in tables.REGULARIZER_KEYWORDS)
        if set(tables.REGULARIZER_KEYWORDS) & set(layer.refused):
            keywords.append("*_regularizer")
        refused = ", ".join("`%s=`" % k for k in keywords)
        if name in tables.TRAINING_LAYERS:
            refused = ", ".join(r for r in ("`training=` other than the mode's TRAIN flag",
                                            refused) if r)
        out.append("| `tf.layers.%s(inputs, ...)` | `keras.layers.%s(...)(inputs)` | %s |"
                   % (name, layer.keras, refused or "-"))
    for name, op in sorted(tables.NETWORK_OPS.items()):
        out.append("| `%s(%s)` | `%s` | other arguments |" % (
            name, ", ".join(tables.NETWORK_OP_ARGUMENTS[name]), op))
    for name, spec in sorted(tables.INITIALIZERS.items()):
        written = ", ".join("`%s=%s`" % item for item in sorted(spec.tf1_defaults.items()))
        out.append("| `%s(%s)` | `keras.initializers.%s`%s | other arguments%s |" % (
            name if name.startswith("tf.") else "tf.contrib.layers." + name,
            ", ".join(spec.positional), spec.keras,
            " (TF 1.x's defaults written out: %s)" % written if written else "",
            "; " + ", ".join("`%s=` other than `%s`" % (k, "/".join(v)) for k, v in sorted(
                tables.INITIALIZER_DEFAULTS_ONLY.items()) if k in spec.positional)
            if any(k in spec.positional for k in tables.INITIALIZER_DEFAULTS_ONLY) else ""))
    out.append("")
    out.append("A layer's `*_regularizer=` is not translated: %s; the TF 1.x loss had it "
               "only when the script added `tf.losses.get_regularization_loss()`." %
               tables._REGULARIZED)
    out.append("")
    out.append("A chain of layer calls and ops, each on the one before it, becomes a "
               "functional Keras graph; a network that branches, reuses tensors or adds them "
               "(`net + shortcut`) a `keras.Model` subclass. `training=` of %s must be `mode "
               "== tf.estimator.ModeKeys.TRAIN` (or a name assigned it): Keras' `fit` trains "
               "with it on, `evaluate` and the export run with it off, as the Estimator's "
               "modes did. %s: the train op must depend on `tf.get_collection(%s)` (`with "
               "tf.control_dependencies(...)` or `optimize_loss`); else it is not translated "
               "(%s). `%s=` is dropped (it chose TF 1.x's kernel). Keras 3's BatchNormalization "
               "has TF 1.x's defaults (momentum 0.99, epsilon 1e-3); on 4-D inputs TF 1.x's "
               "fused kernel updated the moving variance with the unbiased batch variance "
               "(n/(n-1) times Keras', n = batch x height x width)." % (
                   " and ".join("`tf.layers.%s`" % n for n in sorted(tables.TRAINING_LAYERS)),
                   "`tf.layers.batch_normalization`", tables.UPDATE_OPS,
                   "TF 1.x never updated the moving statistics",
                   "`, `".join(tables.LAYER_KEYWORDS_DROPPED)))
    out.append("")
    out.append("`tf.keras.layers` called in a model_fn are kept; %s ran in the Estimator's "
               "learning phase 0 (inference) unless called with `training=` from the mode, "
               "so without it they are not translated. Not translated: %s." % (
                   ", ".join("`%s`" % n for n, why in sorted(
                       tables.KERAS_TRAINING_LAYERS.items()) if not why),
                   "; ".join(why for why in tables.KERAS_TRAINING_LAYERS.values() if why)))
    out += _input_rows()
    out += ["", "#### Never translated (the file gets the Estimator target and an ERROR)", "",
            "| construct | why |", "|---|---|"]
    for name, why in sorted(tables.UNTRANSLATABLE.items()):
        out.append("| `%s` | %s |" % (name, why))
    for name, why in sorted(tables.UNTRANSLATABLE_KEYWORDS.items()):
        out.append("| `%s=` | %s |" % (name, why))
    return "\n".join(out) + "\n"


def _input_rows():
    defaults = tables.NUMPY_INPUT_FN_DEFAULTS
    out = ["", "#### Input functions -> tf.data (same batches, same order)", "",
           "| TF 1.x | tf.data |", "|---|---|",
           "| `tf.estimator.inputs.numpy_input_fn(x, y, batch_size=%s, num_epochs=%s, shuffle, "
           "queue_capacity=%s)` | `Dataset.from_tensor_slices((x, y))`, `.shuffle(queue_capacity)` "
           "if shuffle (a variable: under `if shuffle:`), `.repeat(num_epochs)` (None: "
           "forever), `.batch(batch_size)` |" % (defaults["batch_size"], defaults["num_epochs"],
                                                 defaults["queue_capacity"]),
           "| `dataset.make_one_shot_iterator().get_next()`, `tf.data.make_one_shot_iterator("
           "dataset)`, an `iterator` variable used once | the dataset; tensors unpacked from it "
           "and returned restructured: `dataset.map(lambda a, b: <the returned expression>)`; "
           "statements (assignments, calls) on them before the return: a local function "
           "`features_and_labels(a, b)` holding them, mapped |",
           "| `%s` tensors returned (in tuples, dicts) | `Dataset.from_tensors(...).repeat()`: the "
           "same whole batch every step |" % "` / `".join(inputs.CONSTANT_TENSORS),
           "| `(features, labels)` of numpy arrays returned (`np.` calls, sliced, `.%s()`, "
           "through names and a helper's returned tuple) | the same: the Estimator made them "
           "constant tensors |" % "()`, `.".join(inputs.NUMPY_METHODS[:2]),
           "| `%s.%s(...)` and its dataset methods | kept: it is a `tf.data.Dataset` |"
           % inputs.PIPE_MODE,
           "| `%s(files, num_epochs=None, shuffle=True, seed)` + `%s().read(queue)` | "
           "`TFRecordDataset(files).repeat(num_epochs)`; shuffled over more than one file: "
           "`Dataset.from_tensor_slices(files).shuffle(len(files), seed).repeat(num_epochs)"
           ".flat_map(TFRecordDataset)`; the statements between `read` and the batch become a "
           "local `parse` function, `.map(parse)` |" % (
               "` / `".join(tables.QUEUE_PRODUCERS), "` / `".join(tables.QUEUE_READERS))]
    for name, spec in sorted(tables.QUEUE_BATCH.items()):
        shuffled = "`.shuffle(min_after_dequeue, seed)`, " if spec.shuffle else ""
        only = ", ".join("`%s` %s" % (arg, "a constant" if set(values) == {True, False} else
                                      "only " + " or ".join(repr(v) for v in values))
                         for arg, values in sorted(spec.only.items()))
        ignored = [a for a in spec.positional if a not in spec.kept]
        out.append("| `%s(%s)` | %s`.batch(batch_size, drop_remainder=True)` (`allow_smaller_"
                   "final_batch=True`: without `drop_remainder`); %s; not translated: %s |" % (
                       name, ", ".join(spec.positional[:4 if spec.shuffle else 2]), shuffled,
                       only, ", ".join("`%s`" % a for a in ignored)))
    return out


def page_with_tables(page_text):
    before, _, rest = page_text.partition(BEGIN)
    _, _, after = rest.partition(END)
    return before + BEGIN + "\n" + render() + END + after


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if "--write" in argv:
        with open(PAGE, encoding="utf-8") as handle:
            text = handle.read()
        if BEGIN not in text:
            raise SystemExit("%s has no %s marker" % (PAGE, BEGIN))
        with open(PAGE, "w", encoding="utf-8") as handle:
            handle.write(page_with_tables(text))
    else:
        sys.stdout.write(render())


if __name__ == "__main__":
    main()
