"""A simulation wired into the job (a Geometry ROP caching a DOP network, or a ROP the job's
``Simulations`` parm lists) renders as one task over the whole frame range, and every render
chunk waits for that task; ``Chunked ROPs`` splits a detected one again. The tasks' commands
run for real through /bin/sh (a ``hython`` running the fake ``hou``)."""

import json

import pytest
import test_render_command
from test_render_command import run_task

from farmhand.core.host import HostError

pytestmark = pytest.mark.timeout(120)
hython = test_render_command.hython  # the same fixture: a hython running the fake hou


def dop_cache(hou, rop_path, frames=(1.0, 10.0, 1.0)):
    """``rop_path``: a Geometry ROP writing /obj/fx/out, a Null fed by a DOP Network SOP."""
    hou.add_node("/obj/fx/dopnet1", "dopnet", category="Sop")
    hou.add_node("/obj/fx/out", "null", category="Sop")
    hou.node("/obj/fx/out").setInput(0, hou.node("/obj/fx/dopnet1"))
    return hou.add_node(rop_path, "geometry", {"f": frames, "soppath": "/obj/fx/out"})


def job_with(adapter, hou, inputs, chunk_size=4, simulations="", chunked=""):
    node = adapter.new_job("job")
    for index, path in enumerate(inputs):
        hou.node("/out/job").setInput(index, hou.node(path))
    settings = node.read_settings()
    settings.chunk_size = chunk_size
    settings.instance_type = "standard-2"
    settings.use_scout_frames = False
    node.write_settings(settings)
    hou.node("/out/job").parm("simulation_rops").set(simulations)
    hou.node("/out/job").parm("chunked_rops").set(chunked)
    return node


def tail(task):
    """``<chunkstart> <chunkend> <chunkstep> <sources>`` of a task's command."""
    return task["command"].rsplit("' ", 1)[1].split(" ", 1)[1]


def test_a_dop_network_cache_is_one_task_every_render_chunk_waits_for(
    adapter, hou, hython, tmp_path
):
    dop_cache(hou, "/out/sim")
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"])
    submission = adapter.build(node)
    assert not submission.errors, [str(m) for m in submission.errors]
    tasks = submission.to_payload()["tasks_data"]
    assert [(t["frames"], tail(t), t.get("depends_on")) for t in tasks] == [
        ("1-10", "1 10 1 /out/sim", None),
        ("1-4", "1 4 1 /out/beauty", [0]),
        ("5-8", "5 8 1 /out/beauty", [0]),
        ("9-10", "9 10 1 /out/beauty", [0]),
    ]
    # the preview (the payload's JSON) shows the one task and what waits for it
    preview = json.loads(submission.payload_json())
    assert [t.get("depends_on") for t in preview["tasks_data"]] == [None, [0], [0], [0]]
    log = tmp_path / "renders.log"
    rendered = [run_task(task["command"], hython, log) for task in tasks]
    assert rendered == [
        [("/out/sim", [1, 10, 1])],  # the whole range at once, in one session
        [("/out/beauty", [1, 4, 1])],
        [("/out/beauty", [5, 8, 1])],
        [("/out/beauty", [9, 10, 1])],
    ]


def test_a_karma_render_of_a_dop_import_of_an_object_dop_network(adapter, hou):
    hou.add_node("/obj/pyro", "dopnet", category="Object")
    hou.add_node("/obj/fx/import", "dopimport", {"doppath": "../../pyro"}, category="Sop")
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 6.0, 1.0), "soppath": "/obj/fx/import"})
    hou.add_node("/out/karma", "karma", {"f": (1.0, 6.0, 1.0)})
    hou.node("/out/karma").setInput(0, hou.node("/out/sim"))
    from farmhand.plugins.houdini.simulations import detected_simulation

    assert detected_simulation(hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/karma"], chunk_size=3)
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["frames"], tail(t), t.get("depends_on")) for t in tasks] == [
        ("1-6", "1 6 1 /out/sim", None),
        ("1-3", "1 3 1 /out/karma", [0]),
        ("4-6", "4 6 1 /out/karma", [0]),
    ]


def test_a_plain_geometry_cache_is_still_chunked(adapter, hou):
    hou.add_node("/obj/fx/file1", "file", category="Sop")
    hou.add_node("/obj/fx/out", "null", category="Sop")
    hou.node("/obj/fx/out").setInput(0, hou.node("/obj/fx/file1"))
    hou.add_node("/out/cache", "geometry", {"f": (1.0, 8.0, 1.0), "soppath": "/obj/fx/out"})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 8.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/cache"))
    from farmhand.plugins.houdini.simulations import detected_simulation

    assert not detected_simulation(hou.node("/out/cache"))
    node = job_with(adapter, hou, ["/out/beauty"])
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["frames"], tail(t), t.get("depends_on")) for t in tasks] == [
        ("1-4", "1 4 1 /out/cache", None),
        ("1-4", "1 4 1 /out/beauty", [0]),
        ("5-8", "5 8 1 /out/cache", None),
        ("5-8", "5 8 1 /out/beauty", [2]),
    ]


