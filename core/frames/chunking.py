"""Splitting a frame set into chunks (one chunk per task) with three strategies.

- ``linear``: consecutive frames of the ascending set, ``chunk_size`` per chunk.
- ``progressions``: greedy over the ascending set, each chunk one arithmetic progression of up
  to ``chunk_size`` frames, so ``-s <start> -e <end> -j <step>`` style commands are exact. A
  chunk continues across progressions while the step continues (``1-10x3,11-12`` at 3 gives
  ``1-7x3``, ``10-12``).
- ``cycle``: round-robin; with ``n = ceil(frames / chunk_size)`` chunks, the i-th frame goes to
  chunk ``i % n`` (``1-100`` at 25: ``1-97x4``, ``2-98x4``, ...), so early chunks sample the
  whole range.

Chunks (``chunk.Chunk``) are counted arithmetically and built only when read: a
``ChunkList`` is a lazy ``Sequence[Chunk]``. Contiguous strategies (linear, progressions) are
described by *blocks* (first chunk, first frame position, end position, chunk size):
``1-1000000000`` at any size is one block, and the progressions strategy needs one block per
run of equal chunks. Choosing the size under a task cap is ``chunk_size``'s job.
"""

from bisect import bisect_right
from math import gcd
from operator import index as as_index
from typing import Dict, Iterator, List, Optional, Sequence, Tuple, Union, overload

from farmhand.core.errors import InputError
from farmhand.core.frames.canonical import canonical
from farmhand.core.frames.chunk import Chunk
from farmhand.core.frames.progression import Progression, Triple
from farmhand.core.frames.setops import overlaps
from farmhand.core.frames.spec import FrameSpec

CHUNK_STRATEGIES = ("linear", "progressions", "cycle")

class ChunkList(Sequence[Chunk]):
    """The chunks of a frame set, built one by one when read (``len()`` is arithmetic)."""

    __slots__ = ("frames", "chunk_size", "strategy", "_count")

    def __init__(self, frames: FrameSpec, chunk_size: int, strategy: str, count: int) -> None:
        self.frames = frames
        self.chunk_size = chunk_size
        self.strategy = strategy
        self._count = count

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, key: int) -> Chunk: ...

    @overload
    def __getitem__(self, key: slice) -> List[Chunk]: ...

    def __getitem__(self, key: Union[int, slice]) -> Union[Chunk, List[Chunk]]:
        if isinstance(key, slice):
            return [self._chunk(i) for i in range(*key.indices(self._count))]
        position = as_index(key)
        if position < 0:
            position += self._count
        if not 0 <= position < self._count:
            raise IndexError("chunk {} out of range for {} chunks".format(key, self._count))
        return self._chunk(position)

    def __iter__(self) -> Iterator[Chunk]:
        for position in range(self._count):
            yield self._chunk(position)

    def __repr__(self) -> str:
        return "<ChunkList {} chunks of {} ({}, chunk size {})>".format(
            self._count, self.frames, self.strategy, self.chunk_size
        )

    def _chunk(self, position: int) -> Chunk:
        raise NotImplementedError

    def chunk_indices_of(self, subset: FrameSpec) -> FrameSpec:
        """Indices of the chunks holding any frame of ``subset`` (which must be in the set)."""
        raise NotImplementedError


