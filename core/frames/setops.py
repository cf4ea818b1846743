"""Union, intersection and difference of progression lists, arithmetically.

Progressions with one step (or steps that divide each other) combine without listing frames:
``1-1000000000x2 | 2-1000000000x2`` is ``1-1000000000``. Only when overlapping progressions
interleave into a pattern that no single progression describes (``1-100x3 | 2-100x3``) must
the result be listed as many short runs; that listing is capped by ``EXPANSION_LIMIT`` frames
(fileseq's ``FrameSet`` has a size limit for the same reason) and going over raises
``TooLargeError``, which callers turn into an error naming the input.
"""

from itertools import chain
from math import gcd
from typing import Dict, Iterator, List, Optional, Sequence, Set, Tuple

from farmhand.core.frames.canonical import canonical, runs_of_sorted_frames
from farmhand.core.frames.progression import (
    Progression,
    Triple,
    clip,
    intersect,
    lcm,
    mod_inverse,
)

# The most frames one operation may list one by one when progressions cannot be combined.
# Listing costs about 2 us and 200 bytes a frame: 100,000 frames stay within a fraction of a
# second (10,000,000 took 27 s and 2 GB for the 12 characters ``1-14999990y3``: fuzzing).
EXPANSION_LIMIT = 100000
# Largest period (lcm of the steps) examined to find a common step for interleaved classes.
_PERIOD_LIMIT = 1 << 16

# A piece tagged with where it came from (the fragment position when parsing).
Tagged = Tuple[int, int, int, int]


class TooLargeError(Exception):
    """An operation would list more than ``EXPANSION_LIMIT`` frames one by one.

    ``tags`` are the tags of the pieces involved (fragment positions when parsing).
    """

    def __init__(self, frames: int, tags: Sequence[int]) -> None:
        self.frames = frames
        self.tags = tuple(sorted(set(tags)))
        super().__init__(
            "would list {:,} frames one by one, over the limit of {:,}".format(
                frames, EXPANSION_LIMIT
            )
        )


class Budget:
    """Counts frames listed one by one during one operation."""

    __slots__ = ("used",)

    def __init__(self) -> None:
        self.used = 0

    def charge(self, frames: int, tags: Sequence[int]) -> None:
        if self.used + frames > EXPANSION_LIMIT:
            raise TooLargeError(self.used + frames, tags)
        self.used += frames


def union(pieces: Sequence[Tagged], budget: Optional[Budget] = None) -> Tuple[Progression, ...]:
    """Canonical progressions of the union of any pieces (overlapping or not, any order)."""
    if not pieces:
        return ()
    ordered = sorted(pieces)
    if all(ordered[i][1] < ordered[i + 1][0] for i in range(len(ordered) - 1)):
        return canonical([(p[0], p[1], p[2]) for p in ordered])
    budget = budget or Budget()
    out: List[Triple] = []
    cluster = [ordered[0]]
    reach = ordered[0][1]
    for piece in ordered[1:]:
        if piece[0] > reach:
            out.extend(_union_cluster(cluster, budget))
            cluster = [piece]
            reach = piece[1]
        else:
            cluster.append(piece)
            reach = max(reach, piece[1])
    out.extend(_union_cluster(cluster, budget))
    return canonical(out)


def _union_cluster(cluster: List[Tagged], budget: Budget) -> List[Triple]:
    """Pieces whose extents chain together: sweep the segments between their bounds."""
    if len(cluster) == 1:
        start, end, step, _tag = cluster[0]
        return [(start, end, step)]
    bounds = sorted(set(chain((p[0] for p in cluster), (p[1] + 1 for p in cluster))))
    out: List[Triple] = []
    active: List[Tagged] = []
    next_piece = 0  # the cluster is sorted by start
    for low, stop in zip(bounds, bounds[1:]):
        active = [p for p in active if p[1] >= low]
        while next_piece < len(cluster) and cluster[next_piece][0] <= low:
            active.append(cluster[next_piece])
            next_piece += 1
        if active:
            out.extend(_union_segment(active, low, stop - 1, budget))
    return out


