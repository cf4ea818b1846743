"""``core.host.source_dependencies`` on plain data: the order a render graph renders in, and a
task per source and chunk waiting for its inputs' tasks of the chunk (the Houdini adapter's
ROP inputs, tested end to end in tests/plugins/houdini)."""

import pytest

from farmhand.core.frames import FrameSpec
from farmhand.core.host import HostError
from farmhand.core.host.source_dependencies import (
    DependentSource,
    dependency_order,
    dependent_tasks,
)

GRAPH = {"beauty": ["light"], "light": ["cache"], "shadow": ["cache"], "cache": []}


def test_inputs_come_first_and_a_shared_input_once():
    order = dependency_order(["beauty", "shadow"], lambda n: GRAPH[n], lambda n: n)
    assert order == [
        ("cache", []),
        ("light", ["cache"]),
        ("beauty", ["light"]),
        ("shadow", ["cache"]),
    ]


def test_a_loop_is_named_with_its_nodes():
    inputs = {"/out/a": ["/out/b"], "/out/b": ["/out/c"], "/out/c": ["/out/a"]}
    with pytest.raises(HostError) as caught:
        dependency_order(["/out/a"], lambda p: inputs[p], lambda p: p, "input ROPs")
    assert str(caught.value) == (
        "input ROPs: /out/a -> /out/b -> /out/c -> /out/a are wired in a loop; no order "
        "renders them"
    )


def tasks_for(name, chunks):
    return [{"command": "render {} {}".format(name, chunk), "frames": chunk} for chunk in chunks]


def test_each_chunk_has_a_task_per_source_waiting_for_its_inputs():
    chunks = ["1-2", "3-4"]
    sources = [
        DependentSource("cache", [], FrameSpec.parse("1-4")),
        DependentSource("beauty", ["cache"], FrameSpec.parse("2-4")),
        DependentSource("fx", [], FrameSpec.parse("4")),
    ]
    tasks = dependent_tasks(sources, [tasks_for(s.name, chunks) for s in sources])
    assert tasks == [
        {"command": "render cache 1-2", "frames": "1-2"},
        {"command": "render beauty 1-2", "frames": "1-2", "depends_on": [0]},
        {"command": "render cache 3-4", "frames": "3-4"},
        {"command": "render beauty 3-4", "frames": "3-4", "depends_on": [2]},
        {"command": "render fx 3-4", "frames": "3-4"},
    ]


def test_an_input_with_no_frame_in_a_chunk_is_not_waited_for():
    sources = [
        DependentSource("cache", [], FrameSpec.parse("3")),
        DependentSource("beauty", ["cache"], FrameSpec.parse("1-4")),
    ]
    tasks = dependent_tasks(sources, [tasks_for(s.name, ["1-2", "3-4"]) for s in sources])
    assert [t.get("depends_on") for t in tasks] == [None, None, [1]]
    assert [t["frames"] for t in tasks] == ["1-2", "3-4", "3-4"]


def test_sources_given_different_chunks_are_a_bug_not_a_job():
    sources = [
        DependentSource("a", [], FrameSpec.parse("1")),
        DependentSource("b", ["a"], FrameSpec.parse("1")),
    ]
    with pytest.raises(ValueError) as caught:
        dependent_tasks(sources, [[{"command": "x", "frames": "1"}], []])
    assert str(caught.value) == "every source needs the same chunks, got [0, 1]"
