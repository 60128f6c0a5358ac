"""What the Keras target translates, as data: each TF 1.x name and the Keras 3 code it becomes.

``docs/convert.md`` renders these tables (``legacy_compat/convert/keras/docs.py``); a test checks
the page against them. The translators in this package read them and nothing else, so a row
added here is both documented and converted. A TF 1.x name that appears in none of them is not
translated: the file goes to the Estimator target with an ERROR naming it.
"""
import collections

# -- optimizers ---------------------------------------------------------------------------------
# tf.train.<name> -> keras.optimizers.<keras>. ``positional``: the TF 1.x parameters in order
# (a call may pass them positionally); ``renames``: TF 1.x keyword -> Keras keyword (a keyword
# missing from both is not translated); ``tf1_defaults``: Keras arguments written out because
# the Keras default differs from TF 1.x's (the hyperparameters must stay the same).
Optimizer = collections.namedtuple("Optimizer", "keras positional renames tf1_defaults")

_NO_LOCKING = ("use_locking", "name")
OPTIMIZERS = {
    "GradientDescentOptimizer": Optimizer(
        "SGD", ("learning_rate",) + _NO_LOCKING, {"learning_rate": "learning_rate"}, {}),
    "MomentumOptimizer": Optimizer(
        "SGD", ("learning_rate", "momentum") + _NO_LOCKING + ("use_nesterov",),
        {"learning_rate": "learning_rate", "momentum": "momentum", "use_nesterov": "nesterov"},
        {}),
    "AdamOptimizer": Optimizer(
        "Adam", ("learning_rate", "beta1", "beta2", "epsilon") + _NO_LOCKING,
        {"learning_rate": "learning_rate", "beta1": "beta_1", "beta2": "beta_2",
         "epsilon": "epsilon"},
        {"epsilon": "1e-08"}),
    "AdagradOptimizer": Optimizer(
        "Adagrad", ("learning_rate", "initial_accumulator_value") + _NO_LOCKING,
        {"learning_rate": "learning_rate",
         "initial_accumulator_value": "initial_accumulator_value"},
        {}),
    "RMSPropOptimizer": Optimizer(
        "RMSprop", ("learning_rate", "decay", "momentum", "epsilon") + _NO_LOCKING
        + ("centered",),
        {"learning_rate": "learning_rate", "decay": "rho", "momentum": "momentum",
         "epsilon": "epsilon", "centered": "centered"},
        {"epsilon": "1e-10"}),
    "FtrlOptimizer": Optimizer(
        "Ftrl", ("learning_rate", "learning_rate_power", "initial_accumulator_value",
                 "l1_regularization_strength", "l2_regularization_strength") + _NO_LOCKING,
        {"learning_rate": "learning_rate", "learning_rate_power": "learning_rate_power",
         "initial_accumulator_value": "initial_accumulator_value",
         "l1_regularization_strength": "l1_regularization_strength",
         "l2_regularization_strength": "l2_regularization_strength",
         "l2_shrinkage_regularization_strength": "l2_shrinkage_regularization_strength"},
        {}),
    "AdadeltaOptimizer": Optimizer(
        "Adadelta", ("learning_rate", "rho", "epsilon") + _NO_LOCKING,
        {"learning_rate": "learning_rate", "rho": "rho", "epsilon": "epsilon"},
        {"learning_rate": "0.001", "epsilon": "1e-08"}),
}

# tf.train.<decay>(learning_rate, global_step, ...) -> keras.optimizers.schedules.<class>. The
# Keras optimizer counts its own steps (``iterations``), which is the Estimator's global step
# when the step given is tf.train.get_global_step() (GLOBAL_STEP). ``positional``: the TF 1.x
# parameters in order; ``renames``: TF 1.x keyword -> Keras keyword (others: not translated).
Schedule = collections.namedtuple("Schedule", "keras positional renames")
_DECAY = ("learning_rate", "global_step", "decay_steps", "decay_rate", "staircase", "name")
_DECAY_RENAMES = {"learning_rate": "initial_learning_rate", "decay_steps": "decay_steps",
                  "decay_rate": "decay_rate", "staircase": "staircase"}
