"""A source marked whole-range (a simulation) is one task over every frame of the job, placed
first, and every task waiting for it waits for that one task
(``farmhand.core.host.source_dependencies``)."""

import pytest

from farmhand.core.frames import FrameSpec
from farmhand.core.host.source_dependencies import (
    DependentSource,
    dependent_tasks,
    whole_range_sources,
)


def source(name, inputs=(), frames="1-6", whole=False):
    return DependentSource(name, list(inputs), FrameSpec.parse(frames), whole)


def chunks(name, *frames):
    return [{"command": "render {} {}".format(name, f), "frames": f} for f in frames]


def shape(tasks):
    return [(t["command"], t["frames"], t.get("depends_on")) for t in tasks]


def test_a_simulation_is_one_task_every_render_chunk_waits_for():
    sources = [source("sim", whole=True), source("beauty", ["sim"])]
    tasks = dependent_tasks(sources, [chunks("sim", "1-6"), chunks("beauty", "1-2", "3-4", "5-6")])
    assert shape(tasks) == [
        ("render sim 1-6", "1-6", None),
        ("render beauty 1-2", "1-2", [0]),
        ("render beauty 3-4", "3-4", [0]),
        ("render beauty 5-6", "5-6", [0]),
    ]


def test_a_chunked_input_of_a_simulation_is_whole_range_too():
    # collider (chunked by itself) -> sim -> beauty; other renders beside them, chunked
    sources = [
        source("collider"),
        source("sim", ["collider"], whole=True),
        source("beauty", ["sim"]),
        source("other"),
    ]
    assert whole_range_sources(sources) == ["collider", "sim"]
    tasks = dependent_tasks(
        sources,
        [
            chunks("collider", "1-6"),
            chunks("sim", "1-6"),
            chunks("beauty", "1-3", "4-6"),
            chunks("other", "1-3", "4-6"),
        ],
    )
    assert shape(tasks) == [
        ("render collider 1-6", "1-6", None),
        ("render sim 1-6", "1-6", [0]),
        ("render beauty 1-3", "1-3", [1]),
        ("render other 1-3", "1-3", None),
        ("render beauty 4-6", "4-6", [1]),
        ("render other 4-6", "4-6", None),
    ]


def test_a_render_waits_for_a_simulation_and_a_chunked_input_of_its_chunk():
    sources = [source("sim", whole=True), source("light"), source("beauty", ["sim", "light"])]
    tasks = dependent_tasks(
        sources,
        [chunks("sim", "1-6"), chunks("light", "1-3", "4-6"), chunks("beauty", "1-3", "4-6")],
    )
    assert [t.get("depends_on") for t in tasks] == [None, None, [0, 1], None, [0, 3]]


def test_a_simulation_outside_the_jobs_frames_has_no_task_and_nothing_waits_for_it():
    sources = [source("sim", frames="100-110", whole=True), source("beauty", ["sim"])]
    tasks = dependent_tasks(sources, [chunks("sim", "1-4"), chunks("beauty", "1-2", "3-4")])
    assert shape(tasks) == [
        ("render beauty 1-2", "1-2", None),
        ("render beauty 3-4", "3-4", None),
    ]


def test_only_simulations_make_one_task_each():
    sources = [source("a", whole=True), source("b", whole=True)]
    tasks = dependent_tasks(sources, [chunks("a", "1-6"), chunks("b", "1-6")])
    assert shape(tasks) == [("render a 1-6", "1-6", None), ("render b 1-6", "1-6", None)]


def test_a_simulation_given_several_tasks_is_refused_by_name():
    sources = [source("sim", whole=True), source("beauty", ["sim"])]
    with pytest.raises(ValueError) as caught:
        dependent_tasks(sources, [chunks("sim", "1-3", "4-6"), chunks("beauty", "1-3", "4-6")])
    assert str(caught.value) == "the whole-range source sim needs one task, got 2"


def test_chunked_sources_still_need_the_same_chunks():
    sources = [source("sim", whole=True), source("a"), source("b")]
    with pytest.raises(ValueError) as caught:
        dependent_tasks(
            sources, [chunks("sim", "1-6"), chunks("a", "1-6"), chunks("b", "1-3", "4-6")]
        )
    assert str(caught.value) == "every source needs the same chunks, got [1, 2]"
