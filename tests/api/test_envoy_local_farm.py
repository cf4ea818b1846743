"""farmhand.api.envoy against a real local farm (its own process), driven from this
interpreter as a DCC or a pipeline script drives it: the seed's example with its imports
changed renders Blender jobs with a dependency and downloads their results; uploads and
``skip_upload``; a credits budget that stops a job; account, credits and machines; errors.
"""

import base64
import hashlib
import os
import shutil
import subprocess
import time

import pytest

from farmhand.api.envoy import (
    APIError,
    EnvoyClient,
    InvalidRequestError,
    Job,
    Project,
    WatchFile,
)
from tests.conftest import require

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

HERE = os.path.dirname(os.path.abspath(__file__))
SCENE_SCRIPT = """
import os, sys, bpy
out = os.path.abspath(sys.argv[sys.argv.index("--") + 1])
os.makedirs(os.path.join(out, "textures"), exist_ok=True)
bpy.ops.wm.read_factory_settings(use_empty=True)
scene = bpy.context.scene
image = bpy.data.images.new("grid", 32, 32)
image.generated_type = "COLOR_GRID"
image.filepath_raw = os.path.join(out, "textures", "grid.png")
image.file_format = "PNG"
image.save()
bpy.ops.mesh.primitive_cube_add(size=2.0)
cube = bpy.context.active_object
material = bpy.data.materials.new("grid")
material.use_nodes = True
texture = material.node_tree.nodes.new("ShaderNodeTexImage")
texture.image = bpy.data.images.load(os.path.join(out, "textures", "grid.png"))
shader = material.node_tree.nodes["Principled BSDF"]
material.node_tree.links.new(texture.outputs["Color"], shader.inputs["Base Color"])
cube.data.materials.append(material)
bpy.ops.object.camera_add(location=(5.0, -5.0, 4.0))
camera = bpy.context.active_object
camera.rotation_euler = (cube.location - camera.location).to_track_quat("-Z", "Y").to_euler()
scene.camera = camera
scene.render.engine = "CYCLES"
scene.cycles.device = "CPU"
scene.cycles.samples = 1
scene.cycles.use_denoising = False
scene.render.resolution_x = 32
scene.render.resolution_y = 24
scene.render.resolution_percentage = 100
bpy.ops.wm.save_as_mainfile(filepath=os.path.join(out, "scene.blend"))
bpy.ops.file.make_paths_relative()
bpy.ops.wm.save_mainfile(filepath=os.path.join(out, "scene.blend"))
"""