LEARNING_RATE_DECAYS = {
    "exponential_decay": Schedule("ExponentialDecay", _DECAY, _DECAY_RENAMES),
    "inverse_time_decay": Schedule("InverseTimeDecay", _DECAY, _DECAY_RENAMES),
    "polynomial_decay": Schedule(
        "PolynomialDecay", ("learning_rate", "global_step", "decay_steps", "end_learning_rate",
                            "power", "cycle", "name"),
        {"learning_rate": "initial_learning_rate", "decay_steps": "decay_steps",
         "end_learning_rate": "end_learning_rate", "power": "power", "cycle": "cycle"}),
    "cosine_decay": Schedule(
        "CosineDecay", ("learning_rate", "global_step", "decay_steps", "alpha", "name"),
        {"learning_rate": "initial_learning_rate", "decay_steps": "decay_steps",
         "alpha": "alpha"}),
    "piecewise_constant": Schedule(
        "PiecewiseConstantDecay", ("x", "boundaries", "values", "name"),
        {"boundaries": "boundaries", "values": "values"}),
}
GLOBAL_STEP = ("tf.train.get_global_step", "tf.train.get_or_create_global_step",
               "tf.contrib.framework.get_global_step",
               "tf.contrib.framework.get_or_create_global_step",
               # tf.contrib.framework's, as the tf-contrib rule renamed them
               "tf.compat.v1.train.get_global_step",
               "tf.compat.v1.train.get_or_create_global_step")

# tf.contrib.layers.optimize_loss(loss, global_step, learning_rate, optimizer, ...): the
# optimizer names it takes (contrib's OPTIMIZER_CLS_NAMES) -> the tf.train class (OPTIMIZERS) it
# builds with learning_rate, and the arguments it added. "Momentum" is TF 1.5+'s
# MomentumOptimizer(lr, momentum=0.9) (TF 1.4 passed no momentum, so the name failed there).
OPTIMIZE_LOSS_NAMES = {"SGD": ("GradientDescentOptimizer", {}),
                       "Adam": ("AdamOptimizer", {}),
                       "Adagrad": ("AdagradOptimizer", {}),
                       "Momentum": ("MomentumOptimizer", {"momentum": "0.9"}),
                       "RMSProp": ("RMSPropOptimizer", {}),
                       "Ftrl": ("FtrlOptimizer", {})}
OPTIMIZE_LOSS_POSITIONAL = ("loss", "global_step", "learning_rate", "optimizer",
                            "gradient_noise_scale", "gradient_multipliers", "clip_gradients")
# A number as clip_gradients: optimize_loss clipped by the global norm of all gradients; so does
# the hand-written `tf.clip_by_global_norm` between compute_gradients and apply_gradients.
OPTIMIZE_LOSS_CLIP = "global_clipnorm"
# Keras 3's SGD folds the learning rate into the velocity (m = momentum * m - lr * g), TF 1.x's
# MomentumOptimizer applies it after (a = momentum * a + g; w -= lr * a): the same steps only
# while the learning rate is constant, so momentum with a decaying rate is not translated.
MOMENTUM_WITH_SCHEDULE = ("TF 1.x's MomentumOptimizer with a decaying learning rate (Keras' SGD "
                          "scales the velocity by each step's rate, TF 1.x the accumulated "
                          "gradients by the current one)")

# Keras 2 optimizer keywords (tf.keras.optimizers.X(lr=...)) that Keras 3 renamed; None: Keras 3
# has no equivalent argument, so the call is not translated.
KERAS2_OPTIMIZER_KEYWORDS = {"lr": "learning_rate", "decay": None}
# Keras 2 layer keywords Keras 3 renamed: layer class -> {old: new}.
KERAS2_LAYER_KEYWORDS = {"InputLayer": {"input_shape": "shape"}}

