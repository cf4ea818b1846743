"""Maya job nodes: ``farmhandJob`` nodes of the type Farmhand's plug-in registers, holding
every setting, the artist's attributes winning, and errors naming the node and the attribute
the artist sees."""

import json

import pytest

from farmhand.core.host import HostError, JobNodeError
from farmhand.core.job import JobSettings


def test_the_plugin_registers_the_farmhand_job_node_type(plugin, maya):
    registered = maya.plugin_types["farmhandJob"]
    assert registered.type_id.id() == 0x0007F4A1
    attributes = {a.long_name: a for a in registered.attributes}
    assert list(attributes) == [
        "renderLayerMode",
        "camera",
        "jobTitle",
        "project",
        "instanceType",
        "preemptible",
        "retries",
        "useCustomFrames",
        "frames",
        "chunkSize",
        "bestChunkSize",
        "useScoutFrames",
        "scoutFrames",
        "tiles",
        "outputPath",
        "taskTemplate",
        "dependencyScanPolicy",
        "localUpload",
        "forceUpload",
        "uploadOnly",
        "logLevel",
        "showTracebacks",
        "farmhand_settings",
        "farmhandDefaultTemplate",
    ]
    mode = attributes["renderLayerMode"]
    assert (mode.kind, mode.nice_name, mode.default) == ("enum", "Render Layers", 1)
    assert list(mode.fields.items()) == [
        ("Current Layer", 0),
        ("All Renderable Layers (one job)", 1),
        ("One Job per Renderable Layer", 2),
    ]
    assert list(attributes["dependencyScanPolicy"].fields) == ["No Scan", "Smart Sequence", "Glob"]
    chunk = attributes["chunkSize"]
    assert (chunk.kind, chunk.default, chunk.minimum, chunk.nice_name) == (
        "long",
        1,
        1,
        "Chunk Size",
    )
    assert attributes["preemptible"].kind == "bool"
    assert attributes["frames"].kind == "string"
    hidden = sorted(name for name, a in attributes.items() if a.flags["hidden"])
    assert hidden == ["farmhandDefaultTemplate", "farmhand_settings"]
    assert all(a.flags["storable"] and not a.flags["keyable"] for a in attributes.values())
    assert len({a.short_name for a in attributes.values()}) == len(attributes)


def test_a_new_job_is_a_farmhand_job_node(adapter, maya):
    node = adapter.new_job()
    assert node.name == "farmhandJob1"
    assert maya.nodes["farmhandJob1"].type == "farmhandJob"
    attributes = maya.nodes["farmhandJob1"].attributes
    assert attributes["frames"].value == "1-10" and attributes["chunkSize"].value == 1
    assert attributes["renderLayerMode"].value == 1  # every renderable layer, one job
    assert attributes["taskTemplate"].value == (
        "Render -r sw -s <chunkstart> -e <chunkend> -b <chunkstep> -rd <directories> "
        '-proj "<pdir>" <render_package>'
    )
    assert attributes["farmhandDefaultTemplate"].value == attributes["taskTemplate"].value
    assert attributes["dependencyScanPolicy"].value == 1  # smart
    assert attributes["logLevel"].value == 1  # INFO
    assert adapter.new_job().name == "farmhandJob2"
    maya.add("network", "someoneElses")
    assert [job.name for job in adapter.job_nodes()] == ["farmhandJob1", "farmhandJob2"]


def test_the_attribute_editor_wins_over_the_stored_json(adapter, maya):
    node = adapter.new_job()
    node.write_settings(JobSettings(frames="1-5", chunk_size=2))
    attributes = maya.nodes[node.name].attributes
    attributes["chunkSize"].value = 5  # edited in the Attribute Editor
    attributes["dependencyScanPolicy"].value = 2
    attributes["preemptible"].value = True
    settings = node.read_settings()
    assert (settings.chunk_size, settings.dependency_scan_policy, settings.preemptible) == (
        5,
        "glob",
        True,
    )
    assert json.loads(attributes["farmhand_settings"].value)["chunk_size"] == 2


def test_bad_stored_settings_name_the_node(adapter, maya):
    node = adapter.new_job()
    maya.nodes[node.name].attributes["farmhand_settings"].value = '{"priority": "high"}'
    with pytest.raises(JobNodeError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'farmhandJob1', attribute farmhand_settings, setting priority: expected a "
        'whole number, got "high" (string)'
    )


def test_a_choice_the_node_cannot_hold_is_refused_before_anything_is_written(adapter, maya):
    node = adapter.new_job()
    before = {name: a.value for name, a in maya.nodes[node.name].attributes.items()}
    with pytest.raises(JobNodeError) as caught:
        node.write_settings(JobSettings(chunk_size=7, log_level="TRACE"))
    assert str(caught.value) == (
        "job node 'farmhandJob1', attribute logLevel, setting log_level: cannot hold 'TRACE'; "
        "choices: DEBUG, INFO, WARNING, ERROR, CRITICAL"
    )
    with pytest.raises(JobNodeError) as caught:
        node.write_settings(JobSettings(chunk_size=True))
    assert str(caught.value) == (
        "job node 'farmhandJob1', attribute chunkSize, setting chunk_size: takes a whole "
        "number, got True (boolean)"
    )
    assert {name: a.value for name, a in maya.nodes[node.name].attributes.items()} == before


def test_an_enum_index_out_of_range_is_named(adapter, maya):
    node = adapter.new_job()
    maya.nodes[node.name].attributes["logLevel"].value = 9
    with pytest.raises(JobNodeError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'farmhandJob1', attribute logLevel, setting log_level: holds 9, which is not "
        "one of its 5 choices"
    )


def test_a_deleted_node_is_named(adapter, maya):
    node = adapter.new_job()
    del maya.nodes[node.name]
    with pytest.raises(HostError, match="^job node: the job node 'farmhandJob1' is gone$"):
        node.read_settings()


def test_without_the_plugin_the_adapter_says_how_to_load_it(maya):
    from farmhand.plugins.maya.adapter import MayaAdapter

    message = (
        "job node: the farmhandJob node type is not registered; load Farmhand's plug-in: "
        "Windows > Settings/Preferences > Plug-in Manager > farmhand_maya.py, or "
        "cmds.loadPlugin('farmhand_maya')"
    )
    for call in (MayaAdapter().job_nodes, MayaAdapter().new_job):
        with pytest.raises(HostError) as caught:
            call()
        assert str(caught.value) == message


def test_the_plugin_cannot_unload_while_jobs_are_in_the_scene(plugin, adapter, maya):
    adapter.new_job()
    with pytest.raises(RuntimeError, match="nodes of type farmhandJob are in the scene"):
        plugin.uninitializePlugin("farmhand_maya plug-in object")
    assert "farmhandJob" in maya.plugin_types and "farmhandMenu" in maya.ui  # nothing removed
    del maya.nodes["farmhandJob1"]
    plugin.uninitializePlugin("farmhand_maya plug-in object")
    assert "farmhandJob" not in maya.plugin_types and maya.ui == {}
