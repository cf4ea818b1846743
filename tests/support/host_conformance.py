"""The host-adapter conformance suite: what every adapter must do, checked the same way.

Plain functions over an adapter whose scene is saved (no pytest inside), so they run in a
pytest process against a fake host (Maya, Houdini, Clarisse) and inside the real host too
(Blender runs them in its own Python and reports each result). ``CHECKS`` lists them; each
takes the adapter and raises ``AssertionError`` saying what is wrong. They create job nodes,
so give each check a fresh scene when the order matters to you (it does not to them).
"""

import json
import os
from dataclasses import fields

from farmhand.core.deps import FileReference
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec
from farmhand.core.host import DetectedPackage, HostError, SceneOutputs
from farmhand.core.host.path_patterns import has_tiles
from farmhand.core.job import EnvEntry, HostContext, JobSettings


def every_field_set():
    """Settings where every field differs from its default (a lossless store keeps them)."""
    settings = JobSettings(
        job_title="Conformance <job> <sequence>",
        project="lighting",
        priority=7,
        location="paris",
        metadata={"shot": "sh010", "note": 'caf\u00e9 "quoted"'},
        notify=["a@example.com", "b@example.com"],
        instance_type="standard-2",
        machine_flavor="highmem",
        cores=4,
        preemptible=True,
        retries=2,
        autoretry_policy={"failed": {"max_retries": 3}},
        use_custom_frames=False,
        frames="1-20x2,30",
        chunk_size=3,
        chunk_strategy="cycle",
        best_chunk_size=True,
        max_tasks=77,
        use_scout_frames=False,
        scout_frames="1,9",
        tiles=4,
        task_template="render -s <chunkstart> -e <chunkend> <render_package>",
        tasks_data=[{"command": "echo 1", "frames": "1"}],
        output_path="/renders/out put",
        software_package_ids=["abc", "def"],
        environment={"A": "1"},
        extra_environment=[EnvEntry("PATH", "/opt/bin", "append")],
        upload_paths=["/textures/a b.png"],
        dependency_scan_policy="glob",
        missing_files="warning",
        local_upload=False,
        force_upload=True,
        upload_only=True,
        log_level="DEBUG",
        show_tracebacks=True,
        farm="slurm",
        max_instances=4,
    )
    defaults = JobSettings()
    same = [
        f.name
        for f in fields(JobSettings)
        if getattr(settings, f.name) == getattr(defaults, f.name)
    ]
    assert not same, "the fixture leaves defaults: {}".format(same)
    return settings


def check_identity(adapter):
    assert isinstance(adapter.name, str) and adapter.name, "adapter.name is {!r}".format(
        adapter.name
    )
    assert adapter.name == adapter.name.lower(), (
        "adapter.name must be the catalogue's lower-case product"
    )
    assert isinstance(adapter.node_type, str) and adapter.node_type


def check_scene_file(adapter):
    scene = adapter.scene_file()
    assert os.path.isabs(scene), "scene_file() is not absolute: {!r}".format(scene)
    assert os.path.isfile(scene), "scene_file() does not exist: {!r}".format(scene)
    assert isinstance(adapter.project_dir(), str) and os.path.isabs(adapter.project_dir())


def check_frame_range(adapter):
    text = adapter.frame_range()
    assert isinstance(text, str)
    assert len(FrameSpec.parse(text)) > 0, "frame_range() is empty: {!r}".format(text)


def check_software(adapter):
    found = adapter.software()
    assert found, "software() found nothing"
    for item in found:
        assert isinstance(item, DetectedPackage), "not a DetectedPackage: {!r}".format(item)
        assert item.product and item.version, "product and version needed: {!r}".format(item)
    hosts = [item.product for item in found if not item.is_plugin]
    assert hosts == [adapter.name], "one host product, the adapter's: {}".format(hosts)
    for plugin in found:
        if plugin.is_plugin:
            assert plugin.plugin_host_product == adapter.name, plugin


def check_file_references(adapter):
    for reference in adapter.file_references():
        assert isinstance(reference, FileReference), "not a FileReference: {!r}".format(reference)
        assert os.path.isabs(reference.path), "not absolute: {!r}".format(reference.path)
        assert not has_tiles(reference.path), "tile tokens left: {!r}".format(reference.path)
        assert isinstance(reference.frame_offset, int), reference


