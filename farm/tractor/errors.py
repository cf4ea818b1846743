"""The error a bad job script gets: where (line, column), what word, and what was expected."""

from typing import Optional

from farmhand.core.errors import InputError


class JobScriptError(InputError):
    """A job script the farm cannot run; ``line``/``column`` are 1-based, ``word`` the culprit.

    The message reads ``job script line 3, column 5: unknown operator 'Tsk' ...`` so a user
    finds the spot in the text ``asTcl()`` or a spool file produced.
    """

    def __init__(self, message: str, line: int, column: int, word: Optional[str] = None) -> None:
        self.line = line
        self.column = column
        self.word = word
        super(JobScriptError, self).__init__(
            message, field="job script line {}, column {}".format(line, column)
        )
