"""The code a converted script carries: one copy, run by the runtime and copied by convert.

``legacy-compat train`` imports these modules; ``legacy-compat convert`` copies
them, whole statements at a time (``legacy_compat/convert/helpers.py``), into
the module it writes beside a converted script (or, with ``--single-file``,
into the script itself). What a converted script runs is therefore this code.

The rules that make the copy possible (``tests/unit/test_portable.py`` enforces them):

* Python 2.7 and 3.6+; the standard library and NumPy only, TensorFlow only
  through :mod:`legacy_compat.portable.tfhandle`, imported on first use;
* from legacy_compat, only ``from legacy_compat.portable.<module> import name``:
  the copy is one flat module, so those imports are dropped there;
* a top-level name means the same thing in every module (one flat namespace).
"""

# Copied in this order: a module only uses names of the modules before it.
MODULES = ("argspec", "tfhandle", "contract", "cluster", "hyperparameters", "contrib",
           "pipemode", "script_mode")
