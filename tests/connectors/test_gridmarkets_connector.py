"""The ``gridmarkets`` farm: a payload as a GridMarkets project (offline export and
translation), what it will not honour, and submit/status through an Envoy stand-in
(tests/support/envoy_stand_in.py; no Envoy runs here)."""

import json

import pytest
from envoy_stand_in import EnvoyStandIn

from farmhand.core.connectors import connector_class
from farmhand.core.connectors.gridmarkets.connector import GridMarketsConnector
from farmhand.core.connectors.gridmarkets.translate import (
    catalogue_from_products,
    package_id,
    seed_frames,
    translate,
)
from farmhand.core.errors import InputError, UnsupportedError
from farmhand.core.frames import FrameSpec
from farmhand.core.transfer.files import LocalFile

pytestmark = pytest.mark.timeout(60)


@pytest.fixture
def shot(tmp_path):
    root = tmp_path / "shot010"
    (root / "tex").mkdir(parents=True)
    (root / "shot010.blend").write_bytes(b"blend")
    (root / "tex" / "wood.png").write_bytes(b"png")
    return root


def payload(shot, **fields):
    data = {
        "job_title": "shot010 lighting",
        "project": "default",
        "instance_type": "standard-4",
        "output_path": "/renders/shot010",
        "upload_paths": [str(shot)],
        "tasks_data": [
            {"command": "blender -b ... -s 1 -e 5", "frames": "1-5"},
            {"command": "blender -b ... -s 6 -e 10", "frames": "6-10"},
            {"command": "blender -b ... -f 20", "frames": "20"},
        ],
        "metadata": {
            "gridmarkets_app": "blender",
            "gridmarkets_app_version": "3.4.1",
            "gridmarkets_output_prefix": "beauty.",
            "gridmarkets_output_format": "png",
            "gridmarkets_gpu": "false",
        },
    }
    data.update(fields)
    return data


def test_it_is_registered_and_configured_from_the_environment():
    assert connector_class("gridmarkets") is GridMarketsConnector
    connector = GridMarketsConnector.from_environment(
        {"GRIDMARKETS_ENVOY_URL": "http://127.0.0.1:8090/", "GRIDMARKETS_EMAIL": "a@b.c"}
    )
    assert connector.describe() == "GridMarkets through the Envoy service at http://127.0.0.1:8090"
    assert GridMarketsConnector.from_environment({}).service.url == "http://localhost:8090"


def test_export_writes_the_project_without_reaching_the_service(shot, tmp_path):
    connector = GridMarketsConnector("http://127.0.0.1:9")  # nothing listens there
    (path,) = connector.export(payload(shot), str(tmp_path / "out"))
    with open(path) as handle:
        body = json.load(handle)
    assert body["project_files"] == {
        "localRoot": str(shot),
        "remoteRoot": "/shot010",
        "files": ["shot010.blend", "tex/wood.png"],
    }
    (job,) = body["project_request"]["jobs"]
    assert (job["app"], job["app_version"], job["path"]) == (
        "blender", "3.4.1", "/shot010/shot010.blend"
    )
    assert job["instances"] == 3
    assert job["params"]["frames"] == "1 10 1,20 20 1"
    assert job["params"]["gpu"] is False
    assert job["params"]["output_format"] == "png"
    assert body["watch_files"] == {
        "/shot010/render_results/shot010_lighting/.+": "/renders/shot010"
    }


def test_what_it_will_not_honour(shot):
    connector = GridMarketsConnector()
    messages = connector.validate(
        payload(shot, scout_frames="1", priority=9, environment={"A": "1"},
                notify={"emails": ["a@b.c"]})
    )
    texts = [str(m) for m in messages]
    assert "scout_frames: the gridmarkets farm renders the scout frames as a first job of the" \
        " project; the job of the other frames depends on it and starts once they have" \
        " rendered (Envoy has no release)" in texts
    assert [m.level for m in messages if m.field == "scout_frames"] == ["info"]
    assert any(t.startswith("priority: the gridmarkets farm will not honour priority 9")
               for t in texts)
    assert any(t.startswith("notify: the gridmarkets farm will not honour notify") for t in texts)
    assert "tasks_data: the gridmarkets farm does not run the tasks' commands: GridMarkets" \
        " renders the scene with the product's own command over all the tasks' frames" in texts
    assert "environment: the gridmarkets farm does not set environment" in texts


