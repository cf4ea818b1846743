"""The few file-system calls the store's durability rests on, with Linux's cheaper forms.

Python has ``os.fsync`` but neither ``syncfs(2)`` (make everything on one file system
durable in one call: a batch of 10,000 small uploads costs one journal commit instead of
10,000) nor ``sync_file_range(2)`` (start writing a file's new pages to disk while more are
still arriving, so the fsync at the end has little left to wait for). Both are reached
through ctypes where libc has them; elsewhere the portable calls stand in, so the farm
still runs, only slower.
"""

import ctypes
import ctypes.util
import os
from typing import Any, List, Sequence

SYNC_FILE_RANGE_WRITE = 2
# Most vectors one pwritev may take (IOV_MAX is 1024 on Linux).
IOV_LIMIT = 512


def _libc_function(name: str) -> Any:
    """The libc function (a ctypes function pointer), or None where there is none."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        return getattr(libc, name)
    except (OSError, AttributeError):
        return None


_syncfs = _libc_function("syncfs")
_sync_file_range = _libc_function("sync_file_range")
if _sync_file_range is not None:
    _sync_file_range.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)


def has_syncfs() -> bool:
    return _syncfs is not None


def syncfs(path: str) -> None:
    """Make everything written to the file system holding ``path`` durable."""
    if _syncfs is None:
        os.sync()
        return
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        if _syncfs(fd) != 0:
            error = ctypes.get_errno()
            raise OSError(error, "syncfs: {}".format(os.strerror(error)), path)
    finally:
        os.close(fd)


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the kernel to start writing these bytes to disk now (does not wait for it)."""
    if _sync_file_range is not None:
        _sync_file_range(fd, offset, length, SYNC_FILE_RANGE_WRITE)


def fsync_path(path: str) -> None:
    """fsync a file or a folder by name (a folder's fsync makes renames in it durable)."""
    fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def unlink_quietly(path: str) -> None:
    """Remove a file that may already be gone."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def write_all(fd: int, offset: int, chunks: Sequence[bytes]) -> int:
    """Write ``chunks`` one after the other at ``offset`` (no joining copy); returns the
    byte count. ``pwritev`` may write less than asked: the rest is written until done."""
    total = 0
    for start in range(0, len(chunks), IOV_LIMIT):
        group: List[bytes] = list(chunks[start : start + IOV_LIMIT])
        size = sum(len(c) for c in group)
        written = os.pwritev(fd, group, offset + total)
        while written < size:
            view = memoryview(b"".join(group))[written:]
            written += os.pwrite(fd, view, offset + total + written)
        total += size
    return total
