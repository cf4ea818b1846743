"""What every adapter shares: the context it builds, the render package it writes and
uploads, the job nodes it finds, and the errors it gives."""

import os

import pytest
from memory_host import MemoryAdapter, MemoryScene

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.deps import FileReference
from farmhand.core.host import HostError, render_package_path
from farmhand.core.job import JobSettings


def test_render_package_goes_next_to_the_scene_named_after_the_job():
    assert render_package_path("/shots/sh010.ma", "farmhandJob1") == (
        "/shots/sh010_farmhand_farmhandJob1.ma"
    )
    assert render_package_path("/shots/sh010.blend", "my job/2") == (
        "/shots/sh010_farmhand_my_job_2.blend"
    )


def test_an_unsaved_scene_has_no_render_package():
    with pytest.raises(HostError) as caught:
        render_package_path("", "job")
    assert str(caught.value) == (
        "scene: the scene has never been saved; save it first (the render package is written "
        "next to it)"
    )


def test_an_unknown_job_node_lists_the_scenes_nodes(adapter):
    adapter.new_job("lighting")
    adapter.new_job("fx")
    with pytest.raises(HostError) as caught:
        adapter.job_node("comp")
    assert str(caught.value) == (
        "job node: no MemoryJob named 'comp' in this scene; job nodes: 'fx', 'lighting'"
    )
    empty = MemoryAdapter(MemoryScene())
    with pytest.raises(HostError, match="job nodes: \\(none\\)"):
        empty.job_node("comp")


def test_new_jobs_start_from_the_scene(adapter, scene):
    scene.frames = "5-25"
    node = adapter.new_job()
    assert node.name == "memoryJob1"
    settings = node.read_settings()
    assert (settings.use_custom_frames, settings.frames) == (False, "5-25")
    assert settings.output_path == "/renders/beauty"
    assert settings.task_template == "memoryrender -s <chunkstart> -e <chunkend> <render_package>"
    assert adapter.new_job().name == "memoryJob2"


def test_context_is_plain_data_from_the_scene(adapter, scene, tmp_path):
    scene.references = ["/tex/a.png", FileReference("/seq/b.####.exr", -100)]
    node = adapter.new_job("lighting")
    catalogue = Catalogue(
        packages=(
            SoftwarePackage("mh", "memoryhost", "1", "2", "3"),
            SoftwarePackage(
                "mr",
                "memoryrender",
                "2",
                "0",
                plugin_host_product="memoryhost",
                plugin_host_version="1.2.3",
            ),
        )
    )
    context = adapter.context(node, "/pkg.mem", catalogue)
    assert context.job_name == context.submitter == "lighting"
    assert context.sources == ["beauty"] and context.output_directories == ["/renders/beauty"]
    assert context.pdir == str(tmp_path / "shots")
    assert context.frames == "1-10"
    assert context.software_package_ids == ["mh", "mr"]
    assert context.file_references == [
        FileReference("/tex/a.png"),
        FileReference("/seq/b.####.exr", -100),
    ]
    assert adapter.context(node).software_package_ids == []


def test_build_writes_the_package_and_always_uploads_it(adapter, scene, tmp_path):
    texture = tmp_path / "tex.png"
    texture.write_text("t")
    scene.references = [str(texture)]
    node = adapter.new_job("lighting")
    node.write_settings(
        JobSettings(
            frames="1-4",
            instance_type="standard-2",
            task_template="r <render_package> <chunkstart>",
            dependency_scan_policy="none",
        )
    )
    submission = adapter.build(node)
    package = str(tmp_path / "shots" / "shot010_farmhand_lighting.mem")
    assert os.path.isfile(package)
    assert submission.ok, list(submission.validation)
    # policy none: scanned references are not uploaded, the package still is
    assert submission.upload_files == [package]
    assert submission.tasks[0]["command"] == 'r "{}" 1'.format(package)
    assert str(adapter.asked_frames) == "1-4"  # the scan knows the job's frames
    assert node.read_settings().upload_paths == []  # the node keeps its own settings


def test_build_with_the_submitters_settings(adapter, scene, tmp_path):
    node = adapter.new_job("lighting")
    edited = JobSettings(frames="2", instance_type="x", task_template="r <chunkstart>")
    submission = adapter.build(node, edited)
    assert submission.tasks[0]["command"] == "r 2"
    assert str(adapter.asked_frames) == "2"
    adapter.build(node, JobSettings(use_custom_frames=False))
    assert str(adapter.asked_frames) == "1-10"  # the scene's range
    adapter.build(node, JobSettings(frames="1-"))
    assert adapter.asked_frames is None  # not a frame spec: the job model reports it
    adapter.build(node, JobSettings(tasks_data=[{"command": "x", "frames": "3"}]))
    assert adapter.asked_frames is None


def test_build_of_an_unsaved_scene_says_to_save_it(tmp_path):
    adapter = MemoryAdapter(MemoryScene())
    node = adapter.new_job("lighting")
    with pytest.raises(HostError, match="never been saved"):
        adapter.build(node)


def test_build_with_a_catalogue_fills_detected_packages(adapter, scene):
    node = adapter.new_job("lighting")
    node.write_settings(JobSettings(frames="1", instance_type="standard-2", task_template="r"))
    catalogue = Catalogue(
        instance_types=(InstanceType("standard-2", 2, 7.5),),
        packages=(SoftwarePackage("mh", "memoryhost", "1", "2", "3"),),
    )
    payload = adapter.build(node, None, catalogue).to_payload()
    assert payload["software_package_ids"] == ["mh"]
