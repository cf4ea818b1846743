"""Folder listings for the dependency scan: each folder is read once, with one ``scandir``.

A scene names thousands of files in a few folders (a sequence of 1,000 frames, UDIM tiles,
a cache per frame). Asking the file system about each file costs a ``stat`` per file; one
``scandir`` per folder answers for all of them, and its entries say whether a name is a
file, a folder or something else without another system call (only symbolic links are
followed with a ``stat``, to say what they point to or why they point nowhere).
"""

import bisect
import errno
import os
import stat
from typing import Dict, List, Optional

# What a name in a folder is.
FILE = "file"
FOLDER = "folder"
LINKED_FOLDER = "linked folder"  # a symbolic link to a folder
OTHER = "other"  # a FIFO, socket or device: reading it is not a file's bytes
BROKEN = "broken"  # a symbolic link to nothing
LOOP = "loop"  # a symbolic link that leads back to itself
UNREADABLE = "unreadable"  # a link whose target cannot be looked at


class Folder(object):
    """One folder's names and what each is; ``error`` says why it could not be read."""

    __slots__ = ("path", "kinds", "error", "_sorted")

    def __init__(self, path: str, kinds: Dict[str, str], error: Optional[OSError] = None):
        self.path = path
        self.kinds = kinds
        self.error = error
        self._sorted: Optional[List[str]] = None

    def kind(self, name: str) -> Optional[str]:
        return self.kinds.get(name)

    def names_starting_with(self, prefix: str) -> List[str]:
        """The names that begin with ``prefix``, sorted (a bisection, not a scan)."""
        if self._sorted is None:
            self._sorted = sorted(self.kinds)
        names = self._sorted
        start = bisect.bisect_left(names, prefix)
        # names starting with the prefix sort below prefix + the highest code point
        end = bisect.bisect_left(names, prefix + "\U0010ffff", start)
        while end < len(names) and names[end].startswith(prefix):
            end += 1
        return names[start:end]

    def sorted_names(self) -> List[str]:
        return self.names_starting_with("")


def _link_kind(path: str) -> str:
    try:
        info = os.stat(path)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return LOOP
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return BROKEN
        return UNREADABLE
    if stat.S_ISREG(info.st_mode):
        return FILE
    if stat.S_ISDIR(info.st_mode):
        return LINKED_FOLDER
    return OTHER


class Listings(object):
    """The folders read so far; ``scandirs`` counts the reads (the benchmark reports it)."""

    def __init__(self) -> None:
        self._folders: Dict[str, Folder] = {}
        self.scandirs = 0

    def folder(self, path: str) -> Folder:
        folder = self._folders.get(path)
        if folder is None:
            folder = self._read(path)
            self._folders[path] = folder
        return folder

    def _read(self, path: str) -> Folder:
        kinds: Dict[str, str] = {}
        self.scandirs += 1
        try:
            with os.scandir(path or ".") as entries:
                for entry in entries:  # files first: most names in a scene's folders
                    if entry.is_file(follow_symlinks=False):
                        kinds[entry.name] = FILE
                    elif entry.is_dir(follow_symlinks=False):
                        kinds[entry.name] = FOLDER
                    elif entry.is_symlink():
                        kinds[entry.name] = _link_kind(entry.path)
                    else:
                        kinds[entry.name] = OTHER
        except OSError as error:
            return Folder(path, {}, error)
        return Folder(path, kinds)

    def kind(self, path: str) -> Optional[str]:
        """What ``path`` is, from its folder's listing (None: not there)."""
        directory, name = os.path.split(path)
        if not name:  # the root folder
            return FOLDER if os.path.isdir(path) else None
        return self.folder(directory).kind(name)


def why_absent(listings: Listings, path: str) -> str:
    """Why a path that is not a file in its folder's listing cannot be uploaded."""
    kind = listings.kind(path)
    if kind == BROKEN:
        return "broken link"
    if kind == LOOP:
        return "symlink loop (the link leads back to itself)"
    if kind == OTHER:
        return "is not a regular file or a folder"
    if kind == UNREADABLE:
        return "its link target cannot be read"
    return folder_problem(listings, os.path.dirname(path)) or "does not exist"


def folder_problem(listings: Listings, directory: str) -> Optional[str]:
    """Why the folder exists but cannot be listed (None: listed, or it does not exist)."""
    error = listings.folder(directory).error
    if error is None or error.errno in (errno.ENOENT, errno.ENOTDIR):
        return None
    if error.errno == errno.ELOOP:
        return "its folder {} is a symlink loop".format(directory)
    return "its folder {} cannot be read ({})".format(directory, error.strerror or error)
