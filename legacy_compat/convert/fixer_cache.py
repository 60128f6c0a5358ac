"""The compiled fissix fixers, kept on disk between convert processes (``disk_cache``).

Compiling the fixers' patterns is most of what a one-file ``legacy-compat convert``
costs. The compiled fixers are pickled right after they are built, before any file has
touched them, so a process that loads them starts from the same state as one that
compiles them.

The key holds everything the compiled state depends on: the fissix version, the
Python version, the fixer list and the source of our own fixers.
"""
import sys

from legacy_compat.convert import disk_cache

# The RefactoringTool attributes that get_fixers() and the bottom matcher build.
STATE = ("options", "fixer_log", "pre_order", "post_order", "BM", "bmi_pre_order",
         "bmi_post_order", "bmi_pre_order_heads", "bmi_post_order_heads")

FORMAT = "1"


def key(fixers, options):
    import fissix

    parts = [FORMAT, fissix.__version__, sys.version, repr(sorted(options.items()))]
    for name in fixers:
        parts.append(name)
        if not name.startswith("fissix."):
            # Our own fixers change without a version number: their source is the key.
            module = sys.modules.get(name) or __import__(name, {}, {}, ["*"])
            with open(module.__file__, "rb") as handle:
                parts.append(handle.read())
    return "fissix-%s-%s.pickle" % (fissix.__version__, disk_cache.digest(parts))


def load(tool, fixers, options):
    """Fill ``tool`` (built with ``options``) with the cached ``fixers``; False when there is
    no usable cache."""
    state = disk_cache.load(key(fixers, options))
    if not isinstance(state, dict) or set(state) != set(STATE):
        return False
    for name in STATE:
        setattr(tool, name, state[name])
    return True


def store(tool, fixers, options):
    """Write the freshly compiled fixers of ``tool``; never raises."""
    disk_cache.store(key(fixers, options), {name: getattr(tool, name) for name in STATE})
