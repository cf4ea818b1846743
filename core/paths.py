"""Where Farmhand keeps its state on this machine.

Everything Farmhand writes (md5 cache, local farm database and store, credentials) lives under
one folder so a test, a CI job or a user can relocate all of it with ``FARMHAND_HOME``.
"""

import os

from farmhand.core.errors import InputError


def farmhand_home() -> str:
    """``$FARMHAND_HOME``, or ``~/.farmhand``; created on first use.

    A folder that cannot be created or written is bad input (a typo in ``FARMHAND_HOME``, a
    file in the way), reported as such rather than as the first ``OSError`` some write hits.
    """
    home = os.environ.get("FARMHAND_HOME") or os.path.join(os.path.expanduser("~"), ".farmhand")
    home = os.path.abspath(home)
    try:
        # Owner-only from its creation (it holds the md5 cache and the farm's key); a folder
        # the user made or pointed at is left as they set it.
        os.makedirs(home, mode=0o700, exist_ok=True)
    except OSError as error:
        reason = "it is a file" if os.path.isfile(home) else error.strerror or str(error)
        raise InputError(
            "cannot use {!r} for Farmhand's state ({}); set FARMHAND_HOME to a folder you can "
            "write to".format(home, reason),
            "FARMHAND_HOME",
        ) from None
    if not os.access(home, os.W_OK | os.X_OK):
        raise InputError(
            "cannot use {!r} for Farmhand's state (not writable); set FARMHAND_HOME to a folder "
            "you can write to".format(home),
            "FARMHAND_HOME",
        )
    return home


def create_private_file(path: str) -> None:
    """Create ``path`` empty with mode 0600 unless it exists, before SQLite opens it.

    SQLite creates a missing database with the umask's mode (often world-readable) and gives
    its ``-wal``/``-shm`` files the database's mode, so creating the file first with
    ``os.open`` leaves no moment where a cache of the user's paths or the farm's job records
    can be read by another user.
    """
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.close(fd)