def test_scout_frames_become_a_first_job_the_rest_depends_on(shot, tmp_path):
    connector = GridMarketsConnector("http://127.0.0.1:9")  # nothing listens there
    (path,) = connector.export(payload(shot, scout_frames="1,5,20,99"), str(tmp_path / "out"))
    with open(path) as handle:
        body = json.load(handle)
    scouts, rest = body["project_request"]["jobs"]
    assert (scouts["name"], rest["name"]) == ("shot010 lighting [scouts]", "shot010 lighting")
    assert scouts["params"]["frames"] == "1 1 1,5 5 1,20 20 1"  # 99 is not a frame of the job
    assert rest["params"]["frames"] == "2 4 1,6 10 1"
    assert (scouts["dependencies"], rest["dependencies"]) == ([], [scouts["id"]])
    assert scouts["id"] != rest["id"]
    assert (scouts["instances"], rest["instances"]) == (3, 3)
    same = ("app", "app_version", "path", "operation", "machine_type", "plugins")
    assert [scouts[k] for k in same] == [rest[k] for k in same]
    assert scouts["params"]["output_upload"] == rest["params"]["output_upload"]
    assert scouts["params"]["output_format"] == "png"


@pytest.mark.parametrize("scout_frames", ["", "50-60", "1-10,20", [1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
                                                                   20]])
def test_scout_frames_that_split_nothing_leave_one_job(shot, scout_frames):
    files = [LocalFile.from_path(str(shot / "shot010.blend"))]
    _, body = translate(payload(shot, scout_frames=scout_frames), files)
    (job,) = body["project_request"]["jobs"]
    assert job["params"]["frames"] == "1 10 1,20 20 1" and job["dependencies"] == []


def test_one_scout_frame_is_a_one_instance_job(shot):
    files = [LocalFile.from_path(str(shot / "shot010.blend"))]
    _, body = translate(payload(shot, scout_frames="7"), files)
    scouts, rest = body["project_request"]["jobs"]
    assert (scouts["params"]["frames"], scouts["instances"]) == ("7 7 1", 1)
    assert rest["params"]["frames"] == "1 6 1,8 10 1,20 20 1"


def test_frames_named_in_the_metadata_keep_one_job_and_say_the_scouts_are_not_honoured(shot):
    metadata = dict(payload(shot)["metadata"], gridmarkets_frames="1 10 1")
    data = payload(shot, scout_frames="1", metadata=metadata)
    files = [LocalFile.from_path(str(shot / "shot010.blend"))]
    (job,) = translate(data, files)[1]["project_request"]["jobs"]
    assert job["params"]["frames"] == "1 10 1"
    (message,) = [m for m in GridMarketsConnector().validate(data) if m.field == "scout_frames"]
    assert (message.level, message.text) == (
        "warning", "the gridmarkets farm will not honour the scout frames: metadata"
        " gridmarkets_frames names the frames of one job")


@pytest.mark.parametrize("scout_frames, message", [
    ("1-x", "scout_frames: "),
    (7, "scout_frames: expected a frame spec string, got 7"),
])
def test_bad_scout_frames_name_the_field(shot, scout_frames, message):
    files = [LocalFile.from_path(str(shot / "shot010.blend"))]
    with pytest.raises(InputError) as caught:
        translate(payload(shot, scout_frames=scout_frames), files)
    assert caught.value.field == "scout_frames"
    assert str(caught.value).startswith(message)


def test_scout_and_rest_jobs_are_submitted_in_one_project(shot):
    with EnvoyStandIn() as envoy:
        connector = GridMarketsConnector(envoy.url, "artist@example.com", "secret")
        connector.submit(payload(shot, scout_frames="20"))
        (body,) = envoy.sent("POST", "/project-submit")
    scouts, rest = body["project_request"]["jobs"]
    assert scouts["params"]["frames"] == "20 20 1" and rest["dependencies"] == [scouts["id"]]


def test_products_as_a_catalogue_and_back():
    with EnvoyStandIn() as envoy:
        catalogue = GridMarketsConnector(envoy.url).catalogue()
    hou = catalogue.package(package_id("hou", "17.5.173"))
    assert (hou.product, hou.version, hou.is_plugin) == ("hou", "17.5.173", False)
    plugins = catalogue.plugins_for(hou)
    assert sorted((p.product, p.version) for p in plugins) == [
        ("hou_redshift", "2.6.37"), ("hou_redshift", "2.6.38"), ("htoa", "4.0.1")
    ]
    assert seed_frames(FrameSpec("1-9x2,20")) == "1 9 2,20 20 1"


def test_the_product_from_the_catalogue(shot):
    catalogue = catalogue_from_products(
        [{"app_type": "blender", "version": "3.4.1", "compatible_modules": ["blender_vray:5"]}]
    )
    data = payload(shot, metadata={"gridmarkets_output_format": "png"},
                   software_package_ids=[package_id("blender", "3.4.1"),
                                         package_id("blender_vray", "5", "blender", "3.4.1")])
    files = [LocalFile.from_path(str(shot / "shot010.blend"))]
    name, body = translate(data, files, catalogue, "take2")
    job = body["project_request"]["jobs"][0]
    assert name == "shot010" and job["plugins"] == ["blender_vray"]
    assert body["project_files"]["files"] == ["shot010.blend"]
    assert job["params"]["output_dir_name"] == "take2"