def check_job_nodes(adapter):
    before = [node.name for node in adapter.job_nodes()]
    first = adapter.new_job()
    second = adapter.new_job()
    names = [node.name for node in adapter.job_nodes()]
    assert first.name != second.name, "two new jobs share the name {!r}".format(first.name)
    assert set(names) == set(before) | {first.name, second.name}, names
    assert adapter.job_node(second.name).name == second.name
    try:
        adapter.job_node("no such job")
    except HostError as error:
        assert "no such job" in str(error) and first.name in str(error), str(error)
    else:
        raise AssertionError("job_node() of an unknown name did not raise HostError")


def check_default_settings(adapter):
    node = adapter.new_job()
    settings = node.read_settings()
    assert settings == adapter.default_settings(node), "new_job() did not store its defaults"
    assert settings.task_template, "a new job has no task template"
    FrameSpec.parse(settings.frames)


def check_settings_round_trip(adapter):
    node = adapter.new_job()
    settings = every_field_set()
    node.write_settings(settings)
    again = adapter.job_node(node.name).read_settings()
    assert again == settings, "settings changed in the node: {} != {}".format(again, settings)


def check_mirrored_fields(adapter):
    node = adapter.new_job()
    names = [f.name for f in fields(JobSettings)]
    for field in node.mirrored_fields:
        assert field in names, "mirrored field {!r} is not a setting".format(field)
        assert node.attribute_of(field), field
    settings = every_field_set()
    node.write_settings(settings)
    mirrored = node.read_mirrored()
    assert sorted(mirrored) == sorted(node.mirrored_fields), mirrored
    for field, value in mirrored.items():
        assert value == getattr(settings, field), (field, value)


def check_bad_settings_text(adapter):
    node = adapter.new_job()
    node.write_text("{not json")
    try:
        node.read_settings()
    except InputError as error:
        assert node.name in str(error) and "not JSON" in str(error), str(error)
    else:
        raise AssertionError("bad JSON in a node did not raise")
    node.write_text("")
    defaults = JobSettings(**node.read_mirrored())
    assert node.read_settings() == defaults, "an empty settings attribute should give defaults"


def check_outputs_and_context(adapter):
    node = adapter.new_job()
    outputs = adapter.outputs(node)
    assert isinstance(outputs, SceneOutputs), outputs
    assert all(isinstance(s, str) and s for s in outputs.sources), outputs
    assert all(os.path.isabs(d) for d in outputs.directories), outputs
    context = adapter.context(node, "/tmp/package")
    assert isinstance(context, HostContext)
    assert context.job_name == node.name and context.submitter == node.name
    assert context.render_package == "/tmp/package"
    assert context.frames == adapter.node_frame_range(node)
    FrameSpec.parse(context.frames)
    assert list(context.sources) == list(outputs.sources)


def check_build(adapter):
    node = adapter.new_job()
    scene = adapter.scene_file()
    package = adapter.render_package_path(node)
    if os.path.exists(package):
        os.remove(package)
    submission = adapter.build(node)
    assert os.path.isfile(package), "build() did not write the render package {}".format(package)
    assert adapter.scene_file() == scene, "saving the render package changed the scene's file"
    assert submission.context.render_package == package
    assert os.path.abspath(package) in submission.upload_files, submission.upload_files
    json.loads(submission.payload_json())


CHECKS = [
    check_identity,
    check_scene_file,
    check_frame_range,
    check_software,
    check_file_references,
    check_job_nodes,
    check_default_settings,
    check_settings_round_trip,
    check_mirrored_fields,
    check_bad_settings_text,
    check_outputs_and_context,
    check_build,
]


def run_all(adapter):
    """``{check name: None or the failure text}`` for every check (for in-host runs)."""
    results = {}
    for check in CHECKS:
        try:
            check(adapter)
            results[check.__name__] = None
        except Exception as error:  # noqa: BLE001 - reported per check
            results[check.__name__] = "{}: {}".format(type(error).__name__, error)
    return results
