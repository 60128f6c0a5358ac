"""A record of every attribute we patched, so patches apply once and undo cleanly.

wrapt nests a second wrapper when a patch is applied twice and has no undo;
this registry keys each patch by (owner, attribute), keeps the raw original
from the owner's ``__dict__`` (not a bound method from getattr), and restores
originals in reverse order.
"""

import threading

import wrapt

_lock = threading.RLock()
_applied = []  # [(owner, name, original)] in the order applied


def is_patched(owner, name):
    with _lock:
        return any(o is owner and n == name for o, n, _ in _applied)


def wrap(owner, name, wrapper):
    """Wrap ``owner.name`` with a wrapt-style ``wrapper(wrapped, instance, args, kwargs)``.

    Does nothing if the attribute is missing (it does not exist on every TF
    version) or is already patched. Returns True when a patch was applied.
    """
    with _lock:
        if name not in vars(owner) or is_patched(owner, name):
            return False
        original = vars(owner)[name]
        setattr(owner, name, wrapt.FunctionWrapper(original, wrapper))
        _applied.append((owner, name, original))
        return True


_ABSENT = object()


def provide(owner, name, value):
    """Set ``owner.name`` to ``value`` only where the running TF lacks it; undone by delattr.

    Returns True when the attribute was added.
    """
    with _lock:
        if value is None or name in vars(owner) or is_patched(owner, name):
            return False
        setattr(owner, name, value)
        _applied.append((owner, name, _ABSENT))
        return True


def undo_all():
    with _lock:
        while _applied:
            owner, name, original = _applied.pop()
            if original is _ABSENT:
                delattr(owner, name)
            else:
                setattr(owner, name, original)


def applied():
    with _lock:
        return [(owner, name) for owner, name, _ in _applied]
