"""The errors of the authoring API, typed so a script can catch exactly what it expects.

Scripts written for Tractor catch ``author.AuthorError`` around attribute assignment and
``author.SpoolError`` around ``spool()``; both are Farmhand errors too, so the CLI and the
submitter report them like any other bad input or unreachable farm.
"""

from typing import Any, Optional, Sequence

from farmhand.core.errors import FarmConnectionError, InputError

_UNSET = object()


class AuthorError(InputError):
    """A bad attribute name or value, or a job tree that cannot be built.

    ``field`` names the element and attribute (``Job.atmost``), ``value`` holds the rejected
    value and ``valid`` what would have been accepted, so the message can say all three.
    """

    def __init__(
        self,
        message: str,
        field: Optional[str] = None,
        value: Any = _UNSET,
        valid: Optional[Sequence[str]] = None,
    ) -> None:
        self.value = None if value is _UNSET else value
        self.valid = tuple(valid) if valid is not None else ()
        InputError.__init__(self, message, field)


def describe_value(value: Any) -> str:
    """``'three' (str)``: the value and its type, as an error message shows it."""
    text = repr(value)
    if len(text) > 80:
        text = text[:77] + "..."
    return "{} ({})".format(text, type(value).__name__)


def invalid_value(
    field: str, value: Any, expected: str, valid: Optional[Sequence[str]] = None
) -> AuthorError:
    """``invalid value 'x' (str); expected <expected>``, for ``field`` (``Job.atmost``,
    ``spool.port``...); ``valid`` lists the accepted values when they are few."""
    return AuthorError(
        "invalid value {}; expected {}".format(describe_value(value), expected),
        field=field,
        value=value,
        valid=valid if valid is not None else (expected,),
    )


class UnknownAttributeError(AuthorError, AttributeError):
    """An attribute name the element does not have (``job.titlee = ...``).

    Also an ``AttributeError``, so ``getattr(element, name, default)`` keeps working.
    """


class RequiredValueError(AuthorError):
    """An attribute the job script cannot do without (a task title, a command's argv)."""


class ParentExistsError(AuthorError):
    """An element that already has a parent was added to a second one."""


class SpoolError(AuthorError, FarmConnectionError):
    """The engine could not be reached, or it refused the job; ``url`` is where we asked."""

    def __init__(self, message: str, url: Optional[str] = None, status: Optional[int] = None):
        AuthorError.__init__(self, message, field="spool")
        self.url = url
        self.status = status
        self.message = message
