"""plan_frames: the seeds' examples, the task cap, tiles, scouts in chunks, frames info."""

import tracemalloc

import pytest

from farmhand.core.errors import FrameSpecError, InputError
from farmhand.core.frames import FramePlan, FramesInfo, FrameSpec, plan_frames


def test_seed_tutorial_1_to_10_at_2_with_scouts_3_and_8():
    plan = plan_frames("1-10", chunk_size=2, scout_frames="3,8")
    assert isinstance(plan, FramePlan)
    assert [str(chunk) for chunk in plan.chunks] == ["1-2", "3-4", "5-6", "7-8", "9-10"]
    assert str(plan.scout_frames) == "3-8x5"  # the seeds' <scout> value
    assert list(plan.scout_chunk_indices) == [1, 3]
    assert [plan.is_scout(chunk) for chunk in plan.chunks] == [False, True, False, True, False]
    assert plan.is_scout(3) and not plan.is_scout(0)
    assert plan.info == FramesInfo(
        frame_count=10,
        chunk_count=5,
        task_count=5,
        scout_frame_count=2,
        scout_task_count=2,
        chunk_size=2,
        requested_chunk_size=2,
        tiles=1,
    )
    assert str(plan.info) == "10 frames, 5 tasks (chunk size 2), 2 scout frames in 2 tasks"
    assert not plan.chunk_size_raised


def test_seed_best_chunk_size_100_frames_at_33():
    plan = plan_frames("1-100", chunk_size=33)
    assert [chunk.length for chunk in plan.chunks] == [33, 33, 33, 1]
    best = plan_frames("1-100", chunk_size=33, best_chunk_size=True)
    assert best.chunk_size == 25 and best.requested_chunk_size == 33
    assert [chunk.length for chunk in best.chunks] == [25, 25, 25, 25]
    assert str(best.info) == "100 frames, 4 tasks (chunk size 25, requested 33), no scout frames"


def test_best_chunk_size_with_progressions():
    plan = plan_frames("1-10x3,11-20", 7, "progressions")
    assert [str(chunk) for chunk in plan.chunks] == ["1-10x3", "11-17", "18-20"]
    best = plan_frames("1-10x3,11-20", 7, "progressions", best_chunk_size=True)
    assert [str(chunk) for chunk in best.chunks] == ["1-10x3", "11-15", "16-20"]
    assert best.chunk_size == 5


def test_negative_frames():
    plan = plan_frames("-10--2", chunk_size=3, scout_frames="fml")
    assert [str(chunk) for chunk in plan.chunks] == ["-10--8", "-7--5", "-4--2"]
    assert list(plan.scout_frames) == [-10, -6, -2]
    assert str(plan.info) == "9 frames, 3 tasks (chunk size 3), 3 scout frames in 3 tasks"


def test_stepped_frames_with_progressions():
    plan = plan_frames("1-20x2,30-40", chunk_size=4, strategy="progressions")
    assert [(c.start, c.end, c.step) for c in plan.chunks] == [
        (1, 7, 2),
        (9, 15, 2),
        (17, 19, 2),
        (30, 33, 1),
        (34, 37, 1),
        (38, 40, 1),
    ]


def test_task_cap_raises_the_chunk_size():
    plan = plan_frames("1-10000", chunk_size=1, max_tasks=1000)
    assert plan.chunk_size == 10 and len(plan.chunks) == 1000 and plan.chunk_size_raised
    assert str(plan.info) == (
        "10,000 frames, 1,000 tasks (chunk size 10, requested 1), no scout frames"
    )


@pytest.mark.timeout(10)
def test_a_billion_frames_resolve_at_once_in_little_memory():
    tracemalloc.start()
    try:
        plan = plan_frames("1-1000000000", chunk_size=1, scout_frames="auto:5")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 1000000
    assert plan.chunk_size == 1000000 and len(plan.chunks) == 1000
    assert str(plan.chunks[999]) == "999000001-1000000000"
    assert list(plan.scout_chunk_indices) == [0, 250, 500, 749, 999]
    for strategy in ("progressions", "cycle"):
        other = plan_frames("1-1000000000", chunk_size=1, strategy=strategy)
        assert other.chunk_size == 1000000 and len(other.chunks) == 1000


def test_progressions_cap_finds_the_smallest_size_that_fits():
    plan = plan_frames("1-100x2,200-300", chunk_size=1, strategy="progressions", max_tasks=10)
    assert len(plan.chunks) <= 10
    assert plan.chunk_size == 17  # 16 would need 4 + 7 chunks
    assert [str(chunk) for chunk in plan.chunks] == [
        "1-33x2",
        "35-67x2",
        "69-99x2",
        "200-216",
        "217-233",
        "234-250",
        "251-267",
        "268-284",
        "285-300",
    ]


def test_progressions_that_cannot_fit_name_max_tasks():
    isolated = FrameSpec.from_frames(n * n for n in range(1, 3000))  # no three in step
    with pytest.raises(InputError) as caught:
        plan_frames(isolated, strategy="progressions")
    assert caught.value.field == "max_tasks"
    assert str(caught.value) == (
        "max_tasks: the progressions strategy needs at least 1,500 tasks for these frames "
        "(each chunk must be one arithmetic progression), more than max_tasks 1,000; raise "
        "max_tasks or use the linear or cycle strategy"
    )
    assert len(plan_frames(isolated, strategy="linear").chunks) == 1000


