"""Upload bytes to disk and back without filling the page cache (``O_DIRECT``), where it can.

Profiling the local farm's uploads showed its CPU going into the kernel's copy of each
received byte into *new* page-cache pages: on a virtual machine whose free memory the host
takes back, touching a fresh page costs a host fault, and filling 1 GiB of new page cache
took 2.3 to 3 CPU-seconds (against 0.2 s when the pages were reused). A write with
``O_DIRECT`` goes from one reused, aligned buffer straight to the disk: about 0.1 CPU-second
per GiB for copying into the buffer, and the later fsync of the landing finds nothing left
to write. Reading an early multipart part back to hash it the same way keeps the page
cache out of that too.

``O_DIRECT`` needs the buffer, the file offset and the length aligned to the disk's block
size (``ALIGN`` covers every common one): the bytes before the first aligned offset and the
tail after the last full block go through the ordinary descriptor. Where the file system
refuses ``O_DIRECT`` (tmpfs, some network file systems) or the platform lacks it, every
byte takes the ordinary path, as before. Durability is unchanged: the landing still fsyncs
each file (``O_DIRECT`` alone does not make the file's metadata durable).

``FARMHAND_FARM_DIRECT_IO=0`` turns it off (the page cache then holds every upload, as
before: for comparing, or for a disk where direct writes are slow); ``1`` or unset: on.
"""

import errno
import mmap
import os
import threading
from typing import Any, List, Optional, Sequence

from farmhand.core.errors import InputError

ENV = "FARMHAND_FARM_DIRECT_IO"

ALIGN = 4096
BUFFER = 8 * 1024 * 1024  # one aligned buffer per upload being written (pooled)
# Bodies smaller than this are written the ordinary way: a few pages, and the loop may
# write them itself (``upload_stream.INLINE``), where a synchronous disk write must not go.
DIRECT_FROM = 1024 * 1024
_O_DIRECT = getattr(os, "O_DIRECT", 0)


def _switch(value: str) -> bool:
    if value not in ("", "0", "1"):
        raise InputError(
            "got {!r}; expected 0 (off) or 1 (on, the default)".format(value), field=ENV
        )
    return value != "0"


ENABLED = _switch(os.environ.get(ENV, ""))

_pool: List[mmap.mmap] = []
_pool_lock = threading.Lock()
# Buffers kept for reuse: reused pages are warm (the point of all this), a few are enough.
POOL_KEEP = 8


def _take_buffer() -> mmap.mmap:
    with _pool_lock:
        if _pool:
            return _pool.pop()
    return mmap.mmap(-1, BUFFER)  # anonymous mappings are page aligned


def _give_back(buffer: mmap.mmap) -> None:
    with _pool_lock:
        if len(_pool) < POOL_KEEP:
            _pool.append(buffer)
            return
    buffer.close()


def _write_plain(fd: int, offset: int, data: memoryview) -> None:
    """Write all of ``data`` at ``offset`` the ordinary (page cache) way."""
    while data:
        done = os.pwrite(fd, data, offset)
        offset += done
        data = data[done:]


def open_direct(path: str, flags: int) -> Optional[int]:
    """A descriptor with ``O_DIRECT`` on ``path``, or None where that is not possible."""
    if not _O_DIRECT or not ENABLED:
        return None
    try:
        return os.open(path, flags | _O_DIRECT | os.O_CLOEXEC)
    except OSError:  # EINVAL: the file system does not do direct I/O
        return None


class DirectWriter(object):
    """A writer lane (``upload_stream``) for one body written at ``offset`` into ``fd``'s
    file: batches are copied into an aligned buffer that goes to disk with ``O_DIRECT``
    each time it is full; ``flush`` writes what is held once the body has ended."""

    def __init__(self, fd: int, dfd: int, offset: int) -> None:
        self.fd = fd
        self.dfd = dfd
        self.buffer = _take_buffer()
        self.view = memoryview(self.buffer)
        self.base = offset  # the file offset of buffer[0]
        self.fill = 0
        self.closed = False

    def __call__(self, offset: int, chunks: Sequence[bytes]) -> None:
        if offset != self.base + self.fill:
            raise ValueError(
                "batches out of order: {} after {}".format(offset, self.base + self.fill)
            )
        for chunk in chunks:
            data = memoryview(chunk)
            while data:
                if self.fill == 0 and self.base % ALIGN:  # reach an aligned offset first
                    head = min(len(data), ALIGN - self.base % ALIGN)
                    _write_plain(self.fd, self.base, data[:head])
                    self.base += head
                    data = data[head:]
                    continue
                count = min(len(data), BUFFER - self.fill)
                self.view[self.fill : self.fill + count] = data[:count]
                self.fill += count
                data = data[count:]
                if self.fill == BUFFER:
                    self._write(BUFFER)

    def _write(self, count: int) -> None:
        """Write the buffer's first ``count`` bytes (a multiple of ``ALIGN``) directly."""
        written = 0
        while written < count:
            try:
                done = os.pwritev(self.dfd, [self.view[written:count]], self.base + written)
            except OSError as error:
                if error.errno != errno.EINVAL:  # ENOSPC and the like are the caller's
                    raise
                done = -1  # opened, but direct writes refused: the ordinary way
            if done <= 0 or done % ALIGN:  # odd short write: the rest the ordinary way
                written += max(done, 0)
                _write_plain(self.fd, self.base + written, self.view[written:count])
                written = count
                break
            written += done
        keep = self.fill - count
        if keep:
            self.view[:keep] = self.view[count : self.fill]
        self.base += count
        self.fill = keep

    def flush(self) -> None:
        """Write what the buffer holds: whole blocks directly, the tail the ordinary way."""
        whole = self.fill - self.fill % ALIGN
        if whole:
            self._write(whole)
        if self.fill:
            _write_plain(self.fd, self.base, self.view[: self.fill])
            self.base += self.fill
            self.fill = 0

    def close(self) -> None:
        """Release the direct descriptor and the buffer (the caller closes ``fd``)."""
        if self.closed:
            return
        self.closed = True
        os.close(self.dfd)
        self.view.release()
        _give_back(self.buffer)


def read_into_digest(path: str, start: int, end: int, digest: Any, chunk: int) -> bool:
    """Feed bytes ``start`` to ``end`` of a file to ``digest`` reading with ``O_DIRECT``;
    False (nothing read) where that is not possible, for the caller to read normally."""
    if start % ALIGN:
        return False
    dfd = open_direct(path, os.O_RDONLY)
    if dfd is None:
        return False
    buffer = _take_buffer()
    view = memoryview(buffer)
    update = digest.update
    try:
        size = min(chunk, BUFFER)
        offset, left = start, end - start
        while left > 0:
            count = os.preadv(dfd, [view[:size]], offset)
            if count <= 0:
                raise OSError("{} ends {} bytes early".format(path, left))
            take = min(count, left)
            update(view[:take])
            offset += take
            left -= take
            if left and take % ALIGN:  # a short read mid-file: the rest the ordinary way
                with open(path, "rb") as handle:
                    handle.seek(offset)
                    while left > 0:
                        data = handle.read(min(left, size))
                        if not data:
                            raise OSError("{} ends {} bytes early".format(path, left))
                        update(data)
                        left -= len(data)
    finally:
        os.close(dfd)
        view.release()
        _give_back(buffer)
    return True
