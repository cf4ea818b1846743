"""``plan_frames``: frames, chunk size, strategy, task cap, scouts and tiles resolved at once.

This is what the job model, the frames widget and ``farmhand preview`` call. Everything is
counted before anything is built, so ``1-1000000000`` at chunk size 1 resolves to 1000 tasks
at once; the chunks themselves are a lazy sequence.

Tiles: each chunk is rendered as ``tiles`` tile tasks. ``FramePlan.chunks`` has one ``Chunk``
per chunk (``tile`` None); ``FramePlan.tasks()`` is the task list, chunk-major (chunk 0 tile 1,
chunk 0 tile 2, ..., chunk 1 tile 1, ...), with ``tile`` set to the 1-based tile number when
``tiles > 1`` and None otherwise.
"""

from operator import index as as_index
from typing import Iterator, List, NamedTuple, Sequence, Union, overload

from farmhand.core.errors import InputError
from farmhand.core.frames.chunk import Chunk
from farmhand.core.frames.chunk_size import NoChunkSizeFitsError, check_max_tasks, fit_chunk_size
from farmhand.core.frames.chunking import (
    ChunkList,
    check_strategy,
    check_whole_number,
    chunk_frames,
)
from farmhand.core.frames.scouts import resolve_scout_frames
from farmhand.core.frames.spec import FrameSpec
from farmhand.core.units import plural


class FramesInfo(NamedTuple):
    """The counts a submitter shows next to the frame spec (``str()`` is a one-line summary)."""

    frame_count: int
    chunk_count: int
    task_count: int
    scout_frame_count: int
    scout_task_count: int
    chunk_size: int
    requested_chunk_size: int
    tiles: int

    def __str__(self) -> str:
        """``10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks``."""
        detail = "chunk size {}".format(self.chunk_size)
        if self.chunk_size != self.requested_chunk_size:
            detail += ", requested {}".format(self.requested_chunk_size)
        if self.tiles > 1:
            detail = "{} x {} tiles, {}".format(
                plural(self.chunk_count, "chunk"), self.tiles, detail
            )
        text = "{}, {} ({})".format(
            plural(self.frame_count, "frame"), plural(self.task_count, "task"), detail
        )
        if self.scout_frame_count:
            return "{}, {} in {}".format(
                text,
                plural(self.scout_frame_count, "scout frame"),
                plural(self.scout_task_count, "task"),
            )
        return text + ", no scout frames"


class TaskList(Sequence[Chunk]):
    """Every task of a plan: each chunk repeated once per tile, chunk-major, built on demand."""

    __slots__ = ("_chunks", "_tiles")

    def __init__(self, chunks: ChunkList, tiles: int) -> None:
        self._chunks = chunks
        self._tiles = tiles

    def __len__(self) -> int:
        return len(self._chunks) * self._tiles

    @overload
    def __getitem__(self, key: int) -> Chunk: ...

    @overload
    def __getitem__(self, key: slice) -> List[Chunk]: ...

    def __getitem__(self, key: Union[int, slice]) -> Union[Chunk, List[Chunk]]:
        if isinstance(key, slice):
            return [self[i] for i in range(*key.indices(len(self)))]
        position = as_index(key)
        if position < 0:
            position += len(self)
        if not 0 <= position < len(self):
            raise IndexError("task {} out of range for {} tasks".format(key, len(self)))
        if self._tiles == 1:
            return self._chunks[position]
        chunk, tile = divmod(position, self._tiles)
        return self._chunks[chunk].with_tile(tile + 1)

    def __iter__(self) -> Iterator[Chunk]:
        if self._tiles == 1:
            return iter(self._chunks)
        return self._iter_tiles()

    def _iter_tiles(self) -> Iterator[Chunk]:
        for chunk in self._chunks:
            for tile in range(1, self._tiles + 1):
                yield chunk.with_tile(tile)