def test_tiles():
    plan = plan_frames("1-4", chunk_size=2, tiles=3, scout_frames="1")
    assert len(plan.chunks) == 2
    tasks = plan.tasks()
    assert len(tasks) == 6
    assert [(str(task), task.index, task.tile) for task in tasks] == [
        ("1-2", 0, 1),
        ("1-2", 0, 2),
        ("1-2", 0, 3),
        ("3-4", 1, 1),
        ("3-4", 1, 2),
        ("3-4", 1, 3),
    ]
    assert tasks[4].tile == 2 and tasks[-1].tile == 3 and tasks[-1].index == 1
    assert [task.tile for task in tasks[1:3]] == [2, 3]
    assert [plan.is_scout(task) for task in tasks] == [True] * 3 + [False] * 3
    assert all(chunk.tile is None for chunk in plan.chunks)
    assert str(plan.info) == (
        "4 frames, 6 tasks (2 chunks x 3 tiles, chunk size 2), 1 scout frame in 3 tasks"
    )
    with pytest.raises(IndexError, match="task 6 out of range for 6 tasks"):
        tasks[6]


def test_without_tiles_tasks_are_the_chunks():
    plan = plan_frames("1-4", chunk_size=2)
    assert [task.tile for task in plan.tasks()] == [None, None]
    assert list(plan.tasks()) == list(plan.chunks)
    assert plan.tasks()[1] == plan.chunks[1]


def test_tiles_count_against_max_tasks():
    plan = plan_frames("1-100", chunk_size=1, tiles=4, max_tasks=100)
    assert len(plan.chunks) == 25 and len(plan.tasks()) == 100 and plan.chunk_size == 4


def test_scouts_outside_the_frames_are_dropped():
    plan = plan_frames("1-10", chunk_size=5, scout_frames="5,50-60")
    assert str(plan.scout_frames) == "5"
    assert str(plan.dropped_scout_frames) == "50-60"
    assert str(plan.info) == "10 frames, 2 tasks (chunk size 5), 1 scout frame in 1 task"


def test_scouts_by_strategy():
    linear = plan_frames("1-100", 25, scout_frames="1-100x30")
    assert list(linear.scout_chunk_indices) == [0, 1, 2, 3]
    cycle = plan_frames("1-100", 25, "cycle", scout_frames="1,5,9")
    assert list(cycle.scout_chunk_indices) == [0]
    assert cycle.info.scout_task_count == 1


def test_many_scouts_over_many_chunks_are_arithmetic():
    plan = plan_frames("1-1000000", 10, max_tasks=1000000, scout_frames="1-1000000x20")
    assert str(plan.scout_chunk_indices) == "0-99998x2"
    assert plan.info.scout_task_count == 50000


def test_frame_spec_argument_and_bad_frames():
    spec = FrameSpec("1-3")
    assert plan_frames(spec).frames is spec
    with pytest.raises(FrameSpecError) as caught:
        plan_frames("1-3,,5")
    assert caught.value.field == "frames" and caught.value.position == 2
    with pytest.raises(FrameSpecError) as caught:
        plan_frames("1-3", scout_frames="1-")
    assert caught.value.field == "scout_frames"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            {"frames": FrameSpec()},
            "frames: the frame set is empty; give at least one frame, e.g. 1-10",
        ),
        (
            {"frames": "1-10", "chunk_size": 0},
            "chunk_size: must be a whole number of at least 1, got 0",
        ),
        (
            {"frames": "1-10", "chunk_size": "2"},
            "chunk_size: must be a whole number of at least 1, got '2'",
        ),
        (
            {"frames": "1-10", "strategy": "fast"},
            "chunk_strategy: unknown chunk strategy 'fast'; valid strategies: linear, "
            "progressions, cycle",
        ),
        (
            {"frames": "1-10", "max_tasks": 0},
            "max_tasks: must be a whole number of at least 1, got 0",
        ),
        (
            {"frames": "1-1000000000", "max_tasks": 100000000},
            "max_tasks: must be at most 1,000,000 (a job of more tasks is too big to build and "
            "submit), got 100000000",
        ),
        ({"frames": "1-10", "tiles": 0}, "tiles: must be a whole number of at least 1, got 0"),
        (
            {"frames": "1-10", "tiles": 5, "max_tasks": 4},
            "max_tasks: 5 tiles make 5 tasks per chunk, more than max_tasks 4; raise max_tasks "
            "or use fewer tiles",
        ),
    ],
)
def test_plan_errors(kwargs, message):
    with pytest.raises(InputError) as caught:
        plan_frames(**kwargs)
    assert str(caught.value) == message


def test_repr():
    plan = plan_frames("1-10", 2)
    assert repr(plan) == "<FramePlan 1-10: 10 frames, 5 tasks (chunk size 2), no scout frames>"
    assert str(plan_frames("1", 1).info) == "1 frame, 1 task (chunk size 1), no scout frames"
