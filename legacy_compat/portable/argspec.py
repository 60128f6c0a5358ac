"""A function's parameters, the same way on Python 2.7 and 3: the one argspec helper."""

import collections
import inspect

ArgSpec = collections.namedtuple("ArgSpec", ["args", "varargs", "defaults", "kwonlyargs"])


def argspec(fn):
    """``fn``'s parameters: positional names, ``*args`` name, defaults, keyword-only names.

    ``getfullargspec`` on Python 3, ``getargspec`` on Python 2; a bound method's
    own first parameter (``self``) is not listed, since the caller never passes it.
    Raises TypeError for callables without a Python signature (builtins).
    """
    spec = (getattr(inspect, "getfullargspec", None) or inspect.getargspec)(fn)
    args = list(spec.args)
    if inspect.ismethod(fn) and args:
        args = args[1:]
    return ArgSpec(args, spec.varargs, tuple(spec.defaults or ()),
                   list(getattr(spec, "kwonlyargs", None) or ()))
