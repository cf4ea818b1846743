"""Property tests: FrameSpec and chunking against plain Python sets and lists (and fileseq).

The references here work frame by frame on small sets, the way the arithmetic code must not;
agreeing with them on thousands of random cases is what makes the arithmetic trustworthy.
"""

import os

import fileseq
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from farmhand.core.errors import FrameSpecError, InputError
from farmhand.core.frames import (
    FrameSpec,
    chunk_frames,
    count_chunks,
    plan_frames,
    resolve_scout_frames,
)

# FARMHAND_HYPOTHESIS_EXAMPLES=5000 for a long soak after changing the arithmetic.
SETTINGS = settings(
    max_examples=int(os.environ.get("FARMHAND_HYPOTHESIS_EXAMPLES", "300")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

frame_values = st.integers(min_value=-40, max_value=80)
frame_lists = st.lists(frame_values, min_size=0, max_size=40)


@st.composite
def progressions(draw):
    start = draw(frame_values)
    end = draw(st.integers(min_value=start, max_value=start + 60))
    step = draw(st.integers(min_value=1, max_value=9))
    return (start, end, step)


@st.composite
def specs(draw, min_size=0):
    """A FrameSpec built from random frames and random progressions, plus its Python set."""
    frames = set(draw(frame_lists))
    parts = draw(st.lists(progressions(), max_size=4))
    for start, end, step in parts:
        frames.update(range(start, end + 1, step))
    assume(len(frames) >= min_size)
    spec = FrameSpec.from_frames(frames).union(FrameSpec.from_progressions(parts))
    return spec, frames


@st.composite
def fragments(draw):
    start = draw(frame_values)
    kind = draw(st.sampled_from(["frame", "range", "x", "y", ":", "x-"]))
    if kind == "frame":
        return str(start)
    end = draw(frame_values)
    if kind == "range":
        return "{}-{}".format(start, end)
    step = draw(st.integers(min_value=1, max_value=9))
    if kind == "x-":  # negative steps: fileseq accepts them on descending ranges
        assume(start > end)
        return "{}-{}x-{}".format(start, end, step)
    return "{}-{}{}{}".format(start, end, kind, step)


def reference_canonical(frames):
    """The canonical rule of canonical.py, frame by frame."""
    ordered = sorted(frames)
    out = []
    i = 0
    while i < len(ordered):
        if i + 1 == len(ordered):
            out.append((ordered[i], ordered[i], 1))
            break
        step = ordered[i + 1] - ordered[i]
        j = i + 1
        while j + 1 < len(ordered) and ordered[j + 1] - ordered[j] == step:
            j += 1
        if j == i + 1 and step != 1 and (out or j + 1 < len(ordered)):
            out.append((ordered[i], ordered[i], 1))
            i += 1
            continue
        out.append((ordered[i], ordered[j], step))
        i = j + 1
    return out


def reference_progression_chunks(ordered, size):
    chunks = []
    i = 0
    while i < len(ordered):
        j = i
        if size > 1 and i + 1 < len(ordered):
            step = ordered[i + 1] - ordered[i]
            j = i + 1
            while j + 1 < len(ordered) and j + 1 - i < size and ordered[j + 1] - ordered[j] == step:
                j += 1
        chunks.append(ordered[i : j + 1])
        i = j + 1
    return chunks


# -- FrameSpec ---------------------------------------------------------------------------------


@SETTINGS
@given(st.lists(fragments(), min_size=1, max_size=5))
def test_parse_agrees_with_fileseq(parts):
    text = ",".join(parts)
    expected = set()
    empty_fragment = False
    for part in parts:
        frames = set(fileseq.FrameSet(part))
        empty_fragment = empty_fragment or not frames
        expected |= frames
    if empty_fragment:  # fileseq accepts a y1 fill that selects nothing; Farmhand says so
        with pytest.raises(FrameSpecError, match="selects no frames"):
            FrameSpec.parse(text)
        return
    spec = FrameSpec.parse(text)
    assert set(spec) == expected
    assert list(spec) == sorted(expected)
    assert len(spec) == len(expected)


@SETTINGS
@given(specs())
def test_canonical_form_round_trips(case):
    spec, frames = case
    assert [tuple(p) for p in spec.progressions] == reference_canonical(frames)
    assert FrameSpec.parse(str(spec)) == spec if frames else str(spec) == ""
    assert FrameSpec.from_frames(sorted(frames, reverse=True)) == spec
    assert set(spec) == frames and len(spec) == len(frames)
    assert list(reversed(spec)) == sorted(frames, reverse=True)
    for left, right in zip(spec.progressions, spec.progressions[1:]):
        assert left.end < right.start
        assert not (left.step == right.step and left.end + left.step == right.start)


@SETTINGS
@given(specs(), specs())
def test_set_operations_agree_with_python_sets(a_case, b_case):
    a, a_frames = a_case
    b, b_frames = b_case
    assert set(a | b) == a_frames | b_frames
    assert set(a & b) == a_frames & b_frames
    assert set(a - b) == a_frames - b_frames
    assert set(a ^ b) == a_frames ^ b_frames
    assert (a | b) == FrameSpec.from_frames(a_frames | b_frames)
    assert (a & b) == FrameSpec.from_frames(a_frames & b_frames)
    assert (a - b) == FrameSpec.from_frames(a_frames - b_frames)
    assert a.issubset(b) == (a_frames <= b_frames)
    assert a.isdisjoint(b) == a_frames.isdisjoint(b_frames)
    for frame in range(-45, 150, 7):
        assert (frame in a) == (frame in a_frames)


@SETTINGS
@given(st.lists(progressions(), min_size=1, max_size=6))
def test_union_of_overlapping_progressions(parts):
    expected = set()
    for start, end, step in parts:
        expected.update(range(start, end + 1, step))
    assert FrameSpec.from_progressions(parts) == FrameSpec.from_frames(expected)


@SETTINGS
@given(
    specs(),
    st.integers(min_value=-5, max_value=60),
    st.integers(min_value=-5, max_value=60),
    st.integers(1, 7),
)
def test_positions_agree_with_list_slicing(case, low, high, every):
    spec, frames = case
    ordered = sorted(frames)
    assert list(spec[low:high:every]) == ordered[low:high:every]
    for position, frame in enumerate(ordered):
        assert spec[position] == frame
        assert spec.index(frame) == position


# -- chunking ----------------------------------------------------------------------------------


@SETTINGS
@given(specs(min_size=1), st.integers(min_value=1, max_value=12))
def test_linear_chunks_partition_the_frames_in_order(case, size):
    spec, frames = case
    ordered = sorted(frames)
    chunks = chunk_frames(spec, size, "linear")
    built = list(chunks)
    assert len(chunks) == len(built) == count_chunks(spec, size, "linear")
    assert [list(chunk.frames) for chunk in built] == [
        ordered[i : i + size] for i in range(0, len(ordered), size)
    ]
    for index, chunk in enumerate(built):
        assert chunk == chunks[index]
        _check_chunk(chunk, index)


@SETTINGS
@given(specs(min_size=1), st.integers(min_value=1, max_value=12))
def test_progressions_chunks_are_greedy_progressions(case, size):
    spec, frames = case
    ordered = sorted(frames)
    chunks = chunk_frames(spec, size, "progressions")
    built = list(chunks)
    assert [list(chunk.frames) for chunk in built] == reference_progression_chunks(ordered, size)
    assert len(chunks) == len(built) == count_chunks(spec, size, "progressions")
    for index, chunk in enumerate(built):
        assert chunk.is_regular
        assert list(range(chunk.start, chunk.end + 1, chunk.step)) == list(chunk.frames)
        assert chunk == chunks[index]
        _check_chunk(chunk, index)


@SETTINGS
@given(specs(min_size=1), st.integers(min_value=1, max_value=12))
def test_cycle_chunks_interleave(case, size):
    spec, frames = case
    ordered = sorted(frames)
    chunks = chunk_frames(spec, size, "cycle")
    built = list(chunks)
    count = -(-len(ordered) // size)
    assert len(chunks) == len(built) == count
    assert [list(chunk.frames) for chunk in built] == [ordered[i::count] for i in range(count)]
    for index, chunk in enumerate(built):
        assert chunk == chunks[index]
        assert chunk.length <= size
        _check_chunk(chunk, index)


def _check_chunk(chunk, index):
    assert chunk.index == index
    assert chunk.length == len(chunk.frames) == len(list(chunk))
    assert (chunk.start, chunk.end) == (chunk.frames.first, chunk.frames.last)
    assert str(chunk) == str(chunk.frames)
    assert chunk.is_regular == chunk.frames.is_progression
    if chunk.is_regular:
        assert list(range(chunk.start, chunk.end + 1, chunk.step)) == list(chunk.frames)
    else:
        assert chunk.step == 1 and chunk.chunk_type == "irregular"


@SETTINGS
@given(
    specs(min_size=1),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["linear", "progressions", "cycle"]),
    st.data(),
)
def test_chunk_indices_of_scouts(case, size, strategy, data):
    spec, frames = case
    scouts = set(data.draw(st.lists(st.sampled_from(sorted(frames)), max_size=8)))
    scouts |= set(sorted(frames)[data.draw(st.integers(0, 3)) :: data.draw(st.integers(1, 5))])
    chunks = chunk_frames(spec, size, strategy)
    expected = {chunk.index for chunk in chunks if set(chunk.frames) & scouts}
    assert set(chunks.chunk_indices_of(FrameSpec.from_frames(scouts))) == expected


@SETTINGS
@given(
    specs(min_size=1),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["linear", "progressions", "cycle"]),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=4),
    st.booleans(),
)
def test_the_task_cap_is_honoured(case, size, strategy, max_tasks, tiles, best):
    spec, frames = case
    try:
        plan = plan_frames(
            spec, size, strategy, max_tasks=max_tasks, best_chunk_size=best, tiles=tiles
        )
    except InputError as error:
        assert error.field == "max_tasks"
        if tiles <= max_tasks:  # only the progressions strategy can run out of sizes
            assert strategy == "progressions"
            fewest = count_chunks(spec, len(frames), "progressions")
            assert fewest * tiles > max_tasks
        return
    assert len(plan.tasks()) == len(plan.chunks) * tiles <= max_tasks
    assert plan.info.task_count == len(list(plan.tasks()))
    resolved = plan.chunk_size
    assert resolved >= size or best
    if not best and resolved > size:  # raised only as far as needed
        assert count_chunks(spec, resolved - 1, strategy) * tiles > max_tasks
    if best:
        unbest = plan_frames(spec, size, strategy, max_tasks=max_tasks, tiles=tiles)
        assert len(plan.chunks) == len(unbest.chunks)
        assert resolved <= unbest.chunk_size
        if resolved > 1:
            assert count_chunks(spec, resolved - 1, strategy) > len(plan.chunks)


@SETTINGS
@given(specs(min_size=1), st.integers(min_value=1, max_value=50))
def test_auto_scouts_spread_evenly(case, wanted):
    spec, frames = case
    ordered = sorted(frames)
    scouts = resolve_scout_frames("auto:{}".format(wanted), spec).frames
    assert len(scouts) == min(wanted, len(ordered))
    assert set(scouts) <= frames
    assert ordered[0] in scouts
    if wanted >= 2:
        assert ordered[-1] in scouts
