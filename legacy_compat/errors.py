"""Errors that carry enough context for a user to fix their script or job.

Every error raised for bad input says which file, which function, what was
expected and what to do, because the person reading it usually did not write
the container they are migrating from.
"""


class LegacyCompatError(Exception):
    """Base class for errors we raise on purpose (as opposed to user-code errors)."""


class _PathError(LegacyCompatError):
    """A message about one path, with a hint on what to do."""

    def __init__(self, message, path=None, hint=None):
        self.path = path
        self.hint = hint
        parts = [message if path is None else "%s: %s" % (path, message)]
        if hint:
            parts.append("Hint: %s" % hint)
        super(_PathError, self).__init__("\n".join(parts))


class ConfigError(_PathError):
    """The job configuration (arguments, /opt/ml files, hyperparameters) is unusable."""


class ScriptContractError(LegacyCompatError):
    """The user script does not meet the Legacy Mode contract.

    Raised before any TensorFlow graph is built, so a broken script fails in
    seconds instead of after the container has spun up.
    """

    def __init__(self, path, function, problem, expected=None, hint=None, line=None):
        self.path = path
        self.function = function
        self.problem = problem
        self.expected = expected
        self.hint = hint
        self.line = line
        where = path if line is None else "%s:%d" % (path, line)
        parts = ["%s: %s" % (where, problem)]
        if expected:
            parts.append("Expected: %s" % expected)
        if hint:
            parts.append("Hint: %s" % hint)
        super(ScriptContractError, self).__init__("\n".join(parts))


class JobDirError(ConfigError):
    """The job directory (or the checkpoint directory) cannot be written."""


class CheckpointError(_PathError):
    """The checkpoint a job would resume from cannot be read.

    Raised instead of letting TensorFlow start again from step 0 over it.
    """


class StorageError(ConfigError):
    """Remote storage (S3) is missing, unreachable or refuses access."""


class ScriptExit(Exception):
    """The user's code called ``sys.exit()`` before training finished.

    Not a verdict by itself: without this the process would end with no success
    or failure file (and ``sys.exit(0)`` would even look like success).
    """

    def __init__(self, code):
        self.code = code
        if code is None or code == 0:
            self.exit_code = 1
        elif isinstance(code, int) and 0 < code < 256:
            self.exit_code = code
        else:
            self.exit_code = 1
        super(ScriptExit, self).__init__(
            "the training script called sys.exit(%r) before training finished; "
            "legacy-compat treats that as a failed job (remove the call, or raise an "
            "exception with a message instead)" % (code,))
