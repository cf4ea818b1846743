"""Errors the farm answers HTTP requests with.

Each carries the status it maps to, so route handlers raise the error that says what went
wrong and one middleware turns it into ``{"error", "field"}`` JSON. Bad input is an
``InputError`` (status 400) so the message names the field like everywhere else in Farmhand.
"""

import errno
from typing import Optional

from farmhand.core.errors import FarmhandError, InputError


class RequestError(InputError):
    """400: the request (body, query, payload) is malformed; ``field`` names the bad part."""

    status = 400


class UnauthorizedError(FarmhandError):
    """401: missing, unknown or expired credentials; nothing was done."""

    status = 401


class NotFoundError(FarmhandError):
    """404: an unknown job, task, upload or file."""

    status = 404


class ConflictError(FarmhandError):
    """409: the action is not valid in the current state (retrying a running task...)."""

    status = 409


class UnavailableError(FarmhandError):
    """503: the farm cannot take this now but will soon (it is stopping, a restart follows);
    ``retry_after`` seconds go out as ``Retry-After`` and clients send the request again."""

    status = 503

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class StorageFullError(FarmhandError):
    """507: the farm's disk has no room for an upload; nothing of it was kept."""

    status = 507


def is_disk_full(error: BaseException) -> bool:
    """An ``OSError`` that says the disk (or the user's quota) is full."""
    return isinstance(error, OSError) and error.errno in (errno.ENOSPC, errno.EDQUOT)


class FarmStartError(FarmhandError):
    """The farm could not be started or reached; the message says where to look."""


def status_of(error: BaseException) -> int:
    status = getattr(error, "status", None)
    if isinstance(status, int):
        return status
    if isinstance(error, InputError):
        return 400
    return 500


def field_of(error: BaseException) -> Optional[str]:
    return getattr(error, "field", None)
