"""The Maya adapter's answers: frames, software, layers and cameras, the render command, the
render package, and the payload they make."""

import os

import pytest

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.host import DetectedPackage, HostError
from farmhand.core.job import JobSettings


def set_globals(maya, **values):
    for name, value in values.items():
        maya.nodes["defaultRenderGlobals"].attributes[name].value = value


def test_frame_range_from_the_render_settings(adapter, maya):
    set_globals(maya, startFrame=101.0, endFrame=148.0, byFrameStep=1.0)
    assert adapter.frame_range() == "101-148"
    set_globals(maya, byFrameStep=2.0)
    assert adapter.frame_range() == "101-148x2"
    set_globals(maya, animation=False)
    maya.current_time = 37.0
    assert adapter.frame_range() == "37"


def test_maya_and_its_renderer_are_detected(adapter, maya):
    maya.api_version = 20220300
    assert adapter.software() == [DetectedPackage("maya", "2022.3")]
    maya.api_version = 20230105
    maya.load_plugin("mtoa", "5.2.1")
    maya.set_renderer("arnold")
    assert adapter.software() == [
        DetectedPackage("maya", "2023.1.5"),
        DetectedPackage("arnold-maya", "5.2.1", "maya", "2023.1.5"),
    ]
    maya.set_renderer("redshift")  # its plug-in is not loaded: nothing to ask the farm for
    assert adapter.software() == [DetectedPackage("maya", "2023.1.5")]


def test_detected_versions_find_the_farms_packages(adapter, maya):
    maya.load_plugin("mtoa", "5.1.0")
    maya.set_renderer("arnold")
    catalogue = Catalogue(
        packages=(
            SoftwarePackage("m2022", "maya", "2022"),
            SoftwarePackage("m2023", "maya", "2023"),
            SoftwarePackage(
                "mtoa",
                "arnold-maya",
                "5",
                "1",
                "0",
                plugin_host_product="maya",
                plugin_host_version="2022",
            ),
        )
    )
    assert adapter.detect_package_ids(catalogue) == ["m2022", "mtoa"]


def test_the_layers_are_the_sources_as_the_job_sets_them(adapter, maya):
    maya.render_layer("rs_beauty")
    maya.render_layer("rs_shadow", renderable=False)
    maya.render_layer("rs_char")
    node = adapter.new_job()  # every renderable layer, in one job
    assert node.layer_mode() == "all"
    outputs = adapter.outputs(node)
    assert outputs.sources == ["defaultRenderLayer", "rs_beauty", "rs_char"]
    assert outputs.directories == [os.path.join(maya.project, "images")]
    maya.current_layer = "rs_shadow"  # current: the layer current when it is built
    node.set_layer_mode("current")
    assert adapter.outputs(node).sources == ["rs_shadow"]
    node.set_layer_mode("perLayer")
    assert [(job.name, job.layer) for job in adapter.layer_jobs(node)] == [
        ("farmhandJob1_defaultRenderLayer", "defaultRenderLayer"),
        ("farmhandJob1_rs_beauty", "rs_beauty"),
        ("farmhandJob1_rs_char", "rs_char"),
    ]
    assert adapter.outputs(adapter.layer_jobs(node)[1]).sources == ["rs_beauty"]


def test_unknown_cameras_and_layer_modes_are_named_with_the_choices(adapter, maya):
    node = adapter.new_job()
    node.set_camera("shotcam")
    with pytest.raises(HostError) as caught:
        adapter.outputs(node)
    assert str(caught.value) == "camera: unknown camera 'shotcam'; this scene's cameras: persp, top"
    with pytest.raises(HostError) as caught:
        node.set_layer_mode("every")
    assert str(caught.value) == (
        "renderLayerMode: unknown render layer mode 'every'; choices: current, all, perLayer"
    )


