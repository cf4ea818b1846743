"""The files a submission uploads, as stat records taken once.

One ``os.stat`` per file feeds the md5 cache key (size, mtime_ns, inode), the upload
negotiation (size) and the payload's ``upload_files`` entries, so the three never disagree.
"""

import os
import stat
from typing import Any, Dict, Iterable, Iterator, List, NamedTuple

from farmhand.core.errors import InputError


class LocalFile(NamedTuple):
    """An absolute path with the stat taken when the submission was prepared."""

    path: str
    size: int
    mtime_ns: int
    inode: int
    stat: os.stat_result

    @classmethod
    def from_path(cls, path: str) -> "LocalFile":
        path = os.path.abspath(path)
        info = os.stat(path)
        return cls(path, info.st_size, info.st_mtime_ns, info.st_ino, info)

    def changed(self) -> bool:
        """True when the file on disk no longer matches this record."""
        try:
            info = os.stat(self.path)
        except OSError:
            return True
        return (info.st_size, info.st_mtime_ns, info.st_ino) != (
            self.size,
            self.mtime_ns,
            self.inode,
        )


def collect_files(paths: Iterable[str], field: str = "upload_paths") -> List[LocalFile]:
    """Expand files and directories (recursively, sorted) into unique ``LocalFile`` records.

    A missing entry is an error naming the entry and its position: uploads are never skipped
    silently, a render that lacks a texture is worse than a submission that stops.
    """
    seen = set()
    result = []
    for position, entry in enumerate(paths, 1):
        if not isinstance(entry, str) or not entry:
            raise InputError(
                "entry {} is {!r}, expected a file or directory path".format(position, entry),
                field=field,
            )
        path = _absolute(entry)
        try:  # one stat says what it is and gives the record: a resubmit stats 10,000s
            info = os.stat(path)
        except OSError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            found = list(_walk(path, field))
        elif info is not None and stat.S_ISREG(info.st_mode):
            found = [LocalFile(path, info.st_size, info.st_mtime_ns, info.st_ino, info)]
        else:
            raise InputError(
                "entry {} {!r}: no such file or directory".format(position, entry), field=field
            )
        for local in found:
            if local.path not in seen:
                seen.add(local.path)
                result.append(local)
    return result


def _absolute(entry: str) -> str:
    """The absolute, normalised path; a path that is one already (as the dependency scan
    hands them over, 10,000s at a time) is taken as it is, without the string work."""
    if os.sep == "/" and entry[:1] == "/" and "/." not in entry and "//" not in entry:
        return entry if len(entry) == 1 or entry[-1] != "/" else entry.rstrip("/") or "/"
    return os.path.abspath(os.path.expanduser(entry))


def _walk(root: str, field: str) -> Iterator[LocalFile]:
    """Files under ``root`` in sorted order, one ``stat`` each (``scandir`` entries cache it).
    Sockets, fifos and dangling links are skipped; links to folders are not followed (as
    ``os.walk``); a folder that cannot be read is an error, not a silent gap."""
    try:
        with os.scandir(root) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        raise InputError(
            "cannot read the folder {!r}: {}".format(root, error.strerror or error), field=field
        ) from None
    for item in entries:
        if item.is_dir(follow_symlinks=False):
            yield from _walk(item.path, field)
            continue
        try:
            if item.is_file():
                info = item.stat()
                yield LocalFile(item.path, info.st_size, info.st_mtime_ns, info.st_ino, info)
        except OSError:  # vanished or unreadable meanwhile: the caller's listing is what counts
            continue


def upload_file_entry(local: LocalFile, md5: str) -> Dict[str, Any]:
    """The payload's ``upload_files`` item: the shape Conductor's own client sends."""
    info = local.stat
    return {
        "md5": md5,
        "destination": local.path,
        "st_mode": info.st_mode,
        "st_ino": info.st_ino,
        "st_dev": info.st_dev,
        "st_nlink": info.st_nlink,
        "st_uid": info.st_uid,
        "st_gid": info.st_gid,
        "st_size": info.st_size,
        "st_atime": info.st_atime,
        "st_mtime": info.st_mtime,
        "st_ctime": info.st_ctime,
    }
