"""Pickles kept on disk between convert processes, for work that does not change between runs.

One file-at-a-time conversions (an editor, a pre-commit ``--check``) pay for the same
start-up work in every process: compiling fissix's fixer patterns, cutting the portable
package into statements. Each piece is pickled under a name that holds everything it
depends on, so a changed input is a different file, never a stale one.

A cache that cannot be read, written or trusted is skipped, and the caller does the work
as before: a conversion never fails, and never differs, because of the cache.
"""
import gc
import hashlib
import os
import pickle
import tempfile

ENV_DIR = "LEGACY_COMPAT_CACHE_DIR"


def cache_dir():
    """Where the cache lives: $LEGACY_COMPAT_CACHE_DIR, else the user's cache folder.

    ``LEGACY_COMPAT_CACHE_DIR=`` (empty) turns the cache off.
    """
    if ENV_DIR in os.environ:
        return os.environ[ENV_DIR] or None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "legacy-compat")


def digest(parts):
    """A short hex digest of ``parts`` (str or bytes), each kept apart from the next."""
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update((part.encode("utf-8") if isinstance(part, str) else part) + b"\0")
    return hashed.hexdigest()[:24]


def _trusted(handle):
    """Only a file this user owns and nobody else can write is unpickled."""
    info = os.fstat(handle.fileno())
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        return False
    return not info.st_mode & 0o022


def load(name):
    """The object pickled as ``name``, or None when there is no usable one."""
    folder = cache_dir()
    if not folder:
        return None
    try:
        with open(os.path.join(folder, name), "rb") as handle:
            if not _trusted(handle):
                return None
            data = handle.read()
        enabled = gc.isenabled()
        gc.disable()  # many small objects: the collector only slows unpickling
        try:
            return pickle.loads(data)
        finally:
            if enabled:
                gc.enable()
    except Exception:  # missing, unreadable, truncated, from another build
        return None


def store(name, value):
    """Pickle ``value`` as ``name``; never raises."""
    folder = cache_dir()
    if not folder:
        return
    temporary = None
    try:
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        os.makedirs(folder, mode=0o700, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".cache-", suffix=".tmp")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        # Atomic: a concurrent reader sees the old file or the whole new one.
        os.replace(temporary, os.path.join(folder, name))
        temporary = None
    except Exception:  # read-only home, full disk, something that cannot be pickled
        pass
    finally:
        if temporary is not None:
            try:
                os.unlink(temporary)
            except OSError:
                pass
