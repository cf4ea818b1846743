"""The canonical progressions of a frame set, so that equal sets have equal progressions.

The rule, defined on the ascending frames: take runs greedily from the lowest frame (a run
continues while the gap to the next frame stays the same), except that a run of only two
frames with a gap other than 1 keeps just its first frame and the second starts the next run,
as fileseq writes them: ``1,7,10-20,30-60x3,1001`` reads back as typed and ``1,3,4,5`` reads
``1,3-5``. A set of exactly two frames is one progression: ``3,8`` is ``3-8x5`` (the seeds'
``<scout>`` example) and ``1,3`` is ``1-3x2``. A single frame has step 1. So progressions are
maximal runs, except for those lone pairs; no two neighbours continue each other.

The input is any list of pieces that are already ascending with non-overlapping extents (what
every set operation produces); the rule is applied piece by piece, never frame by frame.
"""

from typing import List, Sequence, Tuple

from farmhand.core.frames.progression import Progression, Triple


def canonical(pieces: Sequence[Triple]) -> Tuple[Progression, ...]:
    """Canonical progressions of ascending, non-overlapping pieces (see the module rule)."""
    if not pieces:
        return ()
    if len(pieces) == 1:
        start, end, step = pieces[0]
        return (Progression(start, end, step if start != end else 1),)
    starts = [p[0] for p in pieces]
    steps = [p[2] for p in pieces]
    counts = [(p[1] - p[0]) // p[2] + 1 for p in pieces]
    total = len(pieces)
    out: List[Progression] = []
    piece, member = 0, 0
    while piece < total:
        first = starts[piece] + member * steps[piece]
        remaining = counts[piece] - member
        if remaining >= 2:
            step = steps[piece]
            length = remaining
            last = starts[piece] + (counts[piece] - 1) * step
            second = (piece, member + 1)
        elif piece + 1 == total:
            out.append(Progression(first, first, 1))
            break
        else:
            step = starts[piece + 1] - first
            length = 1
            last = first
            second = (piece + 1, 0)
        # extend across following pieces while the gap stays ``step``
        after_piece, after_member = piece + 1, 0
        while after_piece < total and starts[after_piece] - last == step:
            if counts[after_piece] >= 2 and steps[after_piece] == step:
                length += counts[after_piece]
                last = starts[after_piece] + (counts[after_piece] - 1) * step
                after_piece += 1
                continue
            length += 1
            last = starts[after_piece]
            if counts[after_piece] == 1:
                after_piece += 1
                continue
            after_member = 1
            break
        if length == 2 and step != 1 and (out or after_piece < total):
            out.append(Progression(first, first, 1))
            piece, member = second
            continue
        out.append(Progression(first, last, step if length > 1 else 1))
        piece, member = after_piece, after_member
    return tuple(out)


def runs_of_sorted_frames(frames: Sequence[int]) -> List[Triple]:
    """Ascending distinct frames as constant-gap runs (not yet canonical: feed to canonical())."""
    runs: List[Triple] = []
    count = len(frames)
    index = 0
    while index < count:
        start = frames[index]
        if index + 1 == count:
            runs.append((start, start, 1))
            break
        step = frames[index + 1] - start
        end_index = index + 1
        while end_index + 1 < count and frames[end_index + 1] - frames[end_index] == step:
            end_index += 1
        runs.append((start, frames[end_index], step))
        index = end_index + 1
    return runs
