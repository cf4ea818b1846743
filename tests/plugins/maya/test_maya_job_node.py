"""Maya job nodes: network nodes holding every setting, the artist's attributes winning, and
errors naming the node and the attribute the artist sees."""

import json

import pytest

from farmhand.core.host import HostError, JobNodeError
from farmhand.core.job import JobSettings


def test_a_new_job_is_a_network_node_with_farmhands_attributes(adapter, maya):
    node = adapter.new_job()
    assert node.name == "farmhandJob1"
    assert maya.nodes["farmhandJob1"].type == "network"
    attributes = maya.nodes["farmhandJob1"].attributes
    assert list(attributes) == [
        "farmhand_settings",
        "jobTitle",
        "project",
        "instanceType",
        "useCustomFrames",
        "frames",
        "chunkSize",
        "useScoutFrames",
        "scoutFrames",
        "outputPath",
        "taskTemplate",
        "renderLayers",
        "camera",
    ]
    assert attributes["frames"].value == "1-10" and attributes["chunkSize"].value == 1
    assert attributes["taskTemplate"].value == (
        'Render -r sw -s <chunkstart> -e <chunkend> -b <chunkstep> -proj "<pdir>" <render_package>'
    )
    assert adapter.new_job().name == "farmhandJob2"
    maya.add("network", "someoneElses")  # a network node that is no job
    assert [job.name for job in adapter.job_nodes()] == ["farmhandJob1", "farmhandJob2"]


def test_the_attribute_editor_wins_over_the_stored_json(adapter, maya):
    node = adapter.new_job()
    node.write_settings(JobSettings(frames="1-5", chunk_size=2))
    maya.nodes[node.name].attributes["chunkSize"].value = 5  # edited in the Attribute Editor
    assert node.read_settings().chunk_size == 5
    assert (
        json.loads(maya.nodes[node.name].attributes["farmhand_settings"].value)["chunk_size"] == 2
    )


def test_bad_stored_settings_name_the_node(adapter, maya):
    node = adapter.new_job()
    maya.nodes[node.name].attributes["farmhand_settings"].value = '{"retries": "three"}'
    with pytest.raises(JobNodeError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node 'farmhandJob1', attribute farmhand_settings, setting retries: expected a "
        'whole number, got "three" (string)'
    )


def test_a_deleted_node_is_named(adapter, maya):
    node = adapter.new_job()
    del maya.nodes[node.name]
    with pytest.raises(HostError, match="^job node: the job node 'farmhandJob1' is gone$"):
        node.read_settings()


def test_a_node_that_cannot_be_made_leaves_nothing_behind(adapter, maya, monkeypatch):
    import maya_cmds

    def refuse(*args, **kwargs):
        raise RuntimeError("addAttr: out of memory")

    monkeypatch.setattr(maya_cmds, "addAttr", refuse)
    with pytest.raises(RuntimeError, match="out of memory"):
        adapter.create_job_node()
    assert "farmhandJob1" not in maya.nodes
