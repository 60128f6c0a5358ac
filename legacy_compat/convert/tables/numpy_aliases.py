"""NumPy aliases of builtins removed in NumPy 1.24 (hand-written)."""

BUILTIN_ALIASES = {
    "numpy.bool": "bool",
    "numpy.int": "int",
    "numpy.float": "float",
    "numpy.complex": "complex",
    "numpy.object": "object",
    "numpy.str": "str",
    "numpy.long": "int",
    "numpy.unicode": "str",
}
