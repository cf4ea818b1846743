"""The four errors of the seed's client library, as Farmhand errors.

A script written for the seed catches ``AuthenticationError``, ``InsufficientCreditsError``,
``InvalidRequestError`` and ``APIError``; each keeps the seed's ``user_message`` and
``http_status`` and is also a ``FarmhandError``, so Farmhand's own tools report them as any
other. ``InvalidRequestError`` is bad input: it names the field (``field``) like every
Farmhand input error, and is a ``ValueError`` too.
"""

from typing import Any, Dict, Optional

from farmhand.core.errors import FarmhandError


class EnvoyError(FarmhandError):
    """Base of the four errors below."""

    def __init__(self, message: str = "", http_status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.http_status = http_status

    @property
    def user_message(self) -> str:
        return self.message

    def __str__(self) -> str:
        return self.message or "<empty message>"


class AuthenticationError(EnvoyError):
    """The credentials were refused (or none were given where some are needed)."""


class InsufficientCreditsError(EnvoyError):
    """The account's credits are not positive, so nothing is submitted."""


class InvalidRequestError(EnvoyError, ValueError):
    """A project, job or query is malformed: ``field`` names the setting, ``errors`` holds
    what a service answered about it (the seed's attribute)."""

    def __init__(
        self,
        message: str = "",
        field: Optional[str] = None,
        errors: Optional[Dict[str, Any]] = None,
        http_status: Optional[int] = None,
    ) -> None:
        self.field = field
        self.errors = dict(errors or {})
        text = message if field is None else "{}: {}".format(field, message)
        super().__init__(text, http_status)


class APIError(EnvoyError):
    """The service (the Envoy service or the local farm) could not be reached or failed."""


# The seed's error-handling example spells it ``ApIError`` in one ``except`` clause; the alias
# keeps that example running unchanged.
ApIError = APIError

__all__ = [
    "APIError",
    "ApIError",
    "AuthenticationError",
    "EnvoyError",
    "InsufficientCreditsError",
    "InvalidRequestError",
]
