"""The seed's local paths through the site's path mapping (``core.path_mapping``): a script
written on Windows names ``c:\\...``; the project folder, ``add_files`` folders and watch
file download paths are mapped before anything is read. Also what the seed's Cinema 4D
example needs from a site catalogue: the package's environment travels with the job, and a
C4D job without ``output_prefix`` names its images after the scene. Runs on every host
Python (3.7 to 3.13), without a farm."""

import json
import os

import pytest

from farmhand.api.envoy import InvalidRequestError, Job, Project, WatchFile
from farmhand.api.envoy.commands import COMMANDS, TaskContext
from farmhand.api.envoy.local_payload import build_payload
from farmhand.api.envoy.local_products import LocalProducts
from farmhand.core.catalogue import (
    Catalogue,
    InstanceType,
    PackageEnvironmentEntry,
    SoftwarePackage,
)
from farmhand.core.frames import chunk_frames

posix_only = pytest.mark.skipif(os.name == "nt", reason="unmapped Windows paths are POSIX's error")

C4D = SoftwarePackage(
    "c4d-r19",
    "c4d",
    "R19",
    environment=(
        PackageEnvironmentEntry("PATH", "/opt/c4d/bin", "prepend"),
        PackageEnvironmentEntry("C4D_LICENSE", "site", "exclusive"),
    ),
)
CATALOGUE = Catalogue(("default",), (InstanceType("gm4800", 1, 2.0),), (C4D,))


@pytest.fixture
def drive(tmp_path, monkeypatch):
    """``c:\\`` is ``<tmp>/drive_c`` here, by the user's FARMHAND_PATH_MAP."""
    root = tmp_path / "drive_c"
    project = root / "sample_project"
    (project / "assets").mkdir(parents=True)
    (project / "sample.c4d").write_bytes(b"c4d")
    (project / "another_file.ext").write_bytes(b"x")
    (project / "assets" / "wood.png").write_bytes(b"png")
    (root / "elsewhere").mkdir()
    (root / "elsewhere" / "outside.txt").write_bytes(b"o")
    monkeypatch.setenv("FARMHAND_PATH_MAP", json.dumps({"c:\\": str(root)}))
    return root


def c4d_job(**params):
    args = {"frames": "0 0 1", "output_height": 600, "output_width": 400}
    args["output_format"] = "tiff"
    args.update(params)
    return Job("test job", "c4d", "R19", "render", "sample_project/sample.c4d", 5, "gm4800",
               None, **args)


def test_the_project_folder_add_files_and_download_path_are_mapped(drive):
    project = Project("c:\\sample_project", name="sample_project", output_folder_name="r")
    assert project.LocalRoot == os.path.realpath(str(drive / "sample_project"))
    project.add_files("C:\\sample_project", project.RemoteRoot, ["sample.c4d"])
    project.add_files("c:/sample_project/assets", project.RemoteRoot + "/assets")
    project.add_files("c:\\elsewhere", project.RemoteRoot)  # outside: left out, as the seed says
    assert sorted(project.files) == [
        "/sample_project/assets/wood.png",
        "/sample_project/sample.c4d",
    ]
    assert project.ignored == [
        (os.path.realpath(str(drive / "elsewhere")),
         "outside the project folder {}".format(project.LocalRoot))
    ]
    watch = WatchFile(project.remote_output_folder + "/.+", "c:\\sample_project\\my_results")
    assert watch.download_path == str(drive / "sample_project" / "my_results")
    assert watch.serialize == {project.remote_output_folder + "/.+": watch.download_path}


def test_a_mapped_folder_that_is_missing_names_both_paths(drive):
    with pytest.raises(InvalidRequestError) as caught:
        Project("c:\\no_such_project")
    assert str(caught.value) == "project_folder: c:\\no_such_project is not a folder (mapped to" \
        " {})".format(drive / "no_such_project")
    project = Project("c:\\sample_project")
    with pytest.raises(InvalidRequestError) as caught:
        project.add_files("c:\\sample_project\\textures", project.RemoteRoot)
    assert str(caught.value) == (
        "local_folder: c:\\sample_project\\textures is not a folder (mapped to {})".format(
            drive / "sample_project" / "textures"
        )
    )


