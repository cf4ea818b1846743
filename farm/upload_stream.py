"""Streams an upload's body into a file while hashing it, without blocking the event loop.

Hashing 1 GiB costs about 1.5 s of CPU: on the event loop that would stall every other
request (and the task dispatching), and done after receiving it would read the data twice.
So the loop only gathers what the socket delivers (aiohttp's own buffers, no copy) into
batches of ``BATCH`` bytes, and each batch is written and hashed in worker threads while the
loop already receives the next one. Writing and each md5 are separate *lanes* (a lane takes
its batches strictly in order, lanes run side by side): with the part's md5 and the whole
file's md5 of a multipart upload, three threads share the work, and hashlib and pwritev
both release the GIL. A body of ``direct_io.DIRECT_FROM`` bytes or more is written with
``O_DIRECT`` where the file system allows it (``file_lane``; ``direct_io.py`` says why: the
kernel's copy into new page-cache pages was most of the farm's CPU per uploaded byte);
otherwise large batches start their writeback to disk at once. Either way making the file
durable later (``landing.py``) finds little left to write.
"""

import asyncio
import concurrent.futures
import os
from typing import Any, Callable, List, Optional, Sequence

from aiohttp import StreamReader

from farmhand.farm import direct_io, disk_sync

BATCH = 8 * 1024 * 1024
# A body that ends below this size is written and hashed on the loop (microseconds for
# the many small files of a texture folder; a thread hand-off would cost more).
INLINE = 256 * 1024
# Batches from this size on start their writeback at once.
WRITEBACK_FROM = 1024 * 1024

Work = Callable[[int, List[bytes]], None]


class TooLargeError(Exception):
    """More bytes arrived than the upload may have; ``received`` counts them so far."""

    def __init__(self, received: int) -> None:
        super().__init__(received)
        self.received = received


def writer_lane(fd: int) -> Work:
    def write(offset: int, chunks: List[bytes]) -> None:
        size = disk_sync.write_all(fd, offset, chunks)
        if size >= WRITEBACK_FROM:
            disk_sync.start_writeback(fd, offset, size)

    return write


def file_lane(fd: int, path: str, offset: int, expected: int) -> Work:
    """The writer lane for a body of ``expected`` bytes written at ``offset`` into ``fd``
    (open on ``path``): direct I/O for big bodies where possible, else ``writer_lane``.
    ``receive`` flushes and closes it."""
    if expected >= direct_io.DIRECT_FROM:
        dfd = direct_io.open_direct(path, os.O_WRONLY)
        if dfd is not None:
            return direct_io.DirectWriter(fd, dfd, offset)
    return writer_lane(fd)


def digest_lane(digest: Any) -> Work:
    def update(_offset: int, chunks: List[bytes]) -> None:
        for chunk in chunks:
            digest.update(chunk)

    return update


def _flush(lane: Work) -> None:
    flush = getattr(lane, "flush", None)
    if flush is not None:
        flush()


def _last(lane: Work, offset: int, chunks: List[bytes]) -> None:
    lane(offset, chunks)
    _flush(lane)


async def receive(
    content: StreamReader,
    lanes: Sequence[Work],
    threads: concurrent.futures.Executor,
    offset: int = 0,
    limit: Optional[int] = None,
) -> int:
    """Feed the body to every lane, batch by batch from ``offset``; returns its size.

    Raises ``TooLargeError`` as soon as more than ``limit`` bytes arrived (nothing past the
    limit is written). Every batch handed to a lane is finished (a lane with ``flush`` is
    flushed after the last one) before this returns, and every lane with ``close`` is
    closed before this returns or raises, so the caller may close the file at once.
    """
    loop = asyncio.get_running_loop()
    flushed = [lane for lane in lanes if hasattr(lane, "flush")]
    in_flight: List["asyncio.Future[None]"] = []
    batch: List[bytes] = []
    batch_size = 0
    total = 0
    start = offset

    async def hand_over(final: bool) -> None:
        nonlocal in_flight, batch, batch_size, start
        if in_flight:
            await asyncio.gather(*in_flight)
        in_flight = []
        if final and batch_size < INLINE:
            for lane in lanes:
                lane(start, batch)
            in_flight = [loop.run_in_executor(threads, _flush, lane) for lane in flushed]
        elif final:  # the last batch and the flush in one hand-off: one thread hop per file
            in_flight = [loop.run_in_executor(threads, _last, lane, start, batch) for lane in lanes]
        else:
            in_flight = [loop.run_in_executor(threads, lane, start, batch) for lane in lanes]
        start += batch_size
        batch = []
        batch_size = 0

    try:
        async for chunk in content.iter_any():
            total += len(chunk)
            if limit is not None and total > limit:
                raise TooLargeError(total)
            batch.append(chunk)
            batch_size += len(chunk)
            if batch_size >= BATCH:
                await hand_over(final=False)
        await hand_over(final=True)
        if in_flight:
            await asyncio.gather(*in_flight)
    finally:
        if in_flight:  # a failed request: let the threads finish with the file first
            await asyncio.gather(*in_flight, return_exceptions=True)
        for lane in lanes:
            if hasattr(lane, "close"):
                lane.close()
    return total