class _ContiguousChunks(ChunkList):
    """Linear and progressions chunks: each chunk is a run of consecutive positions."""

    __slots__ = ("_first_chunk", "_first_position", "_end_position", "_size", "_regular")

    def __init__(
        self,
        frames: FrameSpec,
        chunk_size: int,
        strategy: str,
        blocks: Sequence[Tuple[int, int, int, int]],
    ) -> None:
        count = 0
        if blocks:
            first_chunk, first, end, size = blocks[-1]
            count = first_chunk + -(-(end - first) // size)
        super().__init__(frames, chunk_size, strategy, count)
        self._first_chunk = [b[0] for b in blocks]
        self._first_position = [b[1] for b in blocks]
        self._end_position = [b[2] for b in blocks]
        self._size = [b[3] for b in blocks]
        # every progressions chunk is one progression by construction
        self._regular = strategy == "progressions"

    def _positions(self, chunk: int) -> Tuple[int, int]:
        block = bisect_right(self._first_chunk, chunk) - 1
        size = self._size[block]
        low = self._first_position[block] + (chunk - self._first_chunk[block]) * size
        return low, min(low + size, self._end_position[block])

    def _chunk(self, position: int) -> Chunk:
        low, high = self._positions(position)
        return self._build(position, low, high)

    def _build(self, index: int, low: int, high: int) -> Chunk:
        frames = self.frames
        if self._regular:
            start = frames.frame_at(low)
            if high - low == 1:
                return Chunk(index, start, start, 1, 1)
            end = frames.frame_at(high - 1)
            return Chunk(index, start, end, (end - start) // (high - low - 1), high - low)
        pieces = frames.select_pieces(low, high)
        if len(pieces) == 1:
            start, end, step = pieces[0]
            return Chunk(index, start, end, step, high - low)
        return Chunk.from_progressions(index, canonical(pieces))

    def __iter__(self) -> Iterator[Chunk]:
        progs = self.frames.progressions
        if len(progs) == 1 and len(self._size) == 1:
            return self._iter_one_progression(progs[0])
        return self._iter_blocks()

    def _iter_one_progression(self, prog: Progression) -> Iterator[Chunk]:
        """The common case (``1-1000000`` at 10) without any search: pure arithmetic."""
        start, _end, step = prog
        size = self._size[0]
        total = self._end_position[0]
        full = total // size
        span = size * step
        width = span - step
        if size == 1:
            for index in range(total):
                frame = start + index * step
                yield Chunk(index, frame, frame, 1, 1)
            return
        for index in range(full):
            first = start + index * span
            yield Chunk(index, first, first + width, step, size)
        rest = total - full * size
        if rest:
            first = start + full * span
            last = first + (rest - 1) * step
            yield Chunk(full, first, last, step if rest > 1 else 1, rest)

    def _iter_blocks(self) -> Iterator[Chunk]:
        """Walk blocks and progressions together: a chunk inside one progression is plain
        arithmetic; only chunks that straddle progressions go through ``_build``."""
        progs = self.frames.progressions
        offsets = self.frames._offset_list()
        index = 0
        at = 0  # the progression holding position ``low``
        for block, size in enumerate(self._size):
            low = self._first_position[block]
            end = self._end_position[block]
            while low < end:
                high = min(low + size, end)
                while offsets[at + 1] <= low:
                    at += 1
                if high <= offsets[at + 1]:
                    start, _last, step = progs[at]
                    first = start + (low - offsets[at]) * step
                    length = high - low
                    if length == 1:
                        yield Chunk(index, first, first, 1, 1)
                    else:
                        yield Chunk(index, first, first + (length - 1) * step, step, length)
                else:
                    yield self._build(index, low, high)
                index += 1
                low = high

    def chunk_indices_of(self, subset: FrameSpec) -> FrameSpec:
        pieces: List[Triple] = []
        for first, last, every in position_pieces(self.frames, subset):
            block = bisect_right(self._first_position, first) - 1
            while block < len(self._size) and self._first_position[block] <= last:
                low = self._first_position[block]
                part = _clip_positions(first, last, every, low, self._end_position[block] - 1)
                if part is not None:
                    pieces.extend(
                        _chunks_hit(part, low, self._size[block], self._first_chunk[block])
                    )
                block += 1
        return FrameSpec.from_progressions(pieces)


class _CycleChunks(ChunkList):
    """Round-robin chunks: chunk i holds the frames at positions i, i + n, i + 2n, ..."""

    __slots__ = ()

    def _chunk(self, position: int) -> Chunk:
        pieces = self.frames.select_pieces(position, len(self.frames), self._count)
        return Chunk.from_progressions(position, canonical(pieces))

    def __iter__(self) -> Iterator[Chunk]:
        progs = self.frames.progressions
        if len(progs) == 1:
            return self._iter_one_progression(progs[0])
        return self._iter_buckets()

    def _iter_one_progression(self, prog: Progression) -> Iterator[Chunk]:
        start, _end, step = prog
        total = len(self.frames)
        count = self._count
        stride = step * count
        for index in range(count):
            length = (total - 1 - index) // count + 1
            first = start + index * step
            if length == 1:
                yield Chunk(index, first, first, 1, 1)
            else:
                yield Chunk(index, first, first + (length - 1) * stride, stride, length)

    def _iter_buckets(self) -> Iterator[Chunk]:
        """One pass over the progressions, dealing each one's share to every chunk."""
        count = self._count
        buckets: Dict[int, List[Triple]] = {}
        position = 0
        for start, end, step in self.frames.progressions:
            length = (end - start) // step + 1
            if length >= count:
                for index in range(count):
                    skip = (index - position) % count
                    last = skip + (length - 1 - skip) // count * count
                    buckets.setdefault(index, []).append(
                        (start + skip * step, start + last * step, step * count)
                    )
            else:
                for member in range(length):
                    frame = start + member * step
                    buckets.setdefault((position + member) % count, []).append((frame, frame, 1))
            position += length
        for index in range(count):
            pieces = [p if p[0] != p[1] else (p[0], p[1], 1) for p in buckets.pop(index)]
            yield Chunk.from_progressions(index, canonical(pieces))

    def chunk_indices_of(self, subset: FrameSpec) -> FrameSpec:
        count = self._count
        pieces: List[Triple] = []
        for first, last, every in position_pieces(self.frames, subset):
            length = (last - first) // every + 1
            divisor = gcd(every, count)
            if length >= count // divisor:  # the positions visit every chunk of one class
                low = first % divisor
                pieces.append((low, low + (count - 1 - low) // divisor * divisor, divisor))
            else:
                pieces.extend(
                    (position % count, position % count, 1)
                    for position in range(first, last + 1, every)
                )
        return FrameSpec.from_progressions(pieces)


def position_pieces(frames: FrameSpec, subset: FrameSpec) -> List[Triple]:
    """Positions in ``frames`` of the frames of ``subset``, as progressions of positions."""
    progs = frames.progressions
    offsets = frames._offset_list()
    out: List[Triple] = []
    for i, common in overlaps(progs, subset.progressions):
        p = progs[i]
        first = offsets[i] + (common[0] - p[0]) // p[2]
        last = offsets[i] + (common[1] - p[0]) // p[2]
        out.append((first, last, common[2] // p[2] if first != last else 1))
    return out


def _clip_positions(first: int, last: int, every: int, low: int, high: int) -> Optional[Triple]:
    start = first if first >= low else first - (first - low) // every * every
    end = last if last <= high else first + (high - first) // every * every
    return (start, end, every) if start <= end else None


def _chunks_hit(part: Triple, low: int, size: int, first_chunk: int) -> List[Triple]:
    """Chunk indices of a block (chunks of ``size`` from position ``low``) that hold ``part``."""
    first, last, every = part
    first_hit = first_chunk + (first - low) // size
    last_hit = first_chunk + (last - low) // size
    if first == last or every <= size:  # consecutive positions never skip a chunk
        return [(first_hit, last_hit, 1)]
    if every % size == 0:
        return [(first_hit, last_hit, every // size)]
    hits = []
    for position in range(first, last + 1, every):
        chunk = first_chunk + (position - low) // size
        hits.append((chunk, chunk, 1))
    return hits


# -- counting and sizing ---------------------------------------------------------------------


def progression_blocks(frames: FrameSpec, size: int) -> List[Tuple[int, int, int, int]]:
    """Blocks of the progressions strategy: greedy arithmetic runs of at most ``size`` frames.

    Work is per progression, not per frame: a long progression gives one block of equal chunks
    and its tail a single chunk that may continue into the next progressions.
    """
    progs = frames.progressions
    counts = [(p[1] - p[0]) // p[2] + 1 for p in progs]
    blocks: List[Tuple[int, int, int, int]] = []
    state = [0, 0]  # next chunk index, next position

    def emit(chunks: int, each: int) -> None:
        chunk, position = state
        if blocks and blocks[-1][3] == each and blocks[-1][2] == position:
            first_chunk, first, _end, _each = blocks[-1]
            blocks[-1] = (first_chunk, first, position + chunks * each, each)
        else:
            blocks.append((chunk, position, position + chunks * each, each))
        state[0] = chunk + chunks
        state[1] = position + chunks * each

    total = len(progs)
    j = member = 0
    while j < total:
        start, end, step = progs[j]
        remaining = counts[j] - member
        if size == 1 or remaining >= size:
            whole = remaining // size
            emit(whole, size)
            member += whole * size
            if member == counts[j]:
                j += 1
                member = 0
            continue
        if remaining >= 2:
            gap, taken, last = step, remaining, end
        elif j + 1 == total:
            emit(1, 1)
            break
        else:
            last = start + member * step
            gap, taken = progs[j + 1][0] - last, 1
        j += 1
        member = 0
        while taken < size and j < total:
            next_start, _next_end, next_step = progs[j]
            if next_start - last != gap:
                break
            if counts[j] >= 2 and next_step == gap:
                used = min(size - taken, counts[j])
                taken += used
                last = next_start + (used - 1) * gap
                if used == counts[j]:
                    j += 1
                    continue
                member = used
                break
            taken += 1
            last = next_start
            if counts[j] == 1:
                j += 1
                continue
            member = 1
            break
        emit(1, taken)
    return blocks


def count_chunks(frames: FrameSpec, chunk_size: int, strategy: str = "linear") -> int:
    """How many chunks a strategy makes, without building any."""
    if strategy == "progressions":
        blocks = progression_blocks(frames, chunk_size)
        if not blocks:
            return 0
        first_chunk, first, end, size = blocks[-1]
        return first_chunk + (end - first) // size
    return -(-len(frames) // chunk_size)


def chunk_frames(
    frames: Union[FrameSpec, str], chunk_size: int = 1, strategy: str = "linear"
) -> ChunkList:
    """The chunks of a frame set at exactly ``chunk_size`` (no task cap: see ``plan_frames``)."""
    spec = frames if isinstance(frames, FrameSpec) else FrameSpec.parse(frames)
    check_whole_number("chunk_size", chunk_size, 1)
    check_strategy(strategy)
    if strategy == "progressions":
        return _ContiguousChunks(spec, chunk_size, strategy, progression_blocks(spec, chunk_size))
    if strategy == "cycle":
        return _CycleChunks(spec, chunk_size, strategy, -(-len(spec) // chunk_size))
    blocks = [(0, 0, len(spec), chunk_size)] if spec else []
    return _ContiguousChunks(spec, chunk_size, strategy, blocks)


def check_strategy(strategy: str) -> None:
    if strategy not in CHUNK_STRATEGIES:
        raise InputError(
            "unknown chunk strategy {!r}; valid strategies: {}".format(
                strategy, ", ".join(CHUNK_STRATEGIES)
            ),
            "chunk_strategy",
        )


def check_whole_number(field: str, value: object, minimum: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(
            "must be a whole number of at least {}, got {!r}".format(minimum, value),
            field,
        )