# -- losses and metrics of a model_fn -----------------------------------------------------------
# tf.losses.<name>(labels, predictions) -> keras.losses.<class>(<arguments>). TF 1.x's default
# reduction (SUM_BY_NONZERO_WEIGHTS, a mean over the batch without weights) is Keras' default.
LOSSES = {
    "mean_squared_error": ("MeanSquaredError", ""),
    "absolute_difference": ("MeanAbsoluteError", ""),
    "huber_loss": ("Huber", ""),
    "hinge_loss": ("Hinge", ""),
    "log_loss": ("BinaryCrossentropy", ""),
    "sigmoid_cross_entropy": ("BinaryCrossentropy", "from_logits=True"),
    "softmax_cross_entropy": ("CategoricalCrossentropy", "from_logits=True"),
    "sparse_softmax_cross_entropy": ("SparseCategoricalCrossentropy", "from_logits=True"),
}
# The argument order of tf.losses.<name>: which positions hold the labels and the predictions.
LOSS_ARGUMENTS = {
    "sigmoid_cross_entropy": ("multi_class_labels", "logits"),
    "softmax_cross_entropy": ("onehot_labels", "logits"),
    "sparse_softmax_cross_entropy": ("labels", "logits"),
}
LOSS_DEFAULT_ARGUMENTS = ("labels", "predictions")
# A loss on ``tf.one_hot(labels, depth)`` (the class ids one-hot): the Keras loss that takes
# the class ids (the same value without label smoothing).
LOSSES_ON_ONE_HOT = {
    "softmax_cross_entropy": ("SparseCategoricalCrossentropy", "from_logits=True"),
}

# tf.metrics.<name>(labels, predictions) -> the Keras metric class, keeping the user's key as
# its name. ``on_classes``: the TF 1.x metric compares class ids; when the model outputs logits
# and the script passes their argmax, the Keras class takes the logits itself.
Metric = collections.namedtuple("Metric", "keras on_classes")
METRICS = {
    "accuracy": Metric("Accuracy", "SparseCategoricalAccuracy"),
    "mean_absolute_error": Metric("MeanAbsoluteError", None),
    "mean_squared_error": Metric("MeanSquaredError", None),
    "root_mean_squared_error": Metric("RootMeanSquaredError", None),
    "auc": Metric("AUC", None),
    "precision": Metric("Precision", None),
    "recall": Metric("Recall", None),
}

# -- layers ---------------------------------------------------------------------------------------
# tf.layers.<function>(inputs, <positional>...) -> keras.layers.<class>(<positional>...)(inputs).
# ``renames``: TF 1.x keyword -> Keras keyword where they differ; ``refused``: keywords without a
# faithful Keras argument -> why (the file falls back). The TF 1.x defaults not written out are
# Keras 3's too (dense/conv2d: glorot_uniform kernels, zero biases; batch_normalization:
# momentum 0.99, epsilon 1e-3, axis -1, beta 0, gamma 1, moving mean 0, variance 1).
# ``training=`` (batch_normalization, dropout) must come from the mode (TRAINING_FLAG); Keras'
# fit trains with it on, evaluate and the export run with it off, as the Estimator's modes did.
Layer = collections.namedtuple("Layer", "keras positional renames refused")
# A regularizer of a layer in a model_fn was in the loss only if the script added
# tf.losses.get_regularization_loss() (then the loss is not a tf.losses call, not translated);
# Keras adds a layer's regularizers to the loss always.
_REGULARIZED = ("regularization the TF 1.x loss did not include (Keras adds a layer's "
                "regularizers to the loss)")
REGULARIZER_KEYWORDS = ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                        "beta_regularizer", "gamma_regularizer", "depthwise_regularizer",
                        "pointwise_regularizer", "embeddings_regularizer")
_NO_REUSE = dict({"reuse": "variable sharing (reuse=)", "trainable": "frozen layers (trainable=)"},
                 **{keyword: "%s (%s=)" % (_REGULARIZED, keyword)
                    for keyword in REGULARIZER_KEYWORDS})
