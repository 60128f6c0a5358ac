"""Keras models that legacy ``keras_model_fn`` hooks compile with a TF 1 optimizer.

``model.compile(optimizer=tf.train.AdamOptimizer(...))`` wraps the TF 1 optimizer in
Keras' ``TFOptimizer``, whose ``get_config()`` raises NotImplementedError, so anything
that serialises the optimizer fails.  On TF 2.15.1 / Keras 2.15 model_to_estimator itself
was seen to accept such a model (train, evaluate and export, v1 and v2 model_to_estimator,
both checkpoint formats); other 2.x releases were not checked.  Translating it to the
Keras twin gives model_to_estimator an ordinary, serialisable Keras model.
"""

import logging
import numbers

from legacy_compat import tfapi
from legacy_compat.portable.argspec import argspec

logger = logging.getLogger("legacy_compat")

# TF 1 optimizer class -> (Keras optimizer class, ((Keras argument, TF 1 attribute), ...)).
# The attributes are where tf.compat.v1.train.*Optimizer.__init__ keeps its arguments.
_TRANSLATIONS = {
    "GradientDescentOptimizer": ("SGD", (("learning_rate", "_learning_rate"),)),
    "MomentumOptimizer": ("SGD", (("learning_rate", "_learning_rate"),
                                  ("momentum", "_momentum"),
                                  ("nesterov", "_use_nesterov"))),
    "AdamOptimizer": ("Adam", (("learning_rate", "_lr"), ("beta_1", "_beta1"),
                               ("beta_2", "_beta2"), ("epsilon", "_epsilon"))),
    "AdagradOptimizer": ("Adagrad", (("learning_rate", "_learning_rate"),
                                     ("initial_accumulator_value",
                                      "_initial_accumulator_value"))),
    "RMSPropOptimizer": ("RMSprop", (("learning_rate", "_learning_rate"), ("rho", "_decay"),
                                     ("momentum", "_momentum"), ("epsilon", "_epsilon"),
                                     ("centered", "_centered"))),
    "AdadeltaOptimizer": ("Adadelta", (("learning_rate", "_lr"), ("rho", "_rho"),
                                       ("epsilon", "_epsilon"))),
    "FtrlOptimizer": ("Ftrl", (("learning_rate", "_learning_rate"),
                               ("learning_rate_power", "_learning_rate_power"),
                               ("initial_accumulator_value", "_initial_accumulator_value"),
                               ("l1_regularization_strength", "_l1_regularization_strength"),
                               ("l2_regularization_strength", "_l2_regularization_strength"),
                               ("l2_shrinkage_regularization_strength",
                                "_l2_shrinkage_regularization_strength"),
                               ("beta", "_beta"))),
}


def _compile_kwargs(model):
    config = getattr(model, "_compile_config", None)
    if config is not None:  # Keras 2 models built eagerly keep their compile() arguments
        return dict(config.config)
    # training_v1 models (graph mode, v2 behaviour disabled) keep them as attributes.
    return {
        "loss": model.loss,
        "metrics": getattr(model, "_compile_metrics", None),
        "loss_weights": getattr(model, "loss_weights", None),
        "sample_weight_mode": getattr(model, "sample_weight_mode", None),
        "weighted_metrics": getattr(model, "_compile_weighted_metrics", None),
    }


def _translation(tf1_optimizer):
    """(Keras class name, kwargs) for a TF 1 optimizer, or (None, why not)."""
    class_name = type(tf1_optimizer).__name__
    entry = _TRANSLATIONS.get(class_name)
    if entry is None or type(tf1_optimizer).__module__.split(".")[0] != "tensorflow":
        return None, "{0} has no Keras equivalent legacy-compat knows".format(class_name)
    keras_name, arguments = entry
    kwargs = {}
    for keras_arg, attribute in arguments:
        value = getattr(tf1_optimizer, attribute, None)
        if value is None and keras_arg == "beta":
            continue  # TF releases before Ftrl's beta argument
        if not isinstance(value, numbers.Number):
            return None, "{0}.{1} is {2!r}, not a number".format(class_name, attribute[1:], value)
        kwargs[keras_arg] = value
    return keras_name, kwargs


def _keras2_0_arguments(keras_class, kwargs):
    """The Keras of TF 1.4-1.10 named the learning rate ``lr`` and lacked some arguments."""
    # Named arguments only: the **kwargs of these classes take just clipnorm / clipvalue.
    accepted = set(argspec(keras_class.__init__).args)
    if "learning_rate" in accepted:
        return kwargs
    kwargs = dict(kwargs)
    if "lr" in accepted and "learning_rate" in kwargs:
        kwargs["lr"] = kwargs.pop("learning_rate")
    dropped = sorted(k for k in kwargs if k not in accepted)
    if dropped:
        logger.warning("keras %s of this TensorFlow has no %s; using its defaults for them",
                       keras_class.__name__, ", ".join(dropped))
    return dict((k, v) for k, v in kwargs.items() if k in accepted)


def fix_tf1_optimizer(model):
    """Recompile ``model`` with the Keras twin of its TF 1 optimizer; return ``model``.

    A model compiled with a Keras optimizer (or not compiled) is returned untouched, as
    is one whose TF 1 optimizer has tensor hyperparameters: those cannot be copied, and
    logged as a warning instead.
    """
    optimizer = getattr(model, "optimizer", None)
    if optimizer is None:
        return model
    tf1 = tfapi.v1_module()
    # Keras' TFOptimizer keeps the TF 1 optimizer it wraps in .optimizer.
    inner = getattr(optimizer, "optimizer", optimizer)
    if not isinstance(inner, tf1.train.Optimizer):
        return model
    if not tfapi.is_tf2():
        # TF 1.4's model_to_estimator serialises the optimizer (NotImplementedError for a
        # TF 1 one): translate wherever it cannot be serialised, so every release trains
        # the same Keras optimizer (on TF 2.x always, see the module docstring).
        try:
            optimizer.get_config()
            return model
        except NotImplementedError:
            pass
    keras_name, kwargs = _translation(inner)
    if keras_name is None:
        logger.warning("keras model %r keeps its TF 1 optimizer (%s); model_to_estimator may "
                       "refuse it: compile it with a tf.keras.optimizers optimizer instead",
                       model.name, kwargs)
        return model
    # tf.compat.v1.keras has the optimizers that also run in graph mode (Keras 2's
    # "legacy" ones); the new Keras 2.11+ ones fail there.
    keras_class = getattr(tfapi.keras().optimizers, keras_name, None)
    if keras_class is None:
        logger.warning("keras model %r keeps its TF 1 optimizer: this Keras has no %s",
                       model.name, keras_name)
        return model
    kwargs = _keras2_0_arguments(keras_class, kwargs)
    keras_optimizer = keras_class(**kwargs)
    compile_kwargs = _compile_kwargs(model)
    compile_kwargs["optimizer"] = keras_optimizer
    model.compile(**compile_kwargs)
    logger.info("keras model %r: translated TF 1 optimizer %s to keras optimizer %s(%s) "
                "and recompiled it", model.name, type(inner).__name__, keras_name,
                ", ".join("{0}={1!r}".format(k, kwargs[k]) for k in sorted(kwargs)))
    return model
