"""legacy-compat: run, normalise and migrate SageMaker TensorFlow Legacy Mode scripts.

Importing this package must stay cheap and must not import TensorFlow: the CLI's
``--help`` and ``convert`` paths go through it.
"""

__version__ = "0.1.0"