@pytest.mark.parametrize(
    "change, field, message",
    [
        ({"metadata": {}}, "software_package_ids",
         "a GridMarkets job runs one product; the payload names 0: none"),
        ({"upload_paths": []}, "upload_paths",
         "a GridMarkets job needs its scene among the job's files; upload_paths is empty"),
        ({"tasks_data": [{"command": "x"}]}, "tasks_data",
         "no task names its frames; GridMarkets renders a job's frames"),
        ({"metadata": {"gridmarkets_app": "hou", "gridmarkets_app_version": "19"}},
         "upload_paths", "a GridMarkets hou job renders a scene file (.hip .hipnc .hiplc), and"
         " none of the job's 2 files is one"),
        ({"metadata": {"gridmarkets_app": "blender", "gridmarkets_app_version": "3",
                       "gridmarkets_output_width": "wide"}},
         "metadata.gridmarkets_output_width", "expected a whole number, got 'wide'"),
        ({"metadata": {"gridmarkets_app": "blender", "gridmarkets_app_version": "3",
                       "gridmarkets_gpu": "maybe"}},
         "metadata.gridmarkets_gpu", "expected true or false, got 'maybe'"),
    ],
)
def test_payloads_it_cannot_translate(shot, tmp_path, change, field, message):
    with EnvoyStandIn() as envoy, pytest.raises(InputError) as caught:
        GridMarketsConnector(envoy.url).export(payload(shot, **change), str(tmp_path / "out"))
    assert caught.value.field == field
    assert caught.value.message.startswith(message)
    assert not (tmp_path / "out").exists()


def test_without_the_catalogue_the_metadata_must_name_the_product(shot):
    files = [LocalFile.from_path(str(shot / "shot010.blend"))]
    with pytest.raises(InputError) as caught:
        translate(payload(shot, metadata={}), files, None)
    assert str(caught.value) == (
        "software_package_ids: set metadata gridmarkets_app and gridmarkets_app_version, or"
        " choose the product from the gridmarkets farm's catalogue"
    )


def test_submit_and_status_through_envoy(shot):
    with EnvoyStandIn() as envoy:
        connector = GridMarketsConnector(envoy.url, "artist@example.com", "secret")
        result = connector.submit(payload(shot))
        assert result.job_id == "shot010" and result.files == 2
        (body,) = envoy.sent("POST", "/project-submit")
        assert body["project_request"]["jobs"][0]["path"] == "/shot010/shot010.blend"
        envoy.answers[("GET", "/project-status/shot010")] = (
            200, {"Code": 200, "State": "Completed", "Message": "done"}
        )
        job = connector.status("shot010")
        assert (job.status, job.is_final, job.succeeded) == ("success", True, True)
        assert job.raw["Message"] == "done"


def test_submit_needs_credentials_and_credits(shot):
    with pytest.raises(InputError) as caught:
        GridMarketsConnector("http://127.0.0.1:9").submit(payload(shot))
    assert str(caught.value) == (
        "GRIDMARKETS_EMAIL: the gridmarkets farm needs GRIDMARKETS_EMAIL and"
        " GRIDMARKETS_ACCESS_KEY (the Envoy account)"
    )
    with EnvoyStandIn(credits=0) as envoy:
        connector = GridMarketsConnector(envoy.url, "artist@example.com", "secret")
        with pytest.raises(InputError) as caught:
            connector.submit(payload(shot))
        assert str(caught.value) == (
            "credits: the GridMarkets account has 0.0 credits; nothing was submitted"
        )
        assert envoy.sent("POST", "/project-submit") == []


def test_what_envoy_cannot_do_says_so():
    connector = GridMarketsConnector()
    for call, message in [
        (lambda: connector.jobs(), "the gridmarkets farm cannot list projects here"),
        (lambda: connector.kill("p"), "the gridmarkets farm cannot stop a project here"),
        (lambda: connector.logs("p", "0"), "the gridmarkets farm cannot read task logs here"),
        (lambda: connector.fetch_outputs("p", "/tmp"), "the gridmarkets farm writes outputs"),
        (lambda: connector.release("p"), "the gridmarkets farm cannot release scout tasks here;"
         " the job of the other frames starts once the scout job has rendered"),
    ]:
        with pytest.raises(UnsupportedError) as caught:
            call()
        assert str(caught.value).startswith(message)