def _union_segment(active: List[Tagged], low: int, high: int, budget: Budget) -> List[Triple]:
    """The union over ``[low, high]`` of progressions that each span the whole segment."""
    classes: Dict[Tuple[int, int], Tagged] = {}
    for piece in active:
        start, _end, step, _tag = piece
        if step == 1:  # spans the segment, so covers all of it
            return [(low, high, 1)]
        classes.setdefault((step, start % step), piece)
    kept = _drop_contained(list(classes))
    # (members within the segment, the class step, the tag); a one-member part has step 1
    clipped: List[Tuple[Triple, int, int]] = []
    for step, residue in kept:
        part = clip(low + (residue - low) % step, high, step, low, high)
        if part is not None:
            clipped.append((part, step, classes[(step, residue)][3]))
    if not clipped:
        return []
    if len(clipped) == 1:
        return [clipped[0][0]]
    period = 1
    for _part, step, _tag in clipped:
        period = lcm(period, step)
        if period > _PERIOD_LIMIT:
            break
    if period <= _PERIOD_LIMIT:
        common = _common_step([(part[0], step) for part, step, _tag in clipped], low, period)
        if common is not None:
            first = low + (common[1] - low) % common[0]
            part = clip(first, high, common[0], low, high)
            return [part] if part is not None else []
    total = sum((part[1] - part[0]) // part[2] + 1 for part, _step, _tag in clipped)
    budget.charge(total, [tag for _part, _step, tag in clipped])
    frames = sorted(set(chain.from_iterable(range(p[0], p[1] + 1, p[2]) for p, _s, _t in clipped)))
    return runs_of_sorted_frames(frames)


def _drop_contained(classes: List[Tuple[int, int]]) -> List[Tuple[int, int]]:
    """Residue classes (step, residue) minus those inside another class of the list."""
    kept = []
    for step, residue in classes:
        inside = any(
            other_step != step and step % other_step == 0 and residue % other_step == other_res
            for other_step, other_res in classes
        )
        if not inside:
            kept.append((step, residue))
    return kept


def _common_step(
    classes: List[Tuple[int, int]], low: int, period: int
) -> Optional[Tuple[int, int]]:
    """(step, residue) when classes given as (a member, step) form one class, else None."""
    offsets: Set[int] = set()
    for member, step in classes:
        offsets.update(range((member - low) % step, period, step))
    ordered = sorted(offsets)
    gap = period // len(ordered)
    if period % len(ordered) or any(b - a != gap for a, b in zip(ordered, ordered[1:])):
        return None
    return gap, (low + ordered[0]) % gap


def overlaps(
    a: Sequence[Progression], b: Sequence[Progression]
) -> Iterator[Tuple[int, Triple]]:
    """``(index in a, common progression)`` for each pair of progressions of two canonical
    (sorted) lists that share frames, walking both lists once."""
    i = j = 0
    while i < len(a) and j < len(b):
        p, q = a[i], b[j]
        if p[1] < q[0]:
            i += 1
            continue
        if q[1] < p[0]:
            j += 1
            continue
        common = intersect(p, q)
        if common is not None:
            yield i, common
        if p[1] < q[1]:
            i += 1
        else:
            j += 1


def intersection(a: Sequence[Progression], b: Sequence[Progression]) -> Tuple[Progression, ...]:
    """Canonical progressions common to two canonical lists: one CRT step per overlap."""
    return canonical([common for _, common in overlaps(a, b)])


def difference(
    a: Sequence[Progression], b: Sequence[Progression], budget: Optional[Budget] = None
) -> Tuple[Progression, ...]:
    """Canonical progressions of ``a`` minus ``b`` (both canonical)."""
    budget = budget or Budget()
    out: List[Triple] = []
    j = 0
    for start, end, step in a:
        while j < len(b) and b[j][1] < start:
            j += 1
        cursor = start
        k = j
        while k < len(b) and b[k][0] <= end:
            q_start, q_end, q_step = b[k]
            before = clip(start, end, step, cursor, q_start - 1)
            if before is not None:
                out.append(before)
            inside = clip(start, end, step, max(cursor, q_start), q_end)
            if inside is not None:
                out.extend(minus_class(inside, q_start, q_step, budget, (0,)))
            cursor = q_end + 1
            k += 1
        rest = clip(start, end, step, cursor, end)
        if rest is not None:
            out.append(rest)
    return canonical(out)


def minus_class(
    piece: Triple, anchor: int, every: int, budget: Budget, tags: Sequence[int]
) -> List[Triple]:
    """Members of ``piece`` not congruent to ``anchor`` modulo ``every``.

    Removing every m-th member leaves runs of m - 1 frames, listed one run at a time (charged
    to the budget) when m > 2; m <= 2 stays one progression.
    """
    start, end, step = piece
    count = (end - start) // step + 1
    divisor = gcd(step, every)
    if (anchor - start) % divisor:
        return [piece]
    period = every // divisor  # members between two removed ones, plus one
    if period == 1:
        return []
    # first removed member index: step * k == anchor - start (mod every)
    first_hit = (anchor - start) // divisor * mod_inverse(step // divisor, period) % period
    if period == 2:
        keep = 1 - first_hit
        if keep >= count:
            return []
        last = keep + (count - 1 - keep) // 2 * 2
        return [(start + keep * step, start + last * step, 2 * step if last != keep else 1)]
    removed = (count - 1 - first_hit) // period + 1 if first_hit < count else 0
    budget.charge(count - removed, tags)
    runs: List[Triple] = []
    run_start = 0
    hit = first_hit
    while run_start < count:
        run_end = min(hit - 1, count - 1)
        if run_end >= run_start:
            runs.append(
                (
                    start + run_start * step,
                    start + run_end * step,
                    step if run_end != run_start else 1,
                )
            )
        run_start = hit + 1
        hit += period
    return runs
