"""Chunking strategies, best chunk size, and their errors."""

import pytest

from farmhand.core.errors import FrameSpecError, InputError
from farmhand.core.frames import (
    CHUNK_STRATEGIES,
    Chunk,
    FrameSpec,
    best_chunk_size,
    chunk_frames,
    count_chunks,
)


def specs_of(chunks):
    return [str(chunk) for chunk in chunks]


def test_strategies():
    assert CHUNK_STRATEGIES == ("linear", "progressions", "cycle")


def test_linear_is_the_default():
    chunks = chunk_frames("1-10", 2)
    assert chunks.strategy == "linear" and chunks.chunk_size == 2
    assert specs_of(chunks) == ["1-2", "3-4", "5-6", "7-8", "9-10"]
    assert len(chunks) == 5


def test_linear_last_chunk_is_short_and_chunks_can_be_irregular():
    chunks = chunk_frames("1-5,10,20-21", 3)
    assert specs_of(chunks) == ["1-3", "4-5,10", "20-21"]
    irregular = chunks[1]
    assert not irregular.is_regular and irregular.chunk_type == "irregular"
    assert (irregular.start, irregular.end, irregular.step, irregular.length) == (4, 10, 1, 3)
    regular = chunks[2]
    assert regular.is_regular and regular.chunk_type == "regular"
    assert (regular.start, regular.end, regular.step, regular.length) == (20, 21, 1, 2)


def test_linear_chunk_of_two_frames_is_a_progression():
    chunks = chunk_frames("1,7,10-20", 2)
    assert specs_of(chunks)[:2] == ["1-7x6", "10-11"]
    assert chunks[0].is_regular and chunks[0].step == 6


def test_progressions_continue_across_progressions_while_the_step_does():
    assert specs_of(chunk_frames("1-10x3,11-12", 3, "progressions")) == ["1-7x3", "10-12"]
    assert specs_of(chunk_frames("1-10x3,11-12", 5, "progressions")) == ["1-10x3", "11-12"]
    assert specs_of(chunk_frames("1-9x2,11-15x2", 4, "progressions")) == [
        "1-7x2",
        "9-15x2",
    ]


def test_progressions_stepped_frames():
    chunks = chunk_frames("1-100x5,200-210", 4, "progressions")
    assert specs_of(chunks) == [
        "1-16x5",
        "21-36x5",
        "41-56x5",
        "61-76x5",
        "81-96x5",
        "200-203",
        "204-207",
        "208-210",
    ]
    assert all(chunk.is_regular for chunk in chunks)
    assert (chunks[0].start, chunks[0].end, chunks[0].step) == (1, 16, 5)


def test_progressions_of_isolated_frames():
    chunks = chunk_frames("1,3,10,11,50", 10, "progressions")
    assert specs_of(chunks) == ["1-3x2", "10-11", "50"]


def test_cycle_round_robin():
    chunks = chunk_frames("1-100", 25, "cycle")
    assert specs_of(chunks) == ["1-97x4", "2-98x4", "3-99x4", "4-100x4"]
    assert [chunk.step for chunk in chunks] == [4, 4, 4, 4]
    chunks = chunk_frames("1-10", 3, "cycle")
    assert specs_of(chunks) == ["1-9x4", "2-10x4", "3-7x4", "4-8x4"]


def test_cycle_over_several_progressions():
    chunks = chunk_frames("1-5,20-22,40", 3, "cycle")
    assert specs_of(chunks) == ["1,4,21", "2,5,22", "3,20,40"]
    assert chunks[0].chunk_type == "irregular"


def test_negative_frames():
    assert specs_of(chunk_frames("-10--2", 4)) == ["-10--7", "-6--3", "-2"]
    assert specs_of(chunk_frames("-3-2", 2, "cycle")) == ["-3-0x3", "-2-1x3", "-1-2x3"]
    assert specs_of(chunk_frames("-10-10x5", 2, "progressions")) == ["-10--5x5", "0-5x5", "10"]


def test_chunks_are_a_lazy_sequence():
    chunks = chunk_frames("1-1000000000", 1)
    assert len(chunks) == 1000000000
    assert str(chunks[999999999]) == "1000000000"
    assert str(chunks[-2]) == "999999999"
    assert [str(chunk) for chunk in chunks[3:6]] == ["4", "5", "6"]
    with pytest.raises(IndexError, match="chunk 1000000000 out of range for 1000000000 chunks"):
        chunks[1000000000]
    cycle = chunk_frames("1-1000000000", 1000000, "cycle")
    assert len(cycle) == 1000
    assert str(cycle[5]) == "6-999999006x1000"
    assert "ChunkList 1000 chunks of 1-1000000000 (cycle, chunk size 1000000)" in repr(cycle)


def test_chunk_value():
    chunk = chunk_frames("1-10", 2)[1]
    assert chunk == Chunk(1, 3, 4, 1, 2)
    assert hash(chunk) == hash(Chunk(1, 3, 4, 1, 2))
    assert list(chunk) == [3, 4] and len(chunk) == 2 and 4 in chunk and 5 not in chunk
    assert chunk.frames == FrameSpec("3-4")
    assert chunk.tile is None
    tiled = chunk.with_tile(2)
    assert tiled.tile == 2 and tiled != chunk and str(tiled) == "3-4"
    assert repr(tiled) == "Chunk(index=1, frames='3-4', tile=2)"
    assert repr(chunk) == "Chunk(index=1, frames='3-4')"


def test_count_chunks():
    spec = FrameSpec("1-10x3,11-12")
    assert count_chunks(spec, 3) == 2
    assert count_chunks(spec, 3, "progressions") == 2
    assert count_chunks(spec, 1, "cycle") == 6
    assert count_chunks(FrameSpec("1-1000000000"), 7, "progressions") == 142857143


def test_best_chunk_size():
    assert best_chunk_size(100, 33) == 25
    assert best_chunk_size(10, 3) == 3
    assert best_chunk_size(10, 4) == 4  # 3 chunks either way; 4,4,2 is as even as 4
    assert best_chunk_size(10, 100) == 10
    assert best_chunk_size(1000000000, 300000000) == 250000000


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: best_chunk_size(0, 3), "frame_count: must be a whole number of at least 1, got 0"),
        (lambda: best_chunk_size(10, 0), "chunk_size: must be a whole number of at least 1, got 0"),
        (
            lambda: chunk_frames("1-10", 0),
            "chunk_size: must be a whole number of at least 1, got 0",
        ),
        (
            lambda: chunk_frames("1-10", 2.5),
            "chunk_size: must be a whole number of at least 1, got 2.5",
        ),
        (
            lambda: chunk_frames("1-10", True),
            "chunk_size: must be a whole number of at least 1, got True",
        ),
        (
            lambda: chunk_frames("1-10", 2, "random"),
            "chunk_strategy: unknown chunk strategy 'random'; valid strategies: linear, "
            "progressions, cycle",
        ),
    ],
)
def test_chunking_errors(call, message):
    with pytest.raises(InputError) as caught:
        call()
    assert str(caught.value) == message


def test_chunking_a_bad_spec():
    with pytest.raises(FrameSpecError) as caught:
        chunk_frames("1-10,a", 2)
    assert caught.value.fragment == "a" and caught.value.position == 2