LAYERS = {
    "dense": Layer("Dense", ("units", "activation"), {}, _NO_REUSE),
    "conv2d": Layer("Conv2D", ("filters", "kernel_size", "strides", "padding"), {}, _NO_REUSE),
    "max_pooling2d": Layer("MaxPooling2D", ("pool_size", "strides", "padding"), {}, {}),
    "average_pooling2d": Layer("AveragePooling2D", ("pool_size", "strides", "padding"), {}, {}),
    "flatten": Layer("Flatten", (), {}, {}),
    "dropout": Layer("Dropout", ("rate", "noise_shape", "seed", "training"), {}, {}),
    "batch_normalization": Layer(
        "BatchNormalization", ("axis", "momentum", "epsilon", "center", "scale"), {},
        dict(_NO_REUSE, renorm="batch renormalization (renorm=)",
             renorm_clipping="batch renormalization (renorm_clipping=)",
             renorm_momentum="batch renormalization (renorm_momentum=)",
             virtual_batch_size="ghost batch normalization (virtual_batch_size=)",
             adjustment="adjusted normalization (adjustment=)")),
}
# tf.<initializer>(...) as a layer's initializer -> keras.initializers.<class>, the same
# distribution (``tf1_defaults``: written out where Keras' defaults differ; ``seed`` kept, the
# values it draws are Keras'). ``xavier_initializer`` is tf.contrib.layers' (uniform only).
Initializer = collections.namedtuple("Initializer", "keras positional renames tf1_defaults")
INITIALIZERS = {
    "tf.glorot_uniform_initializer": Initializer("GlorotUniform", ("seed",), {"seed": "seed"},
                                                 {}),
    "xavier_initializer": Initializer("GlorotUniform", ("uniform", "seed"), {"seed": "seed"},
                                      {}),
    "tf.zeros_initializer": Initializer("Zeros", (), {}, {}),
    "tf.ones_initializer": Initializer("Ones", (), {}, {}),
    "tf.random_normal_initializer": Initializer(
        "RandomNormal", ("mean", "stddev", "seed"),
        {"mean": "mean", "stddev": "stddev", "seed": "seed"}, {"stddev": "1.0"}),
    "tf.truncated_normal_initializer": Initializer(
        "TruncatedNormal", ("mean", "stddev", "seed"),
        {"mean": "mean", "stddev": "stddev", "seed": "seed"}, {"stddev": "1.0"}),
    "tf.random_uniform_initializer": Initializer(
        "RandomUniform", ("minval", "maxval", "seed"),
        {"minval": "minval", "maxval": "maxval", "seed": "seed"},
        {"minval": "0.0", "maxval": "1.0"}),
}
# Arguments an initializer call may have only at its TF 1.x default (source texts).
INITIALIZER_DEFAULTS_ONLY = {"uniform": ("True",)}

# Keyword arguments of tf.layers that only chose TF 1.x's kernel (fused batch norm): dropped.
LAYER_KEYWORDS_DROPPED = ("fused",)
# The layers whose TF 1.x behaviour depends on ``training=``: without the flag from the mode
# they never trained that way, which a Keras layer under fit cannot reproduce.
TRAINING_LAYERS = {
    "dropout": "tf.layers.dropout without training= from the mode (TF 1.x applied no dropout)",
    "batch_normalization": "tf.layers.batch_normalization without training= from the mode "
                           "(TF 1.x normalised with the initial moving statistics)",
}
# The training flag: ``mode == TRAIN`` (or a name assigned it) as a layer's ``training=``;
# ModeKeys.TRAIN's value is the string "train".
MODE_TRAIN = "tf.estimator.ModeKeys.TRAIN"
MODE_TRAIN_VALUE = "train"
# The PREDICT branch's export_outputs that the Keras export has anyway: the default signature
# (serving_default) returning the predictions dict.
PREDICT_OUTPUT = ("tf.estimator.export.PredictOutput",)
DEFAULT_SIGNATURE_KEY = ("tf.saved_model.signature_constants.DEFAULT_SERVING_SIGNATURE_DEF_KEY",
                         "tf.compat.v1.saved_model.signature_constants."
                         "DEFAULT_SERVING_SIGNATURE_DEF_KEY",
                         "tf.saved_model.DEFAULT_SERVING_SIGNATURE_DEF_KEY",
                         "DEFAULT_SERVING_SIGNATURE_DEF_KEY")
