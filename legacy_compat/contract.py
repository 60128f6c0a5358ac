"""The Legacy Mode function contract: which builder is used and how functions are called.

Binding rules (from the legacy container):

* ``estimator_fn(run_config, hyperparameters)`` and ``keras_model_fn(hyperparameters)``
  and ``serving_input_fn(hyperparameters)`` are called positionally.
* ``model_fn`` is always called with four positional arguments, whatever its
  parameter names are.
* input functions are called by *parameter name*: ``training_dir``/``dir``,
  ``hyperparameters``/``params``, ``input_channels``/``channels``. The old
  container passed None for any other name, even one with a default; we pass
  the default when there is one and warn either way.
"""

import inspect
import logging

from legacy_compat.errors import ScriptContractError

logger = logging.getLogger("legacy_compat")

INPUT_FN_ALIASES = {
    "training_dir": "training_dir",
    "dir": "training_dir",
    "hyperparameters": "hyperparameters",
    "params": "hyperparameters",
    "input_channels": "input_channels",
    "channels": "input_channels",
}

# name -> (positional arguments it is called with, the signature we document)
POSITIONAL_SIGNATURES = {
    "model_fn": (4, "model_fn(features, labels, mode, hyperparameters)"),
    "keras_model_fn": (1, "keras_model_fn(hyperparameters)"),
    "estimator_fn": (2, "estimator_fn(run_config, hyperparameters)"),
    "serving_input_fn": (1, "serving_input_fn(hyperparameters)"),
}
BUILDER_PRECEDENCE = ("estimator_fn", "keras_model_fn", "model_fn")


class Parameters(object):
    """A function's parameters, on Python 2 and 3 alike."""

    def __init__(self, fn):
        # getfullargspec on Python 3 (getargspec rejects keyword-only arguments), getargspec on 2.
        spec = getattr(inspect, "getfullargspec", None) or inspect.getargspec
        spec = spec(fn)
        self.names = list(spec.args)
        defaults = spec.defaults or ()
        self.varargs = spec.varargs is not None
        if inspect.ismethod(fn) and self.names:
            self.names = self.names[1:]
        self.defaults = dict(zip(self.names[len(self.names) - len(defaults):], defaults))

    @property
    def required(self):
        return [name for name in self.names if name not in self.defaults]


def _where(fn):
    code = getattr(fn, "__code__", None)
    return (code.co_filename, code.co_firstlineno) if code else (None, None)


def check_positional(path, name, fn):
    """Raise ScriptContractError when ``fn`` cannot take the positional arguments Legacy Mode passes."""
    count, signature = POSITIONAL_SIGNATURES[name]
    if not callable(fn):
        raise ScriptContractError(path, name, "%s is not a function" % name,
                                  expected="def %s" % signature)
    try:
        params = Parameters(fn)
    except TypeError:
        return  # builtins and C callables: let the call itself decide
    too_few = len(params.names) < count and not params.varargs
    too_many = len(params.required) > count
    if too_few or too_many:
        _, line = _where(fn)
        raise ScriptContractError(
            path, name,
            "%s(%s) takes %d positional arguments, but Legacy Mode calls it with %d" % (
                name, ", ".join(params.names), len(params.names), count),
            expected="def %s" % signature,
            hint="change the signature; parameter names do not matter, the order does",
            line=line)


def choose_builder(path, module, strict=False):
    """Return the name of the model builder to use, following the legacy precedence.

    The legacy container silently ignored the lower-precedence builders; we
    warn (or fail with --strict), because it is almost always a leftover.
    """
    present = [name for name in BUILDER_PRECEDENCE if callable(getattr(module, name, None))]
    if not present:
        from legacy_compat.userscript import require_functions
        require_functions(path, lambda name: False)
    chosen = present[0]
    if len(present) > 1:
        ignored = ", ".join(present[1:])
        message = ("the script defines %s; following the Legacy Mode precedence "
                   "(estimator_fn > keras_model_fn > model_fn) %s is used and %s ignored"
                   % (" and ".join(present), chosen, ignored))
        if strict:
            raise ScriptContractError(path, chosen, message,
                                      expected="exactly one of estimator_fn, keras_model_fn, model_fn",
                                      hint="remove or rename the builders you do not use "
                                           "(or drop --strict to accept the precedence)")
        logger.warning("%s: %s", path, message)
    check_positional(path, chosen, getattr(module, chosen))
    return chosen


def bind_input_fn(path, name, fn, values):
    """Keyword arguments for an input function, bound by parameter name.

    ``values`` maps the canonical names (training_dir, hyperparameters,
    input_channels) to what they mean in this job.
    """
    if not callable(fn):
        raise ScriptContractError(path, name, "%s is not a function" % name,
                                  expected="def %s(training_dir, hyperparameters)" % name)
    params = Parameters(fn)
    kwargs = {}
    for param in params.names:
        canonical = INPUT_FN_ALIASES.get(param)
        if canonical is not None:
            kwargs[param] = values.get(canonical)
        elif param in params.defaults:
            logger.warning("%s: %s parameter %r is not one Legacy Mode fills "
                           "(training_dir/dir, hyperparameters/params, input_channels/channels); "
                           "using its default %r", path, name, param, params.defaults[param])
            kwargs[param] = params.defaults[param]
        else:
            logger.warning("%s: %s parameter %r is not one Legacy Mode fills "
                           "(training_dir/dir, hyperparameters/params, input_channels/channels); "
                           "passing None, as the legacy container did", path, name, param)
            kwargs[param] = None
    return kwargs
