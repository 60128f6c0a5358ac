"""The compiled fissix fixers, kept on disk between convert processes.

Compiling the fixers' patterns is most of what a one-file ``legacy-compat convert``
costs (an editor or a pre-commit ``--check`` runs one process per file). The
compiled fixers are pickled right after they are built, before any file has
touched them, so a process that loads them starts from the same state as one
that compiles them.

The key holds everything the compiled state depends on: the fissix version, the
Python version, the fixer list and the source of our own fixers. A cache that
cannot be read, written or trusted is skipped: the fixers are then compiled as
before, and the conversion never fails because of the cache.
"""
import gc
import hashlib
import os
import pickle
import sys
import tempfile

# The RefactoringTool attributes that get_fixers() and the bottom matcher build.
STATE = ("options", "fixer_log", "pre_order", "post_order", "BM", "bmi_pre_order",
         "bmi_post_order", "bmi_pre_order_heads", "bmi_post_order_heads")

ENV_DIR = "LEGACY_COMPAT_CACHE_DIR"
FORMAT = "1"


def cache_dir():
    """Where the cache lives: $LEGACY_COMPAT_CACHE_DIR, else the user's cache folder.

    ``LEGACY_COMPAT_CACHE_DIR=`` (empty) turns the cache off.
    """
    if ENV_DIR in os.environ:
        return os.environ[ENV_DIR] or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "legacy-compat")


def key(fixers, options):
    import fissix

    digest = hashlib.sha256()
    for part in (FORMAT, fissix.__version__, sys.version, repr(sorted(options.items()))):
        digest.update(part.encode("utf-8") + b"\0")
    for name in fixers:
        digest.update(name.encode("utf-8") + b"\0")
        if not name.startswith("fissix."):
            # Our own fixers change without a version number: their source is the key.
            module = sys.modules.get(name) or __import__(name, {}, {}, ["*"])
            with open(module.__file__, "rb") as handle:
                digest.update(handle.read())
    return "fissix-%s-%s.pickle" % (fissix.__version__, digest.hexdigest()[:24])


def _trusted(handle):
    """Only a file this user owns and nobody else can write is unpickled."""
    info = os.fstat(handle.fileno())
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & 0o022


def load(tool, fixers, options):
    """Fill ``tool`` (built with ``options``) with the cached ``fixers``; False when there is
    no usable cache."""
    folder = cache_dir()
    if not folder:
        return False
    try:
        path = os.path.join(folder, key(fixers, options))
        with open(path, "rb") as handle:
            if not _trusted(handle):
                return False
            data = handle.read()
        enabled = gc.isenabled()
        gc.disable()  # thousands of small pattern objects: the collector only slows this
        try:
            state = pickle.loads(data)
        finally:
            if enabled:
                gc.enable()
        if not isinstance(state, dict) or set(state) != set(STATE):
            return False
    except Exception:  # missing, unreadable, truncated, from another fissix build
        return False
    for name in STATE:
        setattr(tool, name, state[name])
    return True


def store(tool, fixers, options):
    """Write the freshly compiled fixers of ``tool``; never raises."""
    folder = cache_dir()
    if not folder:
        return
    temporary = None
    try:
        data = pickle.dumps({name: getattr(tool, name) for name in STATE},
                            protocol=pickle.HIGHEST_PROTOCOL)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".fissix-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # Atomic: a concurrent reader sees the old file or the whole new one.
        os.replace(temporary, os.path.join(folder, key(fixers, options)))
        temporary = None
    except Exception:  # read-only home, full disk, a fixer that cannot be pickled
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