# After the PREDICT branch, ``if mode == TRAIN:`` or ``EVAL`` returning that mode's spec: the
# statements in it are the loss, metrics and optimizer of the one Keras model.
MODE_BRANCHES = ("tf.estimator.ModeKeys.TRAIN", "tf.estimator.ModeKeys.EVAL")
# tf.keras layers called in a model_fn that behave by the learning phase, which the Estimator
# left at 0 (inference) unless the call passed training=: without the mode's flag they did
# nothing in TF 1.x. Values: "" (translated with the flag), or why it is never translated.
KERAS_TRAINING_LAYERS = {
    "Dropout": "", "SpatialDropout1D": "", "SpatialDropout2D": "", "SpatialDropout3D": "",
    "GaussianNoise": "", "GaussianDropout": "", "AlphaDropout": "",
    "BatchNormalization": "tf.keras.layers.BatchNormalization in a model_fn (TF 1.4-1.8 ran "
                          "its moving-statistics updates through UPDATE_OPS, TF 1.9+ never)",
}
# A network that is not a chain of layer calls becomes a keras.Model subclass whose layers are
# attributes named after the script's variables: never one of keras.Model's own (Keras 3.x's
# public attributes and the ones a model sets on itself), nor ``call``'s parameters.
KERAS_MODEL_ATTRIBUTES = frozenset("""
    add_loss add_metric add_variable add_weight autocast build build_from_config built call
    compile compile_from_config compiled compiled_loss compiled_metrics compute_dtype
    compute_loss compute_mask compute_metrics compute_output_shape compute_output_spec
    count_params distribute_reduction_method distribute_strategy dtype dtype_policy evaluate
    export fit from_config get_build_config get_compile_config get_config get_layer
    get_metrics_result get_quantization_layer_structure get_state_tree get_weights history
    input input_dtype input_spec inputs jit_compile layers load_own_variables load_weights loss
    losses make_predict_function make_test_function make_train_function metrics metrics_names
    metrics_variables name non_trainable_variables non_trainable_weights optimizer output
    outputs path predict predict_on_batch predict_step quantization_mode quantize
    quantized_build quantized_call rematerialized_call reset_metrics run_eagerly save
    save_own_variables save_weights seed_generator set_state_tree set_weights
    steps_per_execution stateless_call stateless_compute_loss stop_training summary
    supports_masking symbolic_call test_on_batch test_step to_json train_on_batch train_step
    trainable trainable_variables trainable_weights training variable_dtype variables weights
""".split())

# batch_normalization's moving statistics were updated only by the UPDATE_OPS collection's ops,
# which the train op must depend on: `with tf.control_dependencies(tf.get_collection(
# tf.GraphKeys.UPDATE_OPS)):` around minimize, or optimize_loss (it adds them itself).
UPDATE_OPS = "tf.GraphKeys.UPDATE_OPS"
NO_UPDATE_OPS = ("tf.layers.batch_normalization without its UPDATE_OPS as a dependency of the "
                 "train op (TF 1.x never updated the moving mean and variance)")

# TensorFlow ops on the network's symbolic tensors -> the keras.ops function (Keras 3 refuses
# raw tf ops on keras.Input tensors). Only these are translated inside a model_fn's network.
NETWORK_OPS = {
    "tf.reshape": "keras.ops.reshape",
    "tf.concat": "keras.ops.concatenate",
    "tf.squeeze": "keras.ops.squeeze",
    "tf.nn.relu": "keras.ops.relu",
    "tf.nn.relu6": "keras.ops.relu6",
    "tf.nn.elu": "keras.ops.elu",
    "tf.nn.softplus": "keras.ops.softplus",
    "tf.nn.softmax": "keras.ops.softmax",
    "tf.nn.sigmoid": "keras.ops.sigmoid",
    "tf.nn.tanh": "keras.ops.tanh",
    "tf.sigmoid": "keras.ops.sigmoid",
    "tf.tanh": "keras.ops.tanh",
    "tf.add": "keras.ops.add",
    "tf.subtract": "keras.ops.subtract",
    "tf.multiply": "keras.ops.multiply",
    "tf.maximum": "keras.ops.maximum",
    "tf.matmul": "keras.ops.matmul",
    "tf.expand_dims": "keras.ops.expand_dims",
    "tf.cast": "keras.ops.cast",
}
# Each op's TF 1.x parameters that keras.ops takes in the same order (written by position);
# ``name=`` is dropped (it only named the graph op), any other argument is not translated. Ops
# not listed take their one tensor argument only.
NETWORK_OP_ARGUMENTS = {
    "tf.reshape": ("tensor", "shape"),
    "tf.concat": ("values", "axis"),
    "tf.squeeze": ("input", "axis"),
    "tf.nn.relu": ("features",),
    "tf.nn.relu6": ("features",),
    "tf.nn.elu": ("features",),
    "tf.nn.softplus": ("features",),
    "tf.nn.softmax": ("logits", "axis"),
    "tf.nn.sigmoid": ("x",),
    "tf.nn.tanh": ("x",),
    "tf.sigmoid": ("x",),
    "tf.tanh": ("x",),
    "tf.add": ("x", "y"),
    "tf.subtract": ("x", "y"),
    "tf.multiply": ("x", "y"),
    "tf.maximum": ("x", "y"),
    "tf.matmul": ("a", "b"),
    "tf.expand_dims": ("input", "axis"),
    "tf.cast": ("x", "dtype"),
}

