"""Without Qt: a job node exported as a job file gives the CLI the host's payload, and
``submit_job`` sends it to a real local farm."""

import json

import pytest

from farmhand.core.deps import FileReference
from farmhand.core.errors import InputError
from farmhand.core.host import export_job_file
from farmhand.core.host.submit import preview_job, submit_job
from farmhand.core.job import build_job_file

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def shot(adapter, scene, tmp_path, monkeypatch):
    """A job with host tokens in every template and a texture sequence with an offset."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    textures = tmp_path / "tex"
    textures.mkdir()
    for frame in range(101, 111):
        (textures / "bg.{:04d}.png".format(frame)).write_text(str(frame))
    (textures / "bg.0200.png").write_text("not needed")
    scene.references = [FileReference(str(textures / "bg.####.png"), -100)]
    scene.images = {"beauty": str(tmp_path / "out")}
    node = adapter.new_job("lighting")
    settings = node.read_settings()
    settings.job_title = "<job> of <pdir> <sequence>"
    settings.instance_type = "standard-1"
    settings.metadata = {"scene": "<render_package>", "layers": "<sources>"}
    settings.task_template = "cat <render_package> > <directories>/<job>.<chunkstart>.txt"
    settings.output_path = str(tmp_path / "out")
    settings.scout_frames = "1"
    node.write_settings(settings)
    return node


def test_the_exported_job_file_gives_the_hosts_payload(adapter, shot, tmp_path):
    host = preview_job(adapter, shot)
    assert host.ok, [str(m) for m in host.validation]
    path = str(tmp_path / "exported" / "lighting.json")
    export_job_file(adapter, shot, path)
    with open(path) as handle:
        data = json.load(handle)
    assert data["dependency_scan_policy"] == "none"
    assert data["frames"] == "1-10" and data["use_custom_frames"] is True
    assert "<" not in data["task_template"].replace("<chunkstart>", "")
    cli = build_job_file(path)
    assert cli.ok, [str(m) for m in cli.validation]
    assert cli.payload_json() == host.payload_json()
    names = [p.rsplit("/", 1)[-1] for p in host.upload_files]
    assert names == ["shot010_farmhand_lighting.mem"] + [
        "bg.{:04d}.png".format(f) for f in range(101, 111)
    ]


def test_submit_job_sends_the_node_to_a_local_farm(adapter, shot, client_farm, tmp_path):
    settings = shot.read_settings()
    settings.frames, settings.use_custom_frames = "1-2", True
    settings.use_scout_frames = False  # no task held back
    shot.write_settings(settings)
    environ = {"FARMHAND_HOME": client_farm.home, "FARMHAND_COMMAND": "false"}
    result = submit_job(adapter, shot, "local", environ=environ)
    with client_farm.connector() as connector:
        job = list(connector.follow(result.job_id, timeout=30))[-1]
    assert result.files == 3  # two frames of the sequence and the render package
    assert job.title == "lighting of {} 1-2".format(tmp_path / "shots")
    assert job.succeeded, job
    package = tmp_path / "shots" / "shot010_farmhand_lighting.mem"
    assert (tmp_path / "out" / "lighting.2.txt").read_text() == package.read_text()


def test_submit_job_checks_before_sending_anything(adapter, shot, client_farm):
    settings = shot.read_settings()
    settings.instance_type = ""
    shot.write_settings(settings)
    environ = {"FARMHAND_HOME": client_farm.home, "FARMHAND_COMMAND": "false"}
    with client_farm.connector() as connector:
        before = len(connector.jobs())
    with pytest.raises(InputError, match="instance_type: is empty; choose an instance type"):
        submit_job(adapter, shot, "local", environ=environ)
    with client_farm.connector() as connector:
        assert len(connector.jobs()) == before


def test_exporting_keeps_a_job_that_does_not_validate_exportable(adapter, shot, tmp_path):
    settings = shot.read_settings()
    settings.instance_type = ""
    shot.write_settings(settings)
    submission = export_job_file(adapter, shot, str(tmp_path / "j.json"))
    assert not submission.ok
    assert build_job_file(str(tmp_path / "j.json")).validation.errors[0].field == "instance_type"
