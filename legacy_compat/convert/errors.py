"""Errors that stop a conversion before anything is written."""


class ConvertError(Exception):
    """The input cannot be converted (unreadable, binary, not Python, ...).

    The message names the file, says what was expected and what to do.
    """

    def __init__(self, path, problem, expected, action):
        self.path = str(path)
        self.problem = problem
        self.expected = expected
        self.action = action
        super().__init__(self.format())

    def format(self):
        return "%s: %s; expected %s. %s" % (self.path, self.problem, self.expected, self.action)