# -- input functions ----------------------------------------------------------------------------
# numpy_input_fn's defaults (TF 1.x estimator/inputs/numpy_io.py).
NUMPY_INPUT_FN_DEFAULTS = {"batch_size": "128", "num_epochs": "1", "shuffle": None,
                           "queue_capacity": "1000"}

# Queue readers (queues.py): string_input_producer + a reader + tf.train.batch/shuffle_batch.
QUEUE_PRODUCERS = ("tf.train.string_input_producer",)
QUEUE_READERS = ("tf.TFRecordReader",)
STRING_INPUT_PRODUCER_POSITIONAL = ("string_tensor", "num_epochs", "shuffle", "seed",
                                    "capacity", "shared_name", "name", "cancel_op")
# the rest (shared_name, cancel_op) is not translated; capacity only sized the queue
STRING_INPUT_PRODUCER_KEPT = ("string_tensor", "num_epochs", "shuffle", "seed", "capacity",
                              "name")
# ``kept``: arguments translated or without effect on the batches (capacity, num_threads,
# name); ``only``: arguments translated for these constant values only; ``shuffle``: the
# batches are drawn from a shuffling buffer of ``min_after_dequeue`` examples.
QueueBatch = collections.namedtuple("QueueBatch", "positional kept only shuffle")
QUEUE_BATCH = {
    "tf.train.batch": QueueBatch(
        ("tensors", "batch_size", "num_threads", "capacity", "enqueue_many", "shapes",
         "dynamic_pad", "allow_smaller_final_batch", "shared_name", "name"),
        ("tensors", "batch_size", "num_threads", "capacity", "enqueue_many", "dynamic_pad",
         "allow_smaller_final_batch", "name"),
        {"enqueue_many": (False,), "dynamic_pad": (False,),
         "allow_smaller_final_batch": (False, True)}, False),
    "tf.train.shuffle_batch": QueueBatch(
        ("tensors", "batch_size", "capacity", "min_after_dequeue", "num_threads", "seed",
         "enqueue_many", "shapes", "allow_smaller_final_batch", "shared_name", "name"),
        ("tensors", "batch_size", "capacity", "min_after_dequeue", "num_threads", "seed",
         "enqueue_many", "allow_smaller_final_batch", "name"),
        {"enqueue_many": (False,), "allow_smaller_final_batch": (False, True)}, True),
}

# TF 1.x names the Keras target gives a TF 2 name beyond the rename table's (names.py takes the
# table's TF 2 names; it keeps these under tf.compat.v1, as their TF 2 versions order or name
# some arguments differently); None: not translated.
TF2_NAMES = {
    "tf.parse_example": "tf.io.parse_example",
    "tf.parse_single_example": "tf.io.parse_single_example",
    "tf.decode_csv": "tf.io.decode_csv",
    "tf.decode_raw": "tf.io.decode_raw",
    "tf.to_float": None,  # not kept: rewritten by hand would change dtypes silently
}
# TF 1.x ops whose TF 2 version behaves the same unless one of these keywords is used.
TF2_SAME_UNLESS = {
    "tf.argmax": ("dimension",),
    "tf.argmin": ("dimension",),
    "tf.nn.softmax": ("dim",),
    "tf.reduce_mean": ("keep_dims", "reduction_indices"),
    "tf.reduce_sum": ("keep_dims", "reduction_indices"),
    "tf.reduce_max": ("keep_dims", "reduction_indices"),
    "tf.shape": (),
    "tf.cast": (),
    "tf.io.parse_example": (),
    "tf.string_to_number": None,
    # TF 1.x filled a short value up to `shape` with its last element; TF 2 refuses
    "tf.constant": ("shape", "verify_shape"),
    "tf.convert_to_tensor": ("preferred_dtype",),
}
# ... and takes at most this many positional arguments (the next one is a keyword above).
TF2_SAME_POSITIONAL = {"tf.constant": 2, "tf.convert_to_tensor": 3}