@posix_only
@pytest.mark.parametrize(
    "make, field, path",
    [
        (lambda: Project("c:\\sample_project"), "project_folder", "c:\\sample_project"),
        (lambda: WatchFile("/p/.+", "c:\\sample_project\\my_results"), "download_path",
         "c:\\sample_project\\my_results"),
        (lambda: WatchFile("/p/.+", "\\\\nas\\results"), "download_path", "\\\\nas\\results"),
    ],
)
def test_an_unmapped_windows_path_is_refused_naming_the_field(monkeypatch, make, field, path):
    monkeypatch.delenv("FARMHAND_PATH_MAP", raising=False)
    with pytest.raises(InvalidRequestError) as caught:
        make()
    assert caught.value.field == field
    assert str(caught.value).startswith(
        "{}: {} is a Windows path and no path mapping rule covers it on this machine; map its"
        " drive or folder to a local one with FARMHAND_PATH_MAP=".format(field, path)
    )


@posix_only
def test_an_unmapped_add_files_folder_is_refused(drive, monkeypatch):
    project = Project("c:\\sample_project")
    monkeypatch.setenv("FARMHAND_PATH_MAP", json.dumps({"d:\\": str(drive)}))
    with pytest.raises(InvalidRequestError) as caught:
        project.add_files("c:\\sample_project\\assets", project.RemoteRoot)
    assert caught.value.field == "local_folder"
    assert "c:\\sample_project\\assets is a Windows path and no path mapping rule" in str(
        caught.value
    )
    assert project.files == {}


def test_a_bad_rule_names_its_source_and_the_value_that_needed_it(monkeypatch, tmp_path):
    monkeypatch.setenv("FARMHAND_PATH_MAP", '[{"from": "c:\\\\", "to": "relative"}]')
    with pytest.raises(InvalidRequestError) as caught:
        Project(str(tmp_path))
    assert str(caught.value) == (
        "project_folder: {} cannot be mapped: FARMHAND_PATH_MAP[0]: 'to' must be an absolute"
        " path (c:\\..., \\\\server\\share, /...), got 'relative'".format(tmp_path)
    )


def test_a_c4d_job_carries_its_packages_environment_and_is_named_after_the_scene(drive):
    project = Project("c:\\sample_project", name="sample_project", submission_name="s",
                      project_env={"SHOT": "010"})
    project.add_files("c:\\sample_project", project.RemoteRoot, ["sample.c4d"])
    project.add_jobs(c4d_job())
    payload, groups = build_payload(
        project, LocalProducts(CATALOGUE), sorted(project.files), [], "/farm/r"
    )
    assert payload["environment"] == {
        "SHOT": "010", "PATH": "/opt/c4d/bin", "C4D_LICENSE": "site"
    }
    assert payload["software_package_ids"] == ["c4d-r19"]
    assert payload["instance_type"] == "gm4800" and groups[0]["machine_type"] == "gm4800"
    (task,) = payload["tasks_data"]
    assert task["command"] == (
        "Commandline -nogui -render \"$FARMHAND_INPUTS\"/sample_project/sample.c4d -frame 0 0 1"
        " -oimage /farm/r/test_job/sample -oformat TIFF -oresolution 400 600"
    )
    assert COMMANDS["c4d"](
        TaskContext("s", "/o", dict(c4d_job().params, output_prefix="beauty_"), "sample"),
        next(iter(chunk_frames(c4d_job().frame_spec, 1, "progressions"))),
    ) == "Commandline -nogui -render s -frame 0 0 1 -oimage /o/beauty_ -oformat TIFF" \
        " -oresolution 400 600"


def test_a_project_variable_that_conflicts_with_a_package_is_refused(drive):
    project = Project("c:\\sample_project", project_env={"C4D_LICENSE": "mine"})
    project.add_files("c:\\sample_project", project.RemoteRoot, ["sample.c4d"])
    project.add_jobs(c4d_job())
    with pytest.raises(InvalidRequestError) as caught:
        build_payload(project, LocalProducts(CATALOGUE), sorted(project.files), [], "/r")
    assert caught.value.field == "project_env"
    assert str(caught.value).startswith("project_env: ")
    assert "C4D_LICENSE" in str(caught.value) and "'mine'" in str(caught.value)
