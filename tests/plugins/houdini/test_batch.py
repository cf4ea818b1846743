"""From hython, without Qt: a FarmhandJob ROP previewed, exported as a job file the CLI builds
the same payload from, and submitted to a real local farm whose tasks run the ROP's hython
command (a ``hython`` on the farm's PATH running the fake ``hou``)."""

import json
import os
import sys

import pytest
from client_farm import FarmProcess, farm_python

from farmhand.core.job import build_job_file
from tests.conftest import require

pytestmark = pytest.mark.timeout(120)
HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def houdini_farm(tmp_path_factory):
    """A local farm on a machine with a ``hython`` (running the fake ``hou``, answering
    ``--version`` as Houdini 20.5.410), which the farm lists as a package; renders are recorded
    in ``farm.render_log``."""
    require(farm_python(), "a Python with aiohttp to run the local farm (.venv)")
    root = tmp_path_factory.mktemp("houdini-farm")
    shims = root / "shims"
    shims.mkdir()
    (shims / "hou.py").write_text(
        "import sys\nsys.path.insert(0, {!r})\nimport fake_hou\nfake_hou.reset()\n"
        "fake_hou.register_builtin_types()\nsys.modules['hou'] = fake_hou\n".format(HERE)
    )
    (shims / "hython").write_text(
        "#!/bin/sh\n"
        '[ "$1" = --version ] && {{ echo "Houdini 20.5.410"; exit 0; }}\n'
        'PYTHONPATH={} exec {} "$@"\n'.format(shims, sys.executable)
    )
    (shims / "hython").chmod(0o755)
    log = root / "renders.log"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PATH", "{}:{}".format(shims, os.environ["PATH"]))
        farm = FarmProcess(root / "home" / "farm")
        farm.start()
    farm.render_log = log
    yield farm
    farm.stop()


@pytest.fixture
def shot(adapter, hou):
    hou.add_node("/out/beauty", "ifd", {"f": (1.0, 3.0, 1.0)})
    node = adapter.new_job("job")
    hou.node("/out/job").setInput(0, hou.node("/out/beauty"))
    settings = node.read_settings()
    settings.instance_type = "standard-1"
    settings.use_scout_frames = False
    settings.chunk_size = 2
    node.write_settings(settings)
    return node


def test_preview_builds_the_rop_by_path_or_name(shot, hou):
    from farmhand.plugins.houdini import batch

    by_path = batch.preview("/out/job")
    assert by_path.ok, [str(m) for m in by_path.validation]
    assert [task["frames"] for task in by_path.tasks] == ["1-2", "3"]
    assert batch.preview("job").payload_json() == by_path.payload_json()


def test_an_unknown_rop_lists_the_jobs(shot, hou):
    from farmhand.core.host import HostError
    from farmhand.plugins.houdini import batch

    with pytest.raises(HostError) as caught:
        batch.preview("/out/nope")
    assert str(caught.value) == (
        "job node: no FarmhandJob ROP named '/out/nope' in this scene; job nodes: 'job'"
    )


def test_the_exported_job_file_gives_the_same_payload(shot, hou, tmp_path, monkeypatch):
    from farmhand.plugins.houdini import batch

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    path = str(tmp_path / "job.json")
    host = batch.export("/out/job", path)
    with open(path) as handle:
        assert json.load(handle)["dependency_scan_policy"] == "none"
    assert build_job_file(path).payload_json() == host.payload_json()


def test_submit_sends_the_rop_to_a_local_farm_that_renders_it(shot, hou, houdini_farm, monkeypatch):
    from farmhand.plugins.houdini import batch

    monkeypatch.setenv("FARMHAND_HOME", houdini_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    settings = shot.read_settings()
    settings.environment = {"FAKE_HOU_RENDER_LOG": str(houdini_farm.render_log)}
    shot.write_settings(settings)
    result = batch.submit("/out/job", "local")
    with houdini_farm.connector() as connector:
        job = list(connector.follow(result.job_id, timeout=60))[-1]
        logs = "" if job.succeeded else connector.logs(result.job_id, "0")
    assert job.succeeded, logs
    lines = houdini_farm.render_log.read_text().splitlines()
    assert sorted(tuple(json.loads(line)[1]) for line in lines) == [(1, 2, 1), (3, 3, 1)]


def test_a_rops_input_renders_first_on_the_farm(shot, hou, houdini_farm, monkeypatch):
    """The local farm runs the input ROP's task of a chunk before the task that waits for it."""
    from farmhand.plugins.houdini import batch

    hou.add_node("/out/sim", "geometry", {"f": (1.0, 3.0, 1.0)})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    monkeypatch.setenv("FARMHAND_HOME", houdini_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    log = houdini_farm.render_log.parent / "dependencies.log"
    settings = shot.read_settings()
    settings.environment = {"FAKE_HOU_RENDER_LOG": str(log)}
    shot.write_settings(settings)
    result = batch.submit("/out/job", "local")
    with houdini_farm.connector() as connector:
        job = list(connector.follow(result.job_id, timeout=60))[-1]
        logs = "" if job.succeeded else connector.logs(result.job_id, "1")
    assert job.succeeded, logs
    rendered = [tuple(json.loads(line)) for line in log.read_text().splitlines()]
    assert sorted((path, tuple(frames)) for path, frames in rendered) == [
        ("/out/beauty", (1, 2, 1)),
        ("/out/beauty", (3, 3, 1)),
        ("/out/sim", (1, 2, 1)),
        ("/out/sim", (3, 3, 1)),
    ]
    order = [(path, tuple(frames)) for path, frames in rendered]
    for frames in ((1, 2, 1), (3, 3, 1)):
        assert order.index(("/out/sim", frames)) < order.index(("/out/beauty", frames))


def test_a_simulation_runs_once_over_every_frame_before_any_render_chunk(
    shot, hou, houdini_farm, monkeypatch
):
    """A Geometry ROP caching a DOP network is one task on the farm; the render's chunks
    start only once it has simulated every frame."""
    from farmhand.plugins.houdini import batch

    hou.add_node("/obj/fx/dopnet1", "dopnet", category="Sop")
    hou.add_node("/out/sim", "geometry", {"f": (1.0, 3.0, 1.0), "soppath": "/obj/fx/dopnet1"})
    hou.node("/out/beauty").setInput(0, hou.node("/out/sim"))
    monkeypatch.setenv("FARMHAND_HOME", houdini_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    log = houdini_farm.render_log.parent / "simulation.log"
    settings = shot.read_settings()
    settings.environment = {"FAKE_HOU_RENDER_LOG": str(log)}
    shot.write_settings(settings)
    assert [t["frames"] for t in batch.preview("/out/job").tasks] == ["1-3", "1-2", "3"]
    result = batch.submit("/out/job", "local")
    with houdini_farm.connector() as connector:
        job = list(connector.follow(result.job_id, timeout=60))[-1]
        logs = "" if job.succeeded else connector.logs(result.job_id, "0")
    assert job.succeeded, logs
    rendered = [
        (path, tuple(frames)) for path, frames in map(json.loads, log.read_text().split("\n")[:-1])
    ]
    assert rendered[0] == ("/out/sim", (1, 3, 1))  # once, every frame, first
    assert sorted(rendered[1:]) == [("/out/beauty", (1, 2, 1)), ("/out/beauty", (3, 3, 1))]