# -- feature columns -> Keras preprocessing layers (premade estimators) ---------------------------
# ``translated``: this converter writes the layer; otherwise the file goes to the Estimator
# target with an ERROR naming the column (the mapping is what a person would write).
FeatureColumn = collections.namedtuple("FeatureColumn", "keras translated note")
FEATURE_COLUMNS = {
    "numeric_column": FeatureColumn(
        "the `keras.Input` itself (its `shape`, float32)", True,
        "`normalizer_fn` is not translated"),
    "bucketized_column": FeatureColumn(
        "`keras.layers.Discretization(bin_boundaries=boundaries, output_mode=\"one_hot\")`",
        True, "one-hot, as the DNN's input layer used it; a scalar source only"),
    "categorical_column_with_vocabulary_list": FeatureColumn(
        "`keras.layers.StringLookup` / `IntegerLookup(vocabulary=..., num_oov_indices=...)`",
        True, "`num_oov_buckets` -> `num_oov_indices`; without OOV buckets the OOV slot Keras "
        "adds is dropped from the one-hot (TF 1.x gave unknown values all zeros)"),
    "categorical_column_with_vocabulary_file": FeatureColumn(
        "`keras.layers.StringLookup(vocabulary=<file>)`", True,
        "`vocabulary_size` (truncation) is not translated"),
    "categorical_column_with_hash_bucket": FeatureColumn(
        "`keras.layers.Hashing(num_bins=hash_bucket_size)`", True,
        "the same unsalted FarmHash as the column (`to_hash_bucket_fast`)"),
    "categorical_column_with_identity": FeatureColumn(
        "`keras.layers.CategoryEncoding(num_tokens=num_buckets)` / the ids themselves", True,
        "`default_value` (out-of-range ids) is not translated"),
    "indicator_column": FeatureColumn(
        "the categorical layer's `output_mode=\"one_hot\"`", True, ""),
    "embedding_column": FeatureColumn(
        "`keras.layers.Embedding(input_dim, dimension)` with TF 1.x's initializer, then the mean "
        "over the ids", True, "combiner `mean` only; not over a vocabulary without OOV buckets "
        "(TF 1.x embedded unknown values as zeros)"),
    "crossed_column": FeatureColumn(
        "`keras.layers.HashedCrossing(num_bins=hash_bucket_size)`", True,
        "two raw string keys (the same `sparse_cross_hashed` op); `hash_key` not translated"),
    "weighted_categorical_column": FeatureColumn(
        "`keras.layers.CategoryEncoding(output_mode=\"count\")` with `count_weights`", False, ""),
}
# The Keras class of each categorical column's lookup and the keyword for its size.
CATEGORICAL_LAYERS = {
    "categorical_column_with_vocabulary_list": "StringLookup",  # IntegerLookup for int lists
    "categorical_column_with_vocabulary_file": "StringLookup",
    "categorical_column_with_hash_bucket": "Hashing",
    "categorical_column_with_identity": "CategoryEncoding",
}
# embedding_column's default initializer (TF 1.x feature_column.py): truncated normal with
# standard deviation 1/sqrt(dimension) (``{stddev}``: its value or that expression, as source).
EMBEDDING_INITIALIZER = "keras.initializers.TruncatedNormal(stddev={stddev})"

