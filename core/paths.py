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
        os.makedirs(home, exist_ok=True)
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
