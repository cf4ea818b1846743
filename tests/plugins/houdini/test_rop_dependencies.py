"""Input ROPs as task dependencies: a ROP wired into a ROP the job renders gets tasks of its
own, and the job's tasks for a chunk wait for its inputs' tasks of that chunk. Each task's
command is run for real through /bin/sh (a ``hython`` running the fake ``hou``): it renders
only its own ROP, the inputs being tasks of their own."""

import pytest
import test_render_command
from test_render_command import run_task

from farmhand.core.host import HostError

pytestmark = pytest.mark.timeout(120)
hython = test_render_command.hython  # the same fixture: a hython running the fake hou


def job_with(adapter, hou, inputs, chunk_size=4):
    node = adapter.new_job("job")
    for index, path in enumerate(inputs):
        hou.node("/out/job").setInput(index, hou.node(path))
    settings = node.read_settings()
    settings.chunk_size = chunk_size
    settings.instance_type = "standard-2"
    settings.use_scout_frames = False
    node.write_settings(settings)
    return node


def test_a_rop_wired_into_a_rendered_rop_is_a_task_it_waits_for(adapter, hou, hython, tmp_path):
    # sim (a geometry cache) -> beauty (Mantra, reads the cache); fx is rendered beside them
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 10.0, 1.0)})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    hou.add_node("/out/fx", "karma", {"f": (5.0, 20.0, 5.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty", "/out/fx"])
    submission = adapter.build(node)
    assert not submission.errors, submission.errors
    payload = submission.to_payload()
    shape = [
        (task["frames"], task["command"].split()[-1], task.get("depends_on"))
        for task in payload["tasks_data"]
    ]
    assert shape == [
        ("1-4", "/out/sim", None),
        ("1-4", "/out/beauty", [0]),
        ("5-8", "/out/sim", None),
        ("5-8", "/out/beauty", [2]),
        ("5-8", "/out/fx", None),  # the chunk's frames; fx renders its own: 5
        ("9-10,15,20", "/out/sim", None),
        ("9-10,15,20", "/out/beauty", [5]),
        ("9-10,15,20", "/out/fx", None),
    ]
    # the job's sources and frames are still the ROPs wired into it
    assert submission.context.sources == ["/out/beauty", "/out/fx"]
    assert adapter.node_frame_range(node) == "1-10,15,20"
    log = tmp_path / "renders.log"
    rendered = [run_task(task["command"], hython, log) for task in payload["tasks_data"]]
    assert rendered == [
        [("/out/sim", [1, 4, 1])],
        [("/out/beauty", [1, 4, 1])],  # not the sim again: it is a task of its own
        [("/out/sim", [5, 8, 1])],
        [("/out/beauty", [5, 8, 1])],
        [("/out/fx", [5, 5, 1])],
        [("/out/sim", [9, 10, 1])],
        [("/out/beauty", [9, 10, 1])],
        [("/out/fx", [10, 20, 5])],
    ]


def test_a_shared_input_renders_once_and_a_chain_waits_link_by_link(adapter, hou):
    # cache -> light -> beauty, and cache -> shadow; the job renders beauty and shadow
    for path, kind in (
        ("/out/cache", "geometry"),
        ("/out/light", "ifd"),
        ("/out/beauty", "ifd"),
        ("/out/shadow", "ifd"),
    ):
        hou.add_node(path, kind, {"f": (1.0, 2.0, 1.0)})
    hou.node("/out/light").setInput(0, hou.node("/out/cache"))
    hou.node("/out/beauty").setInput(0, hou.node("/out/light"))
    hou.node("/out/shadow").setInput(0, hou.node("/out/cache"))
    node = job_with(adapter, hou, ["/out/beauty", "/out/shadow"], chunk_size=2)
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["command"].split()[-1], t.get("depends_on")) for t in tasks] == [
        ("/out/cache", None),
        ("/out/light", [0]),
        ("/out/beauty", [1]),
        ("/out/shadow", [0]),
    ]


def test_a_merge_without_a_range_waits_for_its_inputs_over_every_frame(adapter, hou):
    hou.add_node("/out/a", "ifd", {"f": (1.0, 4.0, 1.0)})
    hou.add_node("/out/b", "ifd", {"f": (3.0, 4.0, 1.0)})
    hou.add_node("/out/merge", "merge")
    hou.node("/out/merge").setInput(0, hou.node("/out/a"))
    hou.node("/out/merge").setInput(1, hou.node("/out/b"))
    node = job_with(adapter, hou, ["/out/merge", "/out/a"], chunk_size=2)
    settings = node.read_settings()
    settings.use_custom_frames, settings.frames = True, "1-4"
    node.write_settings(settings)
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["frames"], t["command"].split()[-1], t.get("depends_on")) for t in tasks] == [
        ("1-2", "/out/a", None),
        ("1-2", "/out/merge", [0]),
        ("3-4", "/out/a", None),
        ("3-4", "/out/b", None),
        ("3-4", "/out/merge", [2, 3]),
    ]


