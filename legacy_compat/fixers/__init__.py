"""fissix fixers written for legacy-compat.

Shared by the runtime's in-memory Python 2 translation (``py2translate``, Python 3 only at
run time) and the converter; they import fissix, so only import them where fissix is.
"""