def test_no_renderable_layer_is_an_error_that_says_what_to_do(adapter, maya):
    maya.nodes["defaultRenderLayer"].attributes["renderable"].value = False
    with pytest.raises(HostError) as caught:
        adapter.new_job()
    assert str(caught.value) == (
        "renderLayerMode: no render layer of this scene is renderable; make one renderable, "
        "or set the job to render the current layer"
    )
    assert not [name for name in maya.nodes if name.startswith("farmhandJob")]  # none left
    assert adapter.new_job(layer_mode="current").name == "farmhandJob1"


def test_referenced_layers_are_not_rendered_from_here(adapter, maya):
    layer = maya.render_layer("char:rs_beauty")
    maya.reference("charRN", "/assets/char.ma", [layer])
    node = adapter.new_job()
    assert adapter.outputs(node).sources == ["defaultRenderLayer"]


@pytest.mark.parametrize(
    "renderer, flag",
    [
        ("mayaSoftware", "sw"),
        ("mayaHardware2", "hw2"),
        ("arnold", "arnold"),
        ("redshift", "redshift"),
        ("vray", "vray"),
        ("renderman", "renderman"),
        ("octane", "file"),
    ],
)
def test_the_render_command_uses_the_scenes_renderer(adapter, maya, renderer, flag):
    maya.set_renderer(renderer)
    assert (
        adapter.new_job().read_settings().task_template.startswith("Render -r {} -s ".format(flag))
    )


def test_the_default_template_renders_the_chunk_layer_output_and_project(adapter, maya):
    """Render with the chunk, the layer (none for every renderable layer: Render renders
    them), the output folder and the project, then the package."""
    maya.render_layer("rs_beauty")
    maya.camera("shotCam")
    all_layers = adapter.new_job()
    current = adapter.new_job(layer_mode="current")
    per_layer = adapter.new_job(layer_mode="perLayer")
    assert all_layers.read_settings().task_template == (
        "Render -r sw -s <chunkstart> -e <chunkend> -b <chunkstep> -rd <directories> "
        '-proj "<pdir>" <render_package>'
    )
    for node in (current, per_layer):
        assert node.read_settings().task_template == (
            "Render -r sw -s <chunkstart> -e <chunkend> -b <chunkstep> -rl <sources> "
            '-rd <directories> -proj "<pdir>" <render_package>'
        )
    current.set_camera("shotCam")
    assert adapter.default_task_template(current) == (
        "Render -r sw -s <chunkstart> -e <chunkend> -b <chunkstep> -rl <sources> "
        '-rd <directories> -cam shotCam -proj "<pdir>" <render_package>'
    )


def test_an_untouched_template_follows_the_scene_an_edited_one_is_kept(adapter, maya):
    maya.render_layer("rs_beauty")
    node = adapter.new_job()
    settings = node.read_settings()
    settings.frames, settings.use_custom_frames = "1-2", True
    node.write_settings(settings)
    maya.set_renderer("arnold")
    node.set_layer_mode("current")
    maya.current_layer = "rs_beauty"
    submission = adapter.build(node)
    assert submission.tasks[0]["command"].startswith(
        "Render -r arnold -s 1 -e 1 -b 1 -rl rs_beauty -rd "
    )
    assert node.read_settings().task_template.startswith("Render -r arnold ")  # stored too
    assert node.read_settings().frames == "1-2"
    edited = node.read_settings()
    edited.task_template = "Render -r arnold -s <chunkstart> -e <chunkend> <render_package>"
    node.write_settings(edited)
    maya.set_renderer("redshift")
    assert adapter.build(node).tasks[0]["command"].startswith("Render -r arnold -s 1 -e 1 ")
    assert node.read_settings().task_template == edited.task_template