@pytest.fixture(scope="module")
def scene_folder(tmp_path_factory):
    blender = shutil.which("blender")
    require(blender, "Blender (scripts/bootstrap.sh system installs Debian's)")
    root = tmp_path_factory.mktemp("envoy")
    script = root / "build_scene.py"
    script.write_text(SCENE_SCRIPT)
    folder = root / "sample_project"
    subprocess.check_call(
        [blender, "-b", "--factory-startup", "--python-exit-code", "1", "--python",
         str(script), "--", str(folder)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=120,
    )
    for leftover in folder.glob("*.blend1"):
        leftover.unlink()
    (folder / "notes.txt").write_text("not needed by the render, uploaded all the same\n")
    return folder


@pytest.fixture
def envoy(client_farm, scene_folder, monkeypatch):
    """The farm's FARMHAND_HOME for this process (as a user's shell has it); a farm that is
    gone makes the client fail instead of starting another."""
    monkeypatch.setenv("FARMHAND_HOME", client_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    client = EnvoyClient()
    yield client
    client.close()


def wait_for(client, name, states, timeout=180):
    deadline = time.monotonic() + timeout
    while True:
        status = client.get_project_status(name)
        if status["State"] in states:
            return status
        if time.monotonic() > deadline:
            raise AssertionError("project {} still {}".format(name, status))
        time.sleep(0.5)


def md5_of(path):
    with open(path, "rb") as handle:
        return base64.b64encode(hashlib.md5(handle.read()).digest()).decode("ascii")


def project_of(folder, name, jobs, **kwargs):
    project = Project(str(folder), name=name, **kwargs)
    project.add_files(project.LocalRoot, project.RemoteRoot)
    project.add_jobs(*jobs)
    return project


def blender_job(client, name, path, **params):
    version = client.get_product_resolver().get_versions_by_type("blender")[-1]
    args = {"frames": "1", "output_prefix": name + ".", "output_format": "png"}
    args.update(params)
    return Job(name, "blender", version, "render", path, **args)


def test_the_seeds_example_renders_and_downloads(envoy, client_farm, scene_folder, tmp_path):
    download = tmp_path / "my_results"
    with open(os.path.join(HERE, "seed_envoy_example.txt")) as handle:
        code = compile(handle.read(), "seed_envoy_example.py", "exec")
    namespace = {
        "PROJECT_FOLDER": str(scene_folder),
        "TEXTURES_FOLDER": str(scene_folder / "textures"),
        "DOWNLOAD_PATH": str(download),
    }
    exec(code, namespace)
    assert namespace["resp"] == "sample_project"
    assert namespace["user_info"]["service_plan"] == "Local farm"
    assert sorted(namespace["products"]) == ["blender"]
    assert namespace["is_valid_credits"] is True
    assert any(m["is_default"] for m in namespace["cpu_machines"])
    assert namespace["resp_status"]["State"] in ("Submitted", "Running", "Completed")

    status = wait_for(envoy, "sample_project", ("Completed", "Failed", "Stopped"))
    assert status["State"] == "Completed", status
    assert status["Code"] == 200
    assert sorted(status["Details"]) == [
        "/sample_project/notes.txt",
        "/sample_project/scene.blend",
        "/sample_project/textures/grid.png",
    ]
    assert status["BytesDone"] == status["BytesTotal"] > 0
    jobs = {entry["Name"]: entry for entry in status["Jobs"]}
    assert jobs["test job"]["Tasks"] == 2 and jobs["test job"]["BudgetReached"] is False
    assert jobs["comp job"]["Dependencies"] == ["test job"]
    # the watch file brought every result home, by its path below the results folder
    results = sorted(
        os.path.relpath(os.path.join(d, f), str(download))
        for d, _, files in os.walk(str(download))
        for f in files
    )
    assert results == [
        "comp_job/comp.0005.png",
        "test_job/beauty.0001.png",
        "test_job/beauty.0002.png",
        "test_job/beauty.0003.png",
        "test_job/beauty.0004.png",
    ]
    # ... with the bytes the farm recorded, and the dependent job after the ones it waits on
    with client_farm.connector() as farm:
        job = farm.status(status["FarmJob"])
    recorded = {os.path.basename(o["path"]): o["md5"] for t in job.tasks for o in
                _outputs(t)}
    for name in results:
        assert md5_of(str(download / name)) == recorded[os.path.basename(name)]
    first_group_end = max(t.raw["completed_at"] for t in job.tasks[:2])
    assert job.tasks[2].raw["started_at"] >= first_group_end
    assert job.raw["metadata"]["envoy_project"] == "sample_project"


def _outputs(task):
    return [o for o in task.raw.get("outputs") or [] if isinstance(o, dict)]


def test_upload_first_then_submit_without_uploading(envoy, client_farm, scene_folder, tmp_path):
    project = project_of(scene_folder, "uploaded_first", [])
    assert envoy.upload_project_files(project) == "uploaded_first"
    status = envoy.get_project_status("uploaded_first")
    assert status["State"] == "Uploaded"
    assert status["Message"] == "3 files uploaded."
    assert all(d["State"] == "Completed" for d in status["Details"].values())

    # a later session: a project with no files added, jobs on the uploaded ones
    later = Project(str(scene_folder), name="uploaded_first", submission_name="again")
    job = blender_job(envoy, "again", "/uploaded_first/scene.blend", frames="2")
    later.add_jobs(job)
    later.add_watch_files(WatchFile(later.remote_output_folder + "/.+", str(tmp_path / "r")))
    written = client_farm.bytes_written()
    assert envoy.submit_project(later, True) == "uploaded_first"
    status = wait_for(envoy, "uploaded_first", ("Completed", "Failed", "Stopped"))
    assert status["State"] == "Completed", status
    assert (tmp_path / "r" / "again" / "again.0002.png").exists()
    # nothing was sent again: the farm wrote far less than the 460 kB scene
    assert client_farm.bytes_written() - written < 200000


def test_skip_upload_needs_uploaded_files(envoy, scene_folder):
    project = project_of(scene_folder, "never_uploaded", [])
    project.add_jobs(blender_job(envoy, "a", "/never_uploaded/scene.blend"))
    with pytest.raises(InvalidRequestError) as caught:
        envoy.submit_project(project, skip_upload=True)
    assert str(caught.value) == (
        "skip_upload: project 'never_uploaded' has no uploaded files; submit without"
        " skip_upload or call upload_project_files first"
    )


def test_a_credits_budget_stops_the_job(envoy, client_farm, scene_folder):
    job = blender_job(envoy, "costly", "/budgeted/scene.blend", frames="1 8", instances=8)
    job.set_credits_budget(value=0.5 / 3600, action=Job.CREDITS_BUDGET_ACTION_STOP)
    project = project_of(scene_folder, "budgeted", [job])
    envoy.submit_project(project, skip_auto_download=True)
    status = wait_for(envoy, "budgeted", ("Completed", "Failed", "Stopped"))
    assert status["State"] == "Stopped", status
    assert "Credits budget reached: costly (stop)." in status["Message"]
    (entry,) = status["Jobs"]
    assert entry["BudgetReached"] is True
    assert entry["CreditsConsumed"] >= 0.5 / 3600
    assert entry["TaskStates"].get("success", 0) < 8
    assert status["Downloads"]["WatchFiles"] == []


def test_account_credits_and_machines(envoy):
    assert envoy.authenticate("artist@example.com", "secret") is True
    info = envoy.get_user_info()
    assert sorted(info) == [
        "created", "credits_available", "credits_consumed", "email_address",
        "job_throughput_limit", "max_throughput", "name", "service_plan",
    ]
    assert info["email_address"] == "artist@example.com"
    assert info["credits_available"] == float("inf")
    assert info["credits_consumed"] >= 0.0
    assert envoy.validate_credits() is True
    machines = envoy.get_machines("blender", "render")
    assert [m for m in machines if m["is_default"]] and not [m for m in machines if m["gpu"]]
    with pytest.raises(InvalidRequestError) as caught:
        envoy.get_machines("c4d", "render", category=EnvoyClient.MACHINE_CATEGORY_CPU)
    assert str(caught.value) == "query: unknown product type 'c4d'; this farm offers: blender"


def test_bad_submissions_leave_nothing_on_the_farm(envoy, client_farm, scene_folder):
    with client_farm.connector() as farm:
        before = len(farm.jobs())
    project = project_of(scene_folder, "bad", [])
    project.add_jobs(blender_job(envoy, "a", "/bad/missing.blend"))
    with pytest.raises(InvalidRequestError) as caught:
        envoy.submit_project(project)
    assert str(caught.value).startswith(
        "jobs['a'].path: /bad/missing.blend is not among the project's files (3)"
    )
    old = Project(str(scene_folder), name="bad2")
    old.add_files(old.LocalRoot, old.RemoteRoot, ["scene.blend"])
    old.add_jobs(Job("b", "blender", "2.79", "render", "/bad2/scene.blend", frames="1",
                     output_prefix="b", output_format="png"))
    with pytest.raises(InvalidRequestError) as caught:
        envoy.submit_project(old)
    assert str(caught.value).startswith(
        "app_version: blender 2.79 is not offered by the local farm; its versions: "
    )
    with pytest.raises(InvalidRequestError) as caught:
        envoy.submit_project("bad")
    assert str(caught.value) == "project: expected a Project, got 'bad'"
    with client_farm.connector() as farm:
        assert len(farm.jobs()) == before
    assert envoy._backend.records.load("bad2") is None  # nothing recorded either


def test_status_of_an_unknown_project(envoy):
    with pytest.raises(InvalidRequestError) as caught:
        envoy.get_project_status("nowhere")
    assert str(caught.value).startswith("name: no project named 'nowhere'; projects: ")


def test_no_farm_is_an_api_error(tmp_path, monkeypatch):
    monkeypatch.setenv("FARMHAND_HOME", str(tmp_path / "empty"))
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    client = EnvoyClient()
    with pytest.raises(APIError) as caught:
        client.validate_auth()
    assert "could not start the local farm with `false farm start`" in str(caught.value)
