"""The errors the installer raises on purpose, each naming the path or the choice at fault."""

from typing import Optional

from farmhand.core.errors import FarmhandError, InputError


class InstallError(FarmhandError):
    """A file or folder the installer could not read, write or remove; ``path`` names it."""

    def __init__(self, message: str, path: str) -> None:
        self.path = path
        self.message = message
        super().__init__("{}: {}".format(path, message))


class InstallInputError(InputError):
    """A bad choice on the command line (a version, a destination); names the option."""

    def __init__(self, message: str, option: Optional[str] = None) -> None:
        super().__init__(message, option)
