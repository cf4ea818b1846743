"""Choosing the chunk size: raised until the chunks fit the task cap (``max_tasks``), and
the "best chunk size" that evens chunk lengths without adding chunks.

For ``linear`` and ``cycle`` the count is a division; for ``progressions`` it depends on where
the steps change, so the size is found by bisection over ``count_chunks`` (which only falls as
the size grows).
"""

from farmhand.core.errors import InputError
from farmhand.core.frames.chunking import check_whole_number, count_chunks
from farmhand.core.frames.spec import FrameSpec

# The most tasks one job may be built with. The chunks are lazy, but the tasks are not: each
# costs its command and frames text (about 400 bytes with the payload), so a cap raised to
# 100,000,000 on 1-1000000000 would build tens of GB and be killed instead of answering. A
# million tasks builds in about a second and 400 MB.
MAX_TASKS_LIMIT = 1000000


def check_max_tasks(max_tasks: object) -> None:
    """``max_tasks`` is a whole number from 1 to ``MAX_TASKS_LIMIT``."""
    check_whole_number("max_tasks", max_tasks, 1)
    if isinstance(max_tasks, int) and max_tasks > MAX_TASKS_LIMIT:
        raise InputError(
            "must be at most {:,} (a job of more tasks is too big to build and submit), "
            "got {!r}".format(MAX_TASKS_LIMIT, max_tasks),
            "max_tasks",
        )


class NoChunkSizeFitsError(Exception):
    """No chunk size keeps the chunks within the cap; ``fewest`` is the least possible."""

    def __init__(self, fewest: int) -> None:
        super().__init__(fewest)
        self.fewest = fewest


def best_chunk_size(frame_count: int, chunk_size: int) -> int:
    """The smallest chunk size that keeps the number of chunks: evens the chunk lengths.

    100 frames at 33 make 4 chunks (33, 33, 33, 1); the best size is 25 (still 4 chunks).
    """
    check_whole_number("frame_count", frame_count, 1)
    check_whole_number("chunk_size", chunk_size, 1)
    chunks = -(-frame_count // chunk_size)
    return -(-frame_count // chunks)


def fit_chunk_size(
    frames: FrameSpec,
    chunk_size: int,
    strategy: str,
    max_chunks: int,
    best: bool = False,
) -> int:
    """The chunk size to use: at least ``chunk_size``, raised until the chunks fit in
    ``max_chunks``, then (``best``) lowered as far as the number of chunks allows.

    Raises ``NoChunkSizeFitsError`` when no size fits (the caller names max_tasks).
    """
    total = len(frames)
    size = max(chunk_size, -(-total // max_chunks))
    if strategy != "progressions":
        if best:
            size = -(-total // -(-total // size))
        return size
    if count_chunks(frames, size, strategy) > max_chunks:
        fewest = count_chunks(frames, total, strategy)
        if fewest > max_chunks:
            raise NoChunkSizeFitsError(fewest)
        size = _smallest_size(frames, size, total, max_chunks)
    if best:
        target = count_chunks(frames, size, strategy)
        size = _smallest_size(frames, -(-total // target), size, target)
    return size


def _smallest_size(frames: FrameSpec, low: int, high: int, max_chunks: int) -> int:
    """Smallest size in [low, high] whose progressions chunks number at most ``max_chunks``
    (the count only falls as the size grows, so bisect; ``high`` must fit)."""
    while low < high:
        middle = (low + high) // 2
        if count_chunks(frames, middle, "progressions") <= max_chunks:
            high = middle
        else:
            low = middle + 1
    return low