def test_one_job_per_layer_shares_one_render_package(adapter, maya, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    maya.render_layer("rs_beauty")
    maya.render_layer("rs_char")
    node = adapter.new_job("lighting", layer_mode="perLayer")
    with pytest.raises(HostError) as caught:
        adapter.build(node)
    assert str(caught.value) == (
        "renderLayerMode: lighting renders one job per render layer; build or submit its "
        "layers' jobs (lighting_defaultRenderLayer, lighting_rs_beauty, lighting_rs_char)"
    )
    submissions = adapter.build_jobs(node)
    package = os.path.join(maya.project, "scenes", "shot_farmhand_lighting.ma")
    assert maya.exports == [(package, "mayaAscii", True)]  # written once for the three
    assert [s.job_title for s in submissions] == [
        "Farmhand lighting_defaultRenderLayer 1-10",
        "Farmhand lighting_rs_beauty 1-10",
        "Farmhand lighting_rs_char 1-10",
    ]
    assert [s.tasks[0]["command"].split(" -rd ")[0] for s in submissions] == [
        "Render -r sw -s 1 -e 1 -b 1 -rl defaultRenderLayer",
        "Render -r sw -s 1 -e 1 -b 1 -rl rs_beauty",
        "Render -r sw -s 1 -e 1 -b 1 -rl rs_char",
    ]
    assert all(package in s.upload_files for s in submissions)
    adapter.build_jobs(node)
    assert len(maya.exports) == 2  # a new submission writes it again


def test_the_render_package_is_the_scene_exported_next_to_it(adapter, maya):
    node = adapter.new_job("lighting")
    node.write_settings(
        JobSettings(
            frames="1-4",
            chunk_size=2,
            instance_type="standard-2",
            task_template=adapter.default_task_template(node),
        )
    )
    maya.reference("charRN", "/assets/char.ma")
    submission = adapter.build(node)
    package = os.path.join(maya.project, "scenes", "shot_farmhand_lighting.ma")
    assert maya.exports == [(package, "mayaAscii", True)]  # references kept as references
    assert maya.scene_name.endswith("shot.ma")  # the open scene keeps its name
    with open(package) as handle:
        assert 'createNode farmhandJob -n "lighting";' in handle.read()
    assert submission.tasks[0]["command"] == (
        'Render -r sw -s 1 -e 2 -b 1 -rd "{}" -proj "{}" "{}"'.format(
            os.path.join(maya.project, "images"), maya.project, package
        )
    )
    assert submission.context.sources == ["defaultRenderLayer"]


def test_a_scene_saved_as_binary_exports_binary_and_an_unsaved_one_is_refused(adapter, maya):
    node = adapter.new_job("lighting")
    maya.scene_name = maya.scene_name[:-3] + ".mb"
    open(maya.scene_name, "w").close()
    adapter.save_render_package(adapter.render_package_path(node))
    assert maya.exports[-1][1] == "mayaBinary"
    with pytest.raises(HostError, match="must be a .ma or .mb file"):
        adapter.save_render_package(maya.scene_name[:-3] + ".txt")
    maya.scene_name = ""
    with pytest.raises(HostError, match="^scene: the scene has never been saved"):
        adapter.build(node)


def test_the_payload_of_a_maya_job(adapter, maya, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    maya.render_layer("rs_beauty")
    maya.current_layer = "rs_beauty"
    job = adapter.new_job("beauty", layer_mode="current")
    settings = job.read_settings()
    settings.instance_type = "standard-2"
    settings.chunk_size = 5
    job.write_settings(settings)
    catalogue = Catalogue(
        instance_types=(InstanceType("standard-2", 2, 7.5),),
        packages=(SoftwarePackage("m2022", "maya", "2022", "3"),),
    )
    payload = adapter.build(job, None, catalogue).to_payload()
    assert payload["job_title"] == "Farmhand beauty 1-10"
    assert payload["software_package_ids"] == ["m2022"]
    assert [task["frames"] for task in payload["tasks_data"]] == ["1-5", "6-10"]
    assert payload["tasks_data"][1]["command"].startswith(
        "Render -r sw -s 6 -e 10 -b 1 -rl rs_beauty -rd "
    )
    assert payload["output_path"] == os.path.join(maya.project, "images")


def test_a_node_of_another_host_is_refused(adapter):
    from memory_host import MemoryJobNode, MemoryScene

    with pytest.raises(HostError) as caught:
        adapter.outputs(MemoryJobNode(MemoryScene(), "memoryJob1"))
    assert str(caught.value) == "job node: <MemoryJobNode 'memoryJob1'> is not a Maya job node"