class FramePlan:
    """The resolved frames of a job: what ``plan_frames`` returns (read-only)."""

    __slots__ = (
        "frames",
        "requested_chunk_size",
        "chunk_size",
        "strategy",
        "max_tasks",
        "best_chunk_size",
        "chunks",
        "scout_frames",
        "dropped_scout_frames",
        "scout_chunk_indices",
        "tiles",
        "info",
    )

    def __init__(
        self,
        frames: FrameSpec,
        requested_chunk_size: int,
        chunks: ChunkList,
        max_tasks: int,
        best_chunk_size: bool,
        scout_frames: FrameSpec,
        dropped_scout_frames: FrameSpec,
        tiles: int,
    ) -> None:
        self.frames = frames
        self.requested_chunk_size = requested_chunk_size
        self.chunk_size = chunks.chunk_size
        self.strategy = chunks.strategy
        self.max_tasks = max_tasks
        self.best_chunk_size = best_chunk_size
        self.chunks = chunks
        self.scout_frames = scout_frames
        self.dropped_scout_frames = dropped_scout_frames
        # a FrameSpec of chunk indices: ``in``, len() and iteration without listing them
        self.scout_chunk_indices = chunks.chunk_indices_of(scout_frames)
        self.tiles = tiles
        self.info = FramesInfo(
            frame_count=len(frames),
            chunk_count=len(chunks),
            task_count=len(chunks) * tiles,
            scout_frame_count=len(scout_frames),
            scout_task_count=len(self.scout_chunk_indices) * tiles,
            chunk_size=chunks.chunk_size,
            requested_chunk_size=requested_chunk_size,
            tiles=tiles,
        )

    def is_scout(self, chunk: Union[Chunk, int]) -> bool:
        """Whether a chunk (or task of it: every tile of a scout chunk) holds a scout frame."""
        index = chunk.index if isinstance(chunk, Chunk) else chunk
        return index in self.scout_chunk_indices

    def tasks(self) -> TaskList:
        """The tasks: chunks x tiles, chunk-major (see the module docstring)."""
        return TaskList(self.chunks, self.tiles)

    @property
    def chunk_size_raised(self) -> bool:
        """True when max_tasks forced a larger chunk size than requested."""
        return self.chunk_size > self.requested_chunk_size

    def __repr__(self) -> str:
        return "<FramePlan {}: {}>".format(self.frames, self.info)


def plan_frames(
    frames: Union[FrameSpec, str],
    chunk_size: int = 1,
    strategy: str = "linear",
    max_tasks: int = 1000,
    best_chunk_size: bool = False,
    scout_frames: Union[None, str, FrameSpec] = "",
    tiles: int = 1,
) -> FramePlan:
    """Resolve a job's frames into chunks, scouts and tiles within ``max_tasks`` tasks.

    ``chunk_size`` is raised when needed so that chunks x tiles <= max_tasks (the plan reports
    the resolved size); ``best_chunk_size`` then evens the chunk lengths without adding chunks.
    """
    spec = frames if isinstance(frames, FrameSpec) else FrameSpec.parse(frames, "frames")
    if not spec:
        raise InputError("the frame set is empty; give at least one frame, e.g. 1-10", "frames")
    check_whole_number("chunk_size", chunk_size, 1)
    check_strategy(strategy)
    check_max_tasks(max_tasks)
    check_whole_number("tiles", tiles, 1)
    if tiles > max_tasks:
        raise InputError(
            "{} tiles make {} tasks per chunk, more than max_tasks {}; raise max_tasks or "
            "use fewer tiles".format(tiles, tiles, max_tasks),
            "max_tasks",
        )
    max_chunks = max_tasks // tiles
    try:
        size = fit_chunk_size(spec, chunk_size, strategy, max_chunks, bool(best_chunk_size))
    except NoChunkSizeFitsError as error:
        fewest = error.fewest
        raise InputError(
            "the progressions strategy needs at least {:,} tasks for these frames (each chunk "
            "must be one arithmetic progression), more than max_tasks {:,}; raise max_tasks "
            "or use the linear or cycle strategy".format(fewest * tiles, max_tasks),
            "max_tasks",
        ) from None
    chunks = chunk_frames(spec, size, strategy)
    scouts = resolve_scout_frames(scout_frames, spec)
    return FramePlan(
        frames=spec,
        requested_chunk_size=chunk_size,
        chunks=chunks,
        max_tasks=max_tasks,
        best_chunk_size=bool(best_chunk_size),
        scout_frames=scouts.frames,
        dropped_scout_frames=scouts.dropped,
        tiles=tiles,
    )
