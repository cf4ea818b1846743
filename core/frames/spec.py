"""``FrameSpec``: an immutable set of integer frames, held as canonical progressions.

Like fileseq's ``FrameSet`` it is a value with set operations and a canonical text form, but it
never lists its frames: length, membership, indexing, slicing and the set operations work on
progressions, so ``FrameSpec.parse("1-1000000000")`` is as cheap as ``1-10``. Frames are Python
ints (no overflow), negative frames included.
"""

from bisect import bisect_right
from itertools import chain
from operator import index as as_index
from typing import Iterable, Iterator, List, Optional, Tuple, Union, overload

from farmhand.core.errors import InputError
from farmhand.core.frames import setops
from farmhand.core.frames.canonical import canonical, runs_of_sorted_frames
from farmhand.core.frames.parse import MAX_FRAMES, parse_spec
from farmhand.core.frames.progression import Progression, Triple, format_progression

ProgressionLike = Union[Progression, Tuple[int, int, int]]
_new = object.__new__


class FrameSpec:
    """A set of frames: ``FrameSpec.parse("1,7,10-20,30-60x3,1001")``.

    ``str()`` is the canonical spec (``1-10``, ``5``, ``1-3x2``, ``-10--2``); equal sets have
    equal text, progressions and hash. Iteration is ascending. ``spec[i]`` is the i-th frame
    and ``spec[a:b:c]`` a sub-spec by position, both computed arithmetically.
    """

    __slots__ = ("_progs", "_len", "_offsets", "_starts", "_hash", "_str")

    def __init__(self, frames: Union[None, str, "FrameSpec", Iterable[int]] = None) -> None:
        if frames is None:
            progs: Tuple[Progression, ...] = ()
        elif isinstance(frames, FrameSpec):
            progs = frames._progs
        elif isinstance(frames, str):
            progs = parse_spec(frames)
        else:
            progs = FrameSpec.from_frames(frames)._progs
        self._init(progs)

    def _init(self, progs: Tuple[Progression, ...], length: Optional[int] = None) -> None:
        self._progs = progs
        self._len = length
        self._offsets: Optional[List[int]] = None
        self._starts: Optional[List[int]] = None
        self._hash: Optional[int] = None
        self._str: Optional[str] = None

    @classmethod
    def _make(cls, progs: Tuple[Progression, ...], length: Optional[int] = None) -> "FrameSpec":
        """Wrap progressions that are already canonical (no checks: internal use only).

        Inlined rather than calling ``_init``: chunking makes one per chunk, 100,000 at a time.
        """
        spec = _new(cls)
        spec._progs = progs
        spec._len = length
        spec._offsets = None
        spec._starts = None
        spec._hash = None
        spec._str = None
        return spec

    # -- construction ----------------------------------------------------------------------

    @classmethod
    def parse(cls, text: str, field: str = "frames") -> "FrameSpec":
        """Parse a spec as users type it; errors are ``FrameSpecError`` naming ``field``."""
        return cls._make(parse_spec(text, field))

    @classmethod
    def from_progressions(cls, progressions: Iterable[ProgressionLike]) -> "FrameSpec":
        """The union of ``(start, end, step)`` progressions (any order, overlaps allowed).

        ``end`` need not be a member; ``start > end`` counts down from ``start`` as a frame
        spec would (``(10, 1, 4)`` is 10, 6, 2).
        """
        pieces = []
        for position, item in enumerate(progressions, 1):
            start, end, step = _checked_piece(item, position)
            pieces.append((start, end, step, position))
        try:
            spec = cls._make(setops.union(pieces))
        except setops.TooLargeError as error:
            named = ", ".join(
                format_progression(*pieces[tag - 1][:3]) for tag in error.tags if tag > 0
            )
            raise _too_large("the union of progressions " + named, error) from None
        count = sum((end - start) // step + 1 for start, end, step in spec._progs)
        if count > MAX_FRAMES:
            raise InputError(
                "the progressions hold {:,} frames, over the limit of {:,} frames a spec may "
                "hold".format(count, MAX_FRAMES),
                "frames",
            )
        return spec

    @classmethod
    def from_frames(cls, frames: Iterable[int]) -> "FrameSpec":
        """The set of the given frames (any order, duplicates allowed)."""
        if isinstance(frames, FrameSpec):
            return frames
        if isinstance(frames, range):
            if not frames:
                return cls()
            step = abs(frames.step)
            low, high = min(frames[0], frames[-1]), max(frames[0], frames[-1])
            return cls._make((Progression(low, high, step if low != high else 1),))
        values = []
        for frame in frames:
            if isinstance(frame, bool) or not isinstance(frame, int):
                raise InputError(
                    "every frame must be a whole number, got {} {!r}".format(
                        type(frame).__name__, frame
                    ),
                    "frames",
                )
            values.append(frame)
        ordered = sorted(set(values))
        return cls._make(canonical(runs_of_sorted_frames(ordered)), len(ordered))

    # -- the value -------------------------------------------------------------------------

    @property
    def progressions(self) -> Tuple[Progression, ...]:
        """Ascending, disjoint, canonical progressions (see ``canonical.py`` for the rule)."""
        return self._progs

    @property
    def first(self) -> int:
        if not self._progs:
            raise ValueError("an empty frame spec has no first frame")
        return self._progs[0][0]

    @property
    def last(self) -> int:
        if not self._progs:
            raise ValueError("an empty frame spec has no last frame")
        return self._progs[-1][1]

    @property
    def is_progression(self) -> bool:
        """True when the frames are one arithmetic progression (a regular chunk)."""
        return len(self._progs) == 1

    def __len__(self) -> int:
        if self._len is None:
            self._len = sum((end - start) // step + 1 for start, end, step in self._progs)
        return self._len

    def __bool__(self) -> bool:
        return bool(self._progs)

    def __iter__(self) -> Iterator[int]:
        return chain.from_iterable(range(p[0], p[1] + 1, p[2]) for p in self._progs)

    def __reversed__(self) -> Iterator[int]:
        return chain.from_iterable(range(p[1], p[0] - 1, -p[2]) for p in reversed(self._progs))

    def __contains__(self, frame: object) -> bool:
        if isinstance(frame, bool) or not isinstance(frame, int):
            return False
        progs = self._progs
        at = bisect_right(self._start_list(), frame) - 1
        if at < 0:
            return False
        start, end, step = progs[at]
        return frame <= end and (frame - start) % step == 0

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self._progs == other._progs

    def __ne__(self, other: object) -> bool:
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self._progs != other._progs

    def __hash__(self) -> int:
        if self._hash is None:
            self._hash = hash(("FrameSpec", self._progs))
        return self._hash

    def __str__(self) -> str:
        if self._str is None:
            progs = self._progs
            if len(progs) == 1:
                self._str = format_progression(*progs[0])
            else:
                self._str = ",".join([format_progression(*p) for p in progs])
        return self._str

    def __repr__(self) -> str:
        return "FrameSpec({!r})".format(str(self))

    def __reduce__(self) -> Tuple[object, ...]:
        return (FrameSpec.from_progressions, (tuple(tuple(p) for p in self._progs),))

    # -- positions -------------------------------------------------------------------------

    def _start_list(self) -> List[int]:
        if self._starts is None:
            self._starts = [p[0] for p in self._progs]
        return self._starts

    def _offset_list(self) -> List[int]:
        """Position of each progression's first frame, plus the total at the end."""
        if self._offsets is None:
            offsets = [0]
            total = 0
            for start, end, step in self._progs:
                total += (end - start) // step + 1
                offsets.append(total)
            self._offsets = offsets
            self._len = total
        return self._offsets

    def frame_at(self, position: int) -> int:
        """The frame at a 0-based position in ascending order (negative counts from the end)."""
        size = len(self)
        if position < 0:
            position += size
        if not 0 <= position < size:
            raise IndexError("frame position {} out of range for {} frames".format(position, size))
        offsets = self._offset_list()
        at = bisect_right(offsets, position) - 1
        start, _end, step = self._progs[at]
        return start + (position - offsets[at]) * step

    def index(self, frame: int) -> int:
        """The 0-based position of a frame; ValueError when it is not in the set."""
        if frame not in self:
            raise ValueError("frame {} is not in {}".format(frame, self))
        at = bisect_right(self._start_list(), frame) - 1
        start, _end, step = self._progs[at]
        return self._offset_list()[at] + (frame - start) // step

    @overload
    def __getitem__(self, key: int) -> int: ...

    @overload
    def __getitem__(self, key: slice) -> "FrameSpec": ...

    def __getitem__(self, key: Union[int, slice]) -> Union[int, "FrameSpec"]:
        if isinstance(key, slice):
            low, high, every = key.indices(len(self))
            if every < 1:
                raise ValueError("a FrameSpec is ascending: slice steps must be positive")
            return self.select(low, high, every)
        return self.frame_at(as_index(key))

    def select(self, low: int, high: int, every: int = 1) -> "FrameSpec":
        """Frames at positions ``low, low + every, ...`` below ``high`` (0 <= low, every >= 1)."""
        return FrameSpec._make(canonical(self.select_pieces(low, high, every)))

    def select_pieces(self, low: int, high: int, every: int = 1) -> List[Triple]:
        """``select()`` before canonicalisation: ascending pieces, one per progression."""
        high = min(high, len(self))
        if low >= high:
            return []
        offsets = self._offset_list()
        progs = self._progs
        at = bisect_right(offsets, low) - 1
        pieces: List[Triple] = []
        while at < len(progs) and offsets[at] < high:
            start, _end, step = progs[at]
            base = offsets[at]
            count = offsets[at + 1] - base
            first = low - base if low >= base else (low - base) % every
            last = min(count, high - base) - 1
            if first <= last:
                last -= (last - first) % every
                pieces.append(
                    (
                        start + first * step,
                        start + last * step,
                        step * every if first != last else 1,
                    )
                )
            at += 1
        return pieces

    # -- set operations --------------------------------------------------------------------

    def union(self, *others: Union["FrameSpec", str, Iterable[int]]) -> "FrameSpec":
        specs = [self] + [_as_spec(other) for other in others]
        pieces = [(p[0], p[1], p[2], i) for i, spec in enumerate(specs) for p in spec._progs]
        try:
            return FrameSpec._make(setops.union(pieces))
        except setops.TooLargeError as error:
            raise _too_large(" | ".join(str(spec) for spec in specs), error) from None

    def intersection(self, *others: Union["FrameSpec", str, Iterable[int]]) -> "FrameSpec":
        result = self
        for other in others:
            result = FrameSpec._make(setops.intersection(result._progs, _as_spec(other)._progs))
        return result

    def difference(self, *others: Union["FrameSpec", str, Iterable[int]]) -> "FrameSpec":
        result = self
        for other in others:
            other_spec = _as_spec(other)
            try:
                progs = setops.difference(result._progs, other_spec._progs)
            except setops.TooLargeError as error:
                raise _too_large("{} - {}".format(result, other_spec), error) from None
            result = FrameSpec._make(progs)
        return result

    def symmetric_difference(self, other: Union["FrameSpec", str, Iterable[int]]) -> "FrameSpec":
        other_spec = _as_spec(other)
        return self.difference(other_spec).union(other_spec.difference(self))

    def isdisjoint(self, other: Union["FrameSpec", str, Iterable[int]]) -> bool:
        return not self.intersection(other)

    def issubset(self, other: Union["FrameSpec", str, Iterable[int]]) -> bool:
        return self.intersection(other) == self

    def issuperset(self, other: Union["FrameSpec", str, Iterable[int]]) -> bool:
        return _as_spec(other).issubset(self)

    def __or__(self, other: object) -> "FrameSpec":
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self.union(other)

    def __and__(self, other: object) -> "FrameSpec":
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self.intersection(other)

    def __sub__(self, other: object) -> "FrameSpec":
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self.difference(other)

    def __xor__(self, other: object) -> "FrameSpec":
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self.symmetric_difference(other)

    def __le__(self, other: object) -> bool:
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return self.issubset(other)

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, FrameSpec):
            return NotImplemented
        return other.issubset(self)


def _as_spec(value: Union[FrameSpec, str, Iterable[int]]) -> FrameSpec:
    if isinstance(value, FrameSpec):
        return value
    if isinstance(value, str):
        return FrameSpec.parse(value)
    return FrameSpec.from_frames(value)


def _checked_piece(item: ProgressionLike, position: int) -> Triple:
    """One ``(start, end, step)`` normalised to an ascending piece whose end is a member."""
    try:
        start, end, step = item
    except (TypeError, ValueError):
        raise InputError(
            "progression {} must be (start, end, step), got {!r}".format(position, item),
            "frames",
        ) from None
    for name, value in (("start", start), ("end", end), ("step", step)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InputError(
                "progression {} {!r}: {} must be a whole number, got {!r}".format(
                    position, tuple(item), name, value
                ),
                "frames",
            )
    if step < 1:
        raise InputError(
            "progression {} {!r}: step must be at least 1, got {}".format(
                position, tuple(item), step
            ),
            "frames",
        )
    if start <= end:
        last = start + (end - start) // step * step
        return (start, last, step if last != start else 1)
    low = start - (start - end) // step * step
    return (low, start, step if low != start else 1)


def _too_large(what: str, error: setops.TooLargeError) -> InputError:
    return InputError(
        "{} cannot be kept as progressions (the steps interleave): it {}".format(what, error),
        "frames",
    )
