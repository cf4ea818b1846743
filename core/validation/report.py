"""The validation report: errors block a submission, warnings ask, info informs.

Each message names the setting it is about (``field``) so a widget can show it next to that
field and the CLI can print ``field: text`` on one line. An error that came from a typed
exception keeps it, so ``raise_first()`` re-raises exactly what was found (a ``TokenError``
stays a ``TokenError``).
"""

from typing import Iterator, List, NamedTuple, Optional

from farmhand.core.errors import InputError

ERROR = "error"
WARNING = "warning"
INFO = "info"
LEVELS = (ERROR, WARNING, INFO)


class Message(NamedTuple):
    level: str
    field: Optional[str]
    text: str
    error: Optional[InputError] = None

    def __str__(self) -> str:
        return self.text if self.field is None else "{}: {}".format(self.field, self.text)


class ValidationReport:
    """Messages in the order they were found (mutable while a submission is built)."""

    def __init__(self) -> None:
        self.messages: List[Message] = []

    def add(self, level: str, field: Optional[str], text: str) -> None:
        if level not in LEVELS:
            raise ValueError("unknown level {!r}; valid levels: {}".format(level, LEVELS))
        self.messages.append(Message(level, field, text))

    def error(self, field: Optional[str], text: str) -> None:
        self.messages.append(Message(ERROR, field, text, InputError(text, field)))

    def warning(self, field: Optional[str], text: str) -> None:
        self.add(WARNING, field, text)

    def info(self, field: Optional[str], text: str) -> None:
        self.add(INFO, field, text)

    def exception(self, error: InputError) -> None:
        """Record a typed error (its own field and message)."""
        self.messages.append(Message(ERROR, error.field, error.message, error))

    def _of(self, level: str) -> List[Message]:
        return [m for m in self.messages if m.level == level]

    @property
    def errors(self) -> List[Message]:
        return self._of(ERROR)

    @property
    def warnings(self) -> List[Message]:
        return self._of(WARNING)

    @property
    def infos(self) -> List[Message]:
        return self._of(INFO)

    @property
    def ok(self) -> bool:
        """True when nothing blocks the submission."""
        return not any(m.level == ERROR for m in self.messages)

    def has_error(self, field: str) -> bool:
        return any(m.level == ERROR and m.field == field for m in self.messages)

    def raise_first(self) -> None:
        """Raise the first error as its typed exception; nothing when there is none."""
        for message in self.messages:
            if message.level == ERROR:
                raise message.error or InputError(message.text, message.field)

    def __iter__(self) -> Iterator[Message]:
        return iter(self.messages)

    def __len__(self) -> int:
        return len(self.messages)

    def __repr__(self) -> str:
        return "<ValidationReport {} errors, {} warnings, {} info>".format(
            len(self.errors), len(self.warnings), len(self.infos)
        )