def test_the_chunked_parm_splits_a_detected_simulation(adapter, hou):
    dop_cache(hou, "/out/sim", (1.0, 8.0, 1.0))
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 8.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"], chunked="/out/sim")
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["frames"], tail(t), t.get("depends_on")) for t in tasks] == [
        ("1-4", "1 4 1 /out/sim", None),
        ("1-4", "1 4 1 /out/beauty", [0]),
        ("5-8", "5 8 1 /out/sim", None),
        ("5-8", "5 8 1 /out/beauty", [2]),
    ]


def test_the_simulations_parm_makes_any_rop_one_task_even_unwired(adapter, hou):
    # a geometry ROP without a SOP path (not detected), listed; a render beside it
    hou.add_node("/out/crowd", "geometry", {"f": (1.0, 8.0, 1.0)})
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 8.0, 1.0)})
    node = job_with(adapter, hou, ["/out/crowd", "/out/beauty"], simulations=" /out/crowd ,")
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["frames"], tail(t), t.get("depends_on")) for t in tasks] == [
        ("1-8", "1 8 1 /out/crowd", None),
        ("1-4", "1 4 1 /out/beauty", None),
        ("5-8", "5 8 1 /out/beauty", None),
    ]


def test_a_simulation_over_custom_frames_renders_them_at_once(adapter, hou):
    dop_cache(hou, "/out/sim")
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"])
    settings = node.read_settings()
    settings.use_custom_frames, settings.frames = True, "1-3,7-10"
    node.write_settings(settings)
    tasks = adapter.build(node).to_payload()["tasks_data"]
    assert [(t["frames"], tail(t), t.get("depends_on")) for t in tasks] == [
        ("1-3,7-10", "1 10 1 /out/sim", None),  # irregular: start to end, by 1
        ("1-3,7", "1 7 1 /out/beauty", [0]),
        ("8-10", "8 10 1 /out/beauty", [0]),
    ]


def test_the_simulation_is_a_scout_and_runs_first(adapter, hou):
    dop_cache(hou, "/out/sim", (1.0, 8.0, 1.0))
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 8.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"], chunk_size=2)
    settings = node.read_settings()
    settings.use_scout_frames, settings.scout_frames = True, "5"
    node.write_settings(settings)
    submission = adapter.build(node)
    assert not submission.errors, [str(m) for m in submission.errors]
    scouts = [i for i in range(submission.task_count) if submission.is_scout(i)]
    assert scouts == [0, 3]  # the sim (every frame) and the chunk 5-6 waiting for it
    assert submission.tasks[3]["frames"] == "5-6"
    assert submission.tasks[3]["depends_on"] == [0]


def test_a_path_the_job_does_not_render_is_refused_with_the_choices(adapter, hou):
    dop_cache(hou, "/out/sim")
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"], simulations="/out/nope")
    with pytest.raises(HostError) as caught:
        adapter.build(node)
    assert str(caught.value) == (
        "simulation_rops of /out/job: /out/nope is not a ROP this job renders; choose from: "
        "/out/sim, /out/beauty"
    )


def test_a_rop_listed_as_both_is_refused(adapter, hou):
    dop_cache(hou, "/out/sim")
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 10.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    node = job_with(adapter, hou, ["/out/beauty"], simulations="/out/sim", chunked="/out/sim")
    with pytest.raises(HostError) as caught:
        adapter.build(node)
    assert str(caught.value) == (
        "chunked_rops of /out/job: /out/sim is listed as a simulation and as chunked; keep it "
        "in one of simulation_rops and chunked_rops"
    )


def test_an_unwired_job_names_no_choices(adapter, hou):
    node = job_with(adapter, hou, [], simulations="/out/sim")
    with pytest.raises(HostError) as caught:
        adapter.build(node)
    assert str(caught.value) == (
        "simulation_rops of /out/job: /out/sim is not a ROP this job renders; choose from: "
        "(no ROP is wired into the job)"
    )


def test_detection_in_sops_and_on_a_missing_sop(hou):
    from farmhand.plugins.houdini.simulations import detected_simulation

    hou.add_node("/obj/fx/dopnet1", "dopnet", category="Sop")
    hou.add_node("/obj/fx/io", "dopio", {"doppath": "/obj/nowhere"}, category="Sop")
    hou.add_node("/obj/fx/cache", "rop_geometry", category="Sop")
    hou.node("/obj/fx/cache").setInput(0, hou.node("/obj/fx/io"))
    assert not detected_simulation(hou.node("/obj/fx/cache"))  # doppath names no network
    hou.node("/obj/fx/io").setInput(0, hou.node("/obj/fx/dopnet1"))
    assert detected_simulation(hou.node("/obj/fx/cache"))  # the SOP-level ROP's input
    hou.add_node("/out/lost", "geometry", {"soppath": "/obj/gone"})
    hou.add_node("/out/none", "geometry")
    assert not detected_simulation(hou.node("/out/lost"))
    assert not detected_simulation(hou.node("/out/none"))