# -- premade estimators -------------------------------------------------------------------------
# The TF 1.x defaults (canned/dnn.py, canned/linear.py, canned/optimizers.py) the Keras model
# keeps. ``optimizer``: (keras optimizer, learning rate as source; ``{n}`` is the number of
# feature columns). Heads: the TF 1.x canned heads sum the training loss over the batch.
# ``linear_optimizer``: DNNLinearCombined*'s second optimizer, for its linear part (the first is
# the DNN's); each part is trained by its own, as TF 1.x grouped their two minimize ops.
Premade = collections.namedtuple("Premade", "kind optimizer activation linear_optimizer",
                                 defaults=(None,))
PREMADE = {
    "DNNClassifier": Premade("dnn_classifier", ("Adagrad", "0.05"), "relu"),
    "DNNRegressor": Premade("dnn_regressor", ("Adagrad", "0.05"), "relu"),
    "LinearClassifier": Premade("linear_classifier", ("Ftrl", "min(0.2, 1 / math.sqrt({n}))"),
                                None),
    "LinearRegressor": Premade("linear_regressor", ("Ftrl", "min(0.2, 1 / math.sqrt({n}))"),
                               None),
    # canned/dnn_linear_combined.py: _DNN_LEARNING_RATE 0.001, _LINEAR_LEARNING_RATE 0.005
    "DNNLinearCombinedClassifier": Premade(
        "wide_deep_classifier", ("Adagrad", "0.001"), "relu",
        ("Ftrl", "min(0.005, 1 / math.sqrt({n}))")),
    "DNNLinearCombinedRegressor": Premade(
        "wide_deep_regressor", ("Adagrad", "0.001"), "relu",
        ("Ftrl", "min(0.005, 1 / math.sqrt({n}))")),
}
# DNNLinearCombined*'s keywords -> the DNN estimators' names the translator reads.
WIDE_DEEP_KEYWORDS = {"dnn_hidden_units": "hidden_units", "dnn_feature_columns": "feature_columns",
                      "dnn_optimizer": "optimizer", "dnn_activation_fn": "activation_fn",
                      "dnn_dropout": "dropout"}
HEAD_REDUCTION = "sum"
# The named optimizers a premade estimator accepts (optimizer='Adam') -> the Keras class.
OPTIMIZER_NAMES = {"Adagrad": "Adagrad", "Adam": "Adam", "Ftrl": "Ftrl", "RMSProp": "RMSprop",
                   "SGD": "SGD"}

# -- never translated ---------------------------------------------------------------------------
# Constructs a Keras model cannot reproduce faithfully (the file goes to the Estimator target):
# canonical name prefix -> why.
UNTRANSLATABLE = {
    "tf.py_func": "tf.py_func runs arbitrary Python inside the graph",
    "tf.compat.v1.py_func": "tf.py_func runs arbitrary Python inside the graph",
    "tf.variable_scope": "manual variable scopes and sharing",
    "tf.get_variable": "manual variables (tf.get_variable)",
    "tf.Variable": "manual variables (tf.Variable)",
    "tf.cond": "tf.cond (on the mode, or data-dependent graph branches)",
    "tf.while_loop": "tf.while_loop in the graph",
    "tf.train.SessionRunHook": "session hooks",
    "tf.train.LoggingTensorHook": "session hooks",
    "tf.train.Scaffold": "a custom Scaffold",
    "tf.Session": "a tf.Session",
    "tf.control_dependencies": "explicit control dependencies (custom training ops)",
    "tf.group": "grouped training ops (custom training ops)",
    "tf.assign": "variable assignment ops (custom training ops)",
    "tf.train.string_input_producer": "queue-based input other than string_input_producer + "
    "TFRecordReader + tf.train.batch / shuffle_batch in one input function",
    "tf.train.batch": "queue-based input (tf.train.batch) not fed by a TFRecordReader",
    "tf.train.shuffle_batch": "queue-based input (tf.train.shuffle_batch) not fed by a "
    "TFRecordReader",
    "tf.estimator.Estimator": "a custom tf.estimator.Estimator",
}
# EstimatorSpec / model_fn keywords that hooks or scaffolds come through.
UNTRANSLATABLE_KEYWORDS = {
    "training_hooks": "session hooks (training_hooks)",
    "evaluation_hooks": "session hooks (evaluation_hooks)",
    "training_chief_hooks": "session hooks (training_chief_hooks)",
    "prediction_hooks": "session hooks (prediction_hooks)",
    "scaffold": "a custom Scaffold",
}
