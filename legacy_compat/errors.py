"""Errors that carry enough context for a user to fix their script or job.

Every error raised for bad input says which file, which function, what was
expected and what to do, because the person reading it usually did not write
the container they are migrating from.
"""


class LegacyCompatError(Exception):
    """Base class for errors we raise on purpose (as opposed to user-code errors)."""


class ConfigError(LegacyCompatError):
    """The job configuration (arguments, /opt/ml files, hyperparameters) is unusable."""

    def __init__(self, message, path=None, hint=None):
        self.path = path
        self.hint = hint
        parts = [message if path is None else "%s: %s" % (path, message)]
        if hint:
            parts.append("Hint: %s" % hint)
        super(ConfigError, self).__init__("\n".join(parts))


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


class CheckpointError(LegacyCompatError):
    """The checkpoint a job would resume from cannot be read.

    Raised instead of letting TensorFlow start again from step 0 over it.
    """

    def __init__(self, message, path=None, hint=None):
        self.path = path
        self.hint = hint
        parts = [message if path is None else "%s: %s" % (path, message)]
        if hint:
            parts.append("Hint: %s" % hint)
        super(CheckpointError, self).__init__("\n".join(parts))


class StorageError(ConfigError):
    """Remote storage (S3) is missing, unreachable or refuses access."""
