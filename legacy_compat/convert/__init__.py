"""``legacy-compat convert``: Legacy Mode script -> Python 3 Script Mode entry point.

Converting never imports TensorFlow.  Entry points:

* ``legacy_compat.convert.cli.main(argv) -> int`` (the CLI);
* ``convert_text(text, path)`` for one source text (see ``pipeline``).
"""
from legacy_compat.convert.errors import ConvertError  # noqa: F401
from legacy_compat.convert.findings import Finding  # noqa: F401
from legacy_compat.convert.pipeline import Conversion, convert_text  # noqa: F401
