"""Where Farmhand keeps its state on this machine.

Everything Farmhand writes (md5 cache, local farm database and store, credentials) lives under
one folder so a test, a CI job or a user can relocate all of it with ``FARMHAND_HOME``.
"""

import os


def farmhand_home() -> str:
    """``$FARMHAND_HOME``, or ``~/.farmhand``; created on first use."""
    home = os.environ.get("FARMHAND_HOME") or os.path.join(os.path.expanduser("~"), ".farmhand")
    home = os.path.abspath(home)
    os.makedirs(home, exist_ok=True)
    return home
