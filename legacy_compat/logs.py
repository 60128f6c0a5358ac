"""How legacy-compat's own processes log: the ``legacy_compat`` logger to stderr.

Used by the command line and by the parameter-server process it starts. Python 2.7
compatible.
"""

import logging

LOG_FORMAT = "%(asctime)s %(levelname)s - %(name)s - %(message)s"


def configure_logging(quiet=False):
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    logger = logging.getLogger("legacy_compat")
    logger.handlers[:] = [handler]
    logger.setLevel(logging.WARNING if quiet else logging.INFO)
    logger.propagate = False
    logging.getLogger("boto3").setLevel(logging.WARNING)
    logging.getLogger("botocore").setLevel(logging.WARNING)
