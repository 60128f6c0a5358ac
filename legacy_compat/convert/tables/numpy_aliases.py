"""NumPy aliases of builtins removed in NumPy 1.24, for Python 3 (from the contract)."""

from legacy_compat import contract

# The last builtin of each alias is the Python 3 one (numpy.long -> int).
BUILTIN_ALIASES = dict(("numpy." + name, builtins[-1])
                       for name, builtins in contract.NUMPY_ALIASES.items())
