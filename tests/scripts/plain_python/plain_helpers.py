# A helper module next to the script: it uses the language the way ordinary code does
# (files, __dict__, generators, pickle, inspect, a lazy import of another sibling), which
# CPython 2 refuses in restricted execution mode.
import inspect
import os
import pickle
import shutil
import sys
import tempfile

PY2 = sys.version_info[0] == 2


class Scaler(object):
    """Picklable state of the helper module."""

    def __init__(self, factor):
        self.factor = factor

    def __call__(self, value):
        return value * self.factor


def countdown(start):
    while start > 0:
        yield start
        start -= 1


def argument_names(function):
    if PY2:
        return inspect.getargspec(function).args
    return list(inspect.signature(function).parameters)


def read_csv(path):
    """Rows of floats from a CSV file, read with the built-in open()."""
    import plain_columns  # a sibling, imported when a function runs
    rows = []
    with open(path) as handle:
        for line in handle:
            if line.strip():
                rows.append([float(cell) for cell in line.split(",")])
    features = [row[:plain_columns.FEATURES] for row in rows]
    labels = [row[plain_columns.LABEL] for row in rows]
    return features, labels


def language_checks(namespace, function, instance, generator_function):
    """Exercise the language from the module whose globals are ``namespace``.

    ``function``, ``instance`` and ``generator_function`` come from that module, so
    every check runs on its own objects. Returns the names of the checks that ran.
    """
    done = []
    scratch = tempfile.mkdtemp()
    try:
        path = os.path.join(scratch, "note.txt")
        with open(path, "w") as handle:
            handle.write("written by %s\n" % namespace["__name__"])
        with open(path) as handle:
            assert handle.read().startswith("written by"), path
        done.append("open")
        if PY2:
            handle = file(path)  # noqa: F821 (Python 2 only)
            try:
                assert handle.readline().startswith("written by")
            finally:
                handle.close()
            done.append("file")
    finally:
        shutil.rmtree(scratch)

    function.__dict__["checked_by"] = namespace["__name__"]
    assert function.checked_by == namespace["__name__"]
    assert function.__globals__ is namespace
    done.append("function __dict__")
    assert "__init__" in type(instance).__dict__ or "__init__" in vars(type(instance))
    assert vars(instance) == instance.__dict__
    done.append("class __dict__")

    generator = generator_function(3)
    assert generator.gi_frame is not None
    assert list(generator) == [3, 2, 1]
    done.append("generator")

    copy = pickle.loads(pickle.dumps(instance, 2))
    assert type(copy) is type(instance) and vars(copy) == vars(instance)
    done.append("pickle")

    assert "def %s(" % function.__name__ in inspect.getsource(function)
    assert argument_names(function), function
    done.append("inspect")
    return done


def report(namespace, function, instance, generator_function):
    done = language_checks(namespace, function, instance, generator_function)
    # Printed for the test, which checks every module got this far.
    sys.stdout.write("PLAIN-PYTHON %s: %s\n" % (namespace["__name__"], ", ".join(done)))
    sys.stdout.flush()


report(globals(), argument_names, Scaler(2.0), countdown)
