"""The TensorFlow version matrix, as data.

One row per cell: which TensorFlow release is installed, on which interpreter, from which
distribution, with which pinned dependency set.  ``noxfile.py`` generates one session per row
(``nox -s "matrix(tf1.4.1-py2.7)"``); tags select groups (``nox -t ci``, ``nox -t matrix``).

Python 2.7 syntax on purpose: the matrix tests themselves run on Python 2.7 and may import it.
"""
from collections import namedtuple

Cell = namedtuple("Cell", "tf python package constraints tags")

# Constraint files live in tests/matrix/constraints/.  Each pins the *whole* environment of a
# cell (TF, its dependencies, pytest and the project's own install_requires) because the pips
# that work on Python 2.7/3.6 would otherwise pick releases that no longer support them.
CELLS = [
    Cell("1.4.1", "2.7", "tensorflow", "tf-1.4.1-py2.7.txt", ("matrix", "ci", "py27")),
    Cell("1.5.1", "2.7", "tensorflow", "tf-1.5.1-py2.7.txt", ("matrix", "py27")),
    Cell("1.6.0", "2.7", "tensorflow", "tf-1.6.0-py2.7.txt", ("matrix", "py27")),
    Cell("1.7.1", "2.7", "tensorflow", "tf-1.7.1-py2.7.txt", ("matrix", "py27")),
    Cell("1.8.0", "2.7", "tensorflow", "tf-1.8.0-py2.7.txt", ("matrix", "py27")),
    Cell("1.9.0", "2.7", "tensorflow", "tf-1.9.0-py2.7.txt", ("matrix", "py27")),
    Cell("1.10.1", "2.7", "tensorflow", "tf-1.10.1-py2.7.txt", ("matrix", "ci", "py27")),
    Cell("1.10.1", "3.6", "tensorflow", "tf-1.10.1-py3.6.txt", ("matrix", "py36")),
    Cell("2.12.1", "3.11", "tensorflow-cpu", "tf-2.12.1-py3.11.txt", ("matrix", "tf2")),
    Cell("2.13.1", "3.11", "tensorflow-cpu", "tf-2.13.1-py3.11.txt", ("matrix", "tf2")),
    Cell("2.14.1", "3.11", "tensorflow-cpu", "tf-2.14.1-py3.11.txt", ("matrix", "tf2")),
    Cell("2.15.1", "3.11", "tensorflow-cpu", "tf-2.15.1-py3.11.txt", ("matrix", "tf2")),
    # TF 2.16+ has no tf.estimator: legacy_compat.estimator revives tensorflow-estimator 2.15
    # (see MODERN_EXTRAS).
    Cell("2.16.2", "3.11", "tensorflow-cpu", "tf-2.16.2-py3.11.txt", ("matrix", "tf2", "modern")),
    Cell("2.17.1", "3.11", "tensorflow-cpu", "tf-2.17.1-py3.11.txt", ("matrix", "tf2", "modern")),
    Cell("2.18.1", "3.11", "tensorflow-cpu", "tf-2.18.1-py3.11.txt", ("matrix", "tf2", "modern")),
    Cell("2.19.1", "3.11", "tensorflow-cpu", "tf-2.19.1-py3.11.txt", ("matrix", "tf2", "modern")),
    Cell("2.20.0", "3.11", "tensorflow-cpu", "tf-2.20.0-py3.11.txt", ("matrix", "tf2", "modern")),
    Cell("2.21.0", "3.11", "tensorflow-cpu", "tf-2.21.0-py3.11.txt", ("matrix", "tf2", "modern")),
    Cell("2.21.0", "3.12", "tensorflow-cpu", "tf-2.21.0-py3.12.txt", ("matrix", "tf2", "modern")),
    # In CI: the newest TF on the newest Python (about 5 minutes of tests on 2 cores).
    Cell("2.21.0", "3.13", "tensorflow-cpu", "tf-2.21.0-py3.13.txt",
         ("matrix", "ci", "tf2", "modern")),
    # The Keras target of `legacy-compat convert`: a plain `pip install tensorflow-cpu` and
    # nothing else (no tf-keras, no tensorflow-estimator, no legacy-compat) runs the converted
    # examples in tests/keras_cell/ (noxfile.py: cells tagged "keras").
    Cell("2.21.0", "3.13", "tensorflow-cpu", "keras-tf-2.21.0-py3.13.txt",
         ("matrix", "ci", "keras")),
    # GPU cells reuse the CPU cell's pins (same release, same dependency set) and skip
    # unless a GPU is visible.  TF 1.x GPU wheels also need the CUDA/cuDNN of their time
    # (1.4: CUDA 8 + cuDNN 6; 1.10: CUDA 9.0 + cuDNN 7) installed on the host; 2.15's
    # ``and-cuda`` extra brings CUDA as pip packages.
    Cell("1.4.1", "2.7", "tensorflow-gpu", "tf-1.4.1-py2.7.txt", ("matrix", "gpu")),
    Cell("1.10.1", "2.7", "tensorflow-gpu", "tf-1.10.1-py2.7.txt", ("matrix", "gpu")),
    Cell("2.15.1", "3.11", "tensorflow[and-cuda]", "tf-2.15.1-py3.11.txt", ("matrix", "gpu")),
    Cell("2.21.0", "3.11", "tensorflow[and-cuda]", "tf-2.21.0-py3.11.txt",
         ("matrix", "gpu", "modern")),
]

# What a "modern" cell (TF 2.16+) installs after TensorFlow: one pip call per entry, each
# entry the arguments after ``pip install -c <constraints>``. tf-keras goes in without its
# dependencies because it requires the `tensorflow` wheel, which would land on top of
# tensorflow-cpu; the constraint file pins its exact release.
MODERN_EXTRAS = (
    ("tensorflow-estimator==2.15.0",),
    ("--no-deps", "tf-keras~={major}.{minor}.0"),
)


def is_gpu(cell):
    return "gpu" in cell.tags


def is_keras_only(cell):
    """A cell of TensorFlow alone, for scripts converted with ``--target keras``."""
    return "keras" in cell.tags


def cell_id(cell):
    """``tf1.4.1-py2.7``, ``tf2.15.1-gpu-py3.11``, ``tf2.21.0-keras-py3.13``: the id nox shows
    in ``matrix(<id>)``."""
    kind = "-gpu" if is_gpu(cell) else "-keras" if is_keras_only(cell) else ""
    return "tf{0}{1}-py{2}".format(cell.tf, kind, cell.python)


def extra_installs(cell):
    """The pip argument lists a cell installs after ``requirement(cell)``."""
    if "modern" not in cell.tags:
        return []
    major, minor = cell.tf.split(".")[:2]
    return [[arg.format(major=major, minor=minor) for arg in args] for args in MODERN_EXTRAS]


def requirement(cell):
    """The pip requirement that installs TensorFlow for this cell."""
    return "{0}=={1}".format(cell.package, cell.tf)
