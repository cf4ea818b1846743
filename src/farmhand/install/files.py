"""Writing, linking and removing the few files a registration consists of.

Every change is all-or-nothing per file (written to a temporary name, then renamed over), is
skipped when the file already says the same (running the installer again changes nothing),
and fails with an ``InstallError`` naming the path and why. A file of the same name that
Farmhand did not write is never overwritten or removed: ``is_ours`` decides, per host.
"""

import os
from typing import Callable, NamedTuple

from farmhand.install.errors import InstallError


class Action(NamedTuple):
    """What was done to one path: ``wrote``, ``linked``, ``unchanged``, ``removed`` or
    ``absent``."""

    verb: str
    path: str


def _reason(error: OSError) -> str:
    return error.strerror or str(error)


def read_text(path: str) -> str:
    """The file's text as it is, line endings kept ("" when there is no file)."""
    try:
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""
    except (OSError, UnicodeDecodeError) as error:
        reason = _reason(error) if isinstance(error, OSError) else "it is not UTF-8 text"
        raise InstallError("cannot read it: {}".format(reason), path) from None


def make_folder(path: str) -> None:
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        raise InstallError("cannot create the folder: {}".format(_reason(error)), path) from None
    if not os.path.isdir(path):
        raise InstallError("is not a folder", path)


def write_text(path: str, text: str, is_ours: Callable[[str], bool]) -> Action:
    """Write ``text`` to ``path`` unless it holds it already; refuse a file that is not
    Farmhand's (``is_ours(path)`` false)."""
    if os.path.lexists(path) and not os.path.isfile(path):
        raise InstallError("is in the way (not a file); remove it and run this again", path)
    if os.path.lexists(path):
        if read_text(path) == text and not os.path.islink(path):
            return Action("unchanged", path)
        if not is_ours(path):
            raise InstallError(
                "exists and was not written by Farmhand's installer; move it away or choose "
                "another place with --dest",
                path,
            )
    make_folder(os.path.dirname(path))
    temporary = "{}.farmhand-{}.tmp".format(path, os.getpid())
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        if os.path.islink(path):
            os.remove(path)
        os.replace(temporary, path)
    except OSError as error:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise InstallError("cannot write it: {}".format(_reason(error)), path) from None
    return Action("wrote", path)


def link(target: str, path: str, is_ours: Callable[[str], bool]) -> Action:
    """Make ``path`` a symbolic link to ``target`` (replacing Farmhand's own link or file)."""
    if os.path.islink(path) and os.readlink(path) == target:
        return Action("unchanged", path)
    if os.path.lexists(path) and not is_ours(path):
        raise InstallError(
            "exists and was not made by Farmhand's installer; move it away or choose another "
            "place with --dest",
            path,
        )
    make_folder(os.path.dirname(path))
    temporary = "{}.farmhand-{}.tmp".format(path, os.getpid())
    try:
        os.symlink(target, temporary)
        os.replace(temporary, path)
    except OSError as error:
        if os.path.lexists(temporary):
            os.remove(temporary)
        raise InstallError("cannot link it: {}".format(_reason(error)), path) from None
    return Action("linked", path)


def remove(path: str, is_ours: Callable[[str], bool]) -> Action:
    """Remove Farmhand's file or link at ``path``; leave anything else, saying so."""
    if not os.path.lexists(path):
        return Action("absent", path)
    if not is_ours(path):
        raise InstallError(
            "was not written by Farmhand's installer; it is left as it is (remove it by hand "
            "if it is Farmhand's)",
            path,
        )
    try:
        os.remove(path)
    except OSError as error:
        raise InstallError("cannot remove it: {}".format(_reason(error)), path) from None
    return Action("removed", path)