def test_without_wired_inputs_one_task_renders_every_rop_of_the_chunk(adapter, hou):
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 4.0, 1.0)})
    hou.add_node("/out/fx", "karma", {"f": (1.0, 4.0, 1.0)})
    node = job_with(adapter, hou, ["/out/beauty", "/out/fx"])
    (task,) = adapter.build(node).to_payload()["tasks_data"]
    assert task["command"].endswith(" 1 4 1 /out/beauty /out/fx")
    assert "depends_on" not in task


def test_tasks_the_settings_give_are_kept(adapter, hou):
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 2.0, 1.0)})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 2.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"])
    settings = node.read_settings()
    settings.tasks_data = [{"command": "echo hi", "frames": "1"}]
    node.write_settings(settings)
    assert adapter.build(node).to_payload()["tasks_data"] == [{"command": "echo hi", "frames": "1"}]


def test_a_bad_template_is_reported_as_for_any_job(adapter, hou):
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 2.0, 1.0)})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 2.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"])
    settings = node.read_settings()
    settings.task_template = "hython <nope>"
    node.write_settings(settings)
    errors = [str(m) for m in adapter.build(node).errors]
    assert len(errors) == 1 and errors[0].startswith("task_template: unknown token <nope>")


def test_rops_wired_in_a_loop_are_named(adapter, hou):
    for path in ("/out/a", "/out/b"):
        hou.add_node(path, "ifd", {"f": (1.0, 2.0, 1.0)})
    hou.node("/out/a").setInput(0, hou.node("/out/b"))
    hou.node("/out/b").setInput(0, hou.node("/out/a"))  # a script can; Houdini's UI cannot
    node = job_with(adapter, hou, ["/out/a"])
    with pytest.raises(HostError) as caught:
        adapter.build(node)
    assert str(caught.value) == (
        "input ROPs: /out/a -> /out/b -> /out/a are wired in a loop; no order renders them"
    )


def test_the_exported_job_file_keeps_the_dependencies(adapter, hou, tmp_path, monkeypatch):
    from farmhand.core.host import export_job_file
    from farmhand.core.job import build_job_file

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 4.0, 1.0)})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 4.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"], chunk_size=2)
    path = str(tmp_path / "job.json")
    host = export_job_file(adapter, node, path)
    cli = build_job_file(path)
    assert cli.payload_json() == host.payload_json()
    assert [t.get("depends_on") for t in cli.to_payload()["tasks_data"]] == [None, [0], None, [2]]


def test_a_scout_never_waits_for_a_held_input(adapter, hou):
    """The input renders only frame 1 and the scout frame is 2: its task of the chunk still
    holds the chunk's frames, so it is a scout too (the farm runs both, holds the rest)."""
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 1.0, 1.0)})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 4.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"], chunk_size=2)
    settings = node.read_settings()
    settings.use_scout_frames, settings.scout_frames = True, "2"
    node.write_settings(settings)
    submission = adapter.build(node)
    tasks = submission.to_payload()["tasks_data"]
    assert [(t["frames"], t["command"].split()[-1], t.get("depends_on")) for t in tasks] == [
        ("1-2", "/out/sim", None),
        ("1-2", "/out/beauty", [0]),
        ("3-4", "/out/beauty", None),  # the sim renders nothing here: nothing to wait for
    ]
    assert submission.scout_task_count == 2
