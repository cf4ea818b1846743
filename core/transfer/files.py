"""The files a submission uploads, as stat records taken once.

One ``os.stat`` per file feeds the md5 cache key (size, mtime_ns, inode), the upload
negotiation (size) and the payload's ``upload_files`` entries, so the three never disagree.
"""

import os
from typing import Any, Dict, Iterable, List, NamedTuple

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
        path = os.path.abspath(os.path.expanduser(entry))
        if os.path.isdir(path):
            candidates = list(_walk(path))
        elif os.path.isfile(path):
            candidates = [path]
        else:
            raise InputError(
                "entry {} {!r}: no such file or directory".format(position, entry), field=field
            )
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                result.append(LocalFile.from_path(candidate))
    return result


def _walk(root: str) -> Iterable[str]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if os.path.isfile(path):  # skips sockets, fifos and dangling links
                yield path


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
