"""One chunk: the frames of one task, as the start/end/step a render command needs.

Most chunks are one arithmetic progression ("regular"): ``start``, ``end`` and ``step`` say it
all and the ``FrameSpec`` is only made when asked for. A chunk of the ``cycle`` strategy or one
that crosses a step change is irregular, described by its progressions.
"""

from typing import Iterator, Optional, Tuple

from farmhand.core.frames.progression import Progression, format_progression
from farmhand.core.frames.spec import FrameSpec

_new_tuple = tuple.__new__  # a Progression without NamedTuple's Python-level __new__


class Chunk:
    """The frames of one task.

    ``start``/``end`` are the first and last frame; ``step`` is the step of a regular chunk
    (one arithmetic progression; 1 for a single frame) and 1 for an irregular chunk, whose
    frames are only described by ``frames``/``str(chunk)`` (check ``is_regular`` before using
    start/end/step as a render range). ``tile`` is None in ``FramePlan.chunks`` and the
    1-based tile number in ``FramePlan.tasks()`` when the plan has tiles.
    """

    __slots__ = ("index", "start", "end", "step", "length", "tile", "_progs", "_frames")

    def __init__(
        self,
        index: int,
        start: int,
        end: int,
        step: int,
        length: int,
        progs: Optional[Tuple[Progression, ...]] = None,
        tile: Optional[int] = None,
    ) -> None:
        self.index = index
        self.start = start
        self.end = end
        self.step = step
        self.length = length
        self.tile = tile
        self._progs = progs  # None: regular, (start, end, step) says it all
        self._frames: Optional[FrameSpec] = None

    @classmethod
    def from_progressions(cls, index: int, progs: Tuple[Progression, ...]) -> "Chunk":
        """A chunk from canonical progressions (regular when there is only one)."""
        if len(progs) == 1:
            start, end, step = progs[0]
            return cls(index, start, end, step, (end - start) // step + 1)
        length = sum((p[1] - p[0]) // p[2] + 1 for p in progs)
        return cls(index, progs[0][0], progs[-1][1], 1, length, progs)

    @property
    def frames(self) -> FrameSpec:
        frames = self._frames
        if frames is None:
            progs = self._progs
            if progs is None:
                progs = (_new_tuple(Progression, (self.start, self.end, self.step)),)
            frames = self._frames = FrameSpec._make(progs, self.length)
        return frames

    @property
    def is_regular(self) -> bool:
        """True when the chunk is one arithmetic progression (start/end/step are exact)."""
        return self._progs is None

    @property
    def chunk_type(self) -> str:
        """``regular`` or ``irregular``, the seeds' ``<chunktype>`` values."""
        return "regular" if self._progs is None else "irregular"

    def with_tile(self, tile: Optional[int]) -> "Chunk":
        chunk = Chunk(self.index, self.start, self.end, self.step, self.length, self._progs, tile)
        chunk._frames = self._frames
        return chunk

    def __len__(self) -> int:
        return self.length

    def __iter__(self) -> Iterator[int]:
        return iter(self.frames)

    def __contains__(self, frame: object) -> bool:
        return frame in self.frames

    def __str__(self) -> str:
        """The canonical spec of the chunk's frames (``1-2``, ``5``, ``1-3x2``)."""
        if self._progs is None:
            return format_progression(self.start, self.end, self.step)
        return str(self.frames)

    def __repr__(self) -> str:
        tile = "" if self.tile is None else ", tile={}".format(self.tile)
        return "Chunk(index={}, frames={!r}{})".format(self.index, str(self), tile)

    def _key(self) -> Tuple[object, ...]:
        return (self.index, self.tile, self._progs or (self.start, self.end, self.step))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Chunk):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())
