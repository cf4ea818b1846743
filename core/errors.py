"""Typed errors shared by every layer.

Each error carries the bad value and where it came from as attributes, so a CLI can print one
clear line, a widget can show the message next to the field, and a test can assert on both.
"""

from typing import Optional, Sequence


class FarmhandError(Exception):
    """Base of every error Farmhand raises on purpose (anything else is a bug)."""


class InputError(FarmhandError, ValueError):
    """Bad input from a user, a job file or a host node.

    ``field`` names the setting the value came from (``frames``, ``scout_frames``,
    ``task_template``...), so the message can say where to look.
    """

    def __init__(self, message: str, field: Optional[str] = None) -> None:
        self.field = field
        self.message = message
        super().__init__(message if field is None else "{}: {}".format(field, message))


class FrameSpecError(InputError):
    """A frame spec that cannot be parsed; names the fragment and its position."""

    def __init__(
        self,
        spec: str,
        fragment: str,
        position: int,
        reason: str,
        field: Optional[str] = "frames",
    ) -> None:
        self.spec = spec
        self.fragment = fragment
        self.position = position
        self.reason = reason
        message = "invalid frame spec {!r}: fragment {} {!r} {}".format(
            spec, position, fragment, reason
        )
        super().__init__(message, field)


class TokenError(InputError):
    """An unknown ``<token>`` in a template; lists the tokens valid in that scope.

    ``token_scope`` is set when the token exists but belongs to a narrower scope (a task token
    such as ``<chunkstart>`` in a job title), so the message can say why it is refused.
    """

    def __init__(
        self,
        token: str,
        scope: str,
        valid: Sequence[str],
        field: Optional[str] = None,
        token_scope: Optional[str] = None,
    ) -> None:
        self.token = token
        self.scope = scope
        self.valid = tuple(valid)
        self.token_scope = token_scope
        valid_text = ", ".join("<{}>".format(name) for name in self.valid)
        if token_scope:
            message = "token <{}> has {} scope and cannot be used in {} scope; valid tokens: {}"
            message = message.format(token, token_scope, scope, valid_text)
        else:
            message = "unknown token <{}> in {} scope; valid tokens: {}".format(
                token, scope, valid_text
            )
        super().__init__(message, field)


class EnvironmentMergeError(InputError):
    """Two packages (or a package and the user) set one variable exclusively to different values."""


class FarmConnectionError(FarmhandError):
    """A farm or service could not be reached or answered with an error.

    ``url`` is the address that was asked and ``status`` the HTTP status it answered with
    (``None`` when nothing answered), so a message can say where to look.
    """

    def __init__(
        self, message: str, url: Optional[str] = None, status: Optional[int] = None
    ) -> None:
        self.url = url
        self.status = status
        self.message = message
        super().__init__(message)


class FarmAuthError(FarmConnectionError):
    """The farm refused the credentials; the message names the key (by id) and the URL."""


class CancelledError(FarmhandError):
    """The user cancelled a submission; nothing was submitted."""


class UnsupportedError(FarmhandError):
    """A farm cannot do what was asked: a connector not implemented yet or whose engine is not
    set up here, or an action its engine lacks (fetching outputs from a shared-filesystem
    engine). ``farm`` names the farm so the message can say which one to pick instead."""

    def __init__(self, message: str, farm: Optional[str] = None) -> None:
        self.farm = farm
        self.message = message
        super().__init__(message)
