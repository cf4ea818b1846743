"""Callbacks never raise into the host.

A menu item, shelf button, operator, parameter callback or scripted-class method that lets an
exception escape can crash the host (Clarisse does on an uncaught exception in a scripted
class) or leave its UI half-updated. Every callback a host calls goes through ``guarded``:
an error is logged (with its traceback when it is not one Farmhand raises on purpose) and
shown to the artist through the host's own way of showing a message, and the callback
returns a fallback value instead of raising.
"""

import functools
import logging
from typing import Any, Callable, Optional, TypeVar

from farmhand.core.errors import FarmhandError

log = logging.getLogger("farmhand.host")

T = TypeVar("T")
ShowError = Callable[[str], None]


def describe_error(what: str, error: BaseException) -> str:
    """One line for the artist: what failed and why. Errors Farmhand raises on purpose say
    what to fix; anything else is a bug, named by its type and pointing at the log."""
    if isinstance(error, FarmhandError):
        return "{}: {}".format(what, error)
    return "{} failed: {}: {} (the traceback is in the log)".format(
        what, type(error).__name__, error
    )


def report_error(what: str, error: BaseException, show: Optional[ShowError] = None) -> str:
    """Log ``error`` and show it with ``show``; returns the message shown. Never raises,
    even when showing fails (that is logged too)."""
    message = describe_error(what, error)
    if isinstance(error, FarmhandError):
        log.warning("%s", message)
    else:
        log.error("%s", message, exc_info=(type(error), error, error.__traceback__))
    if show is not None:
        try:
            show(message)
        except Exception:  # noqa: BLE001 - showing must not raise either
            log.exception("could not show the error to the artist: %s", message)
    return message


def guarded(
    what: str, show: Optional[ShowError] = None, fallback: Any = None
) -> Callable[[Callable[..., T]], Callable[..., Optional[T]]]:
    """Decorator: run the callback; on any ``Exception`` report it (see ``report_error``) and
    return ``fallback``. ``what`` names the action for the artist (``Farmhand: Submit``)."""

    def decorate(callback: Callable[..., T]) -> Callable[..., Optional[T]]:
        @functools.wraps(callback)
        def run(*args: Any, **kwargs: Any) -> Optional[T]:
            try:
                return callback(*args, **kwargs)
            except Exception as error:  # noqa: BLE001 - the point of this wrapper
                report_error(what, error, show)
                return fallback  # type: ignore[no-any-return]

        return run

    return decorate


def call_guarded(
    what: str, callback: Callable[..., T], *args: Any, show: Optional[ShowError] = None
) -> Optional[T]:
    """Run ``callback(*args)`` once under ``guarded`` (for calls made in place)."""
    return guarded(what, show)(callback)(*args)
