"""How one SageMaker-encoded hyperparameter value is decoded (see ``__init__``).

The rest of the rule (which values are decoded) is ``legacy_compat.hyperparameters``.
"""

import json

from legacy_compat.portable.contract import TUNING_OBJECTIVE_KEY


def decode_text(key, text):
    """``(value, True)`` for a SageMaker-encoded value (a string of JSON), else ``(text, False)``.

    The tuning objective is the one value the platform sends unencoded. Converted scripts
    decode their ``--name value`` arguments with this function too.
    """
    if key == TUNING_OBJECTIVE_KEY:
        return text.strip('"'), True
    try:
        return json.loads(text), True
    except ValueError:
        return text, False
