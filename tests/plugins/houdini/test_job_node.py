"""A FarmhandJob ROP keeps a job's settings: the parameters the artist edits win over the
JSON, strings stay unexpanded ($F is Farmhand's), and a broken or missing node says which."""

import pytest

from farmhand.core.errors import InputError
from farmhand.core.host import HostError
from farmhand.core.job import JobSettings


def new_job(adapter, name=""):
    return adapter.new_job(name)


def test_creating_the_rop_runs_its_on_created_script(adapter, hou):
    created = hou.node("/out").createNode("farmhand::job")
    from farmhand.plugins.houdini.job_node import HoudiniJobNode

    settings = HoudiniJobNode(created.path()).read_settings()
    assert (settings.use_custom_frames, settings.frames) == (False, "1-240")
    assert settings.task_template.startswith("hython -c '")
    assert created.parm("use_custom_frames").eval() == 0
    assert created.parm("frames").unexpandedString() == "1-240"


def test_a_pasted_rop_keeps_its_settings(adapter, hou):
    from farmhand.plugins.houdini.buttons import on_created

    node = new_job(adapter, "lighting")
    rop = hou.node("/out/lighting")
    rop.parm("chunk_size").set(9)
    node.write_settings(node.read_settings())
    on_created({"node": rop})  # what Houdini runs again for a pasted copy
    assert node.read_settings().chunk_size == 9


def test_parameters_the_artist_edits_win_over_the_stored_json(adapter, hou):
    node = new_job(adapter, "lighting")
    rop = hou.node("/out/lighting")
    rop.parm("chunk_size").set(7)
    rop.parm("notify").set("a@example.com, b@example.com")
    rop.parm("preemptible").set(1)
    settings = node.read_settings()
    assert settings.chunk_size == 7
    assert settings.notify == ["a@example.com", "b@example.com"]
    assert settings.preemptible is True


def test_strings_are_read_unexpanded(adapter, hou):
    node = new_job(adapter)
    settings = node.read_settings()
    node.write_settings(
        JobSettings(
            job_title="$HIPNAME <job>",
            task_template="render -f $F4 <chunkstart>",
            frames=settings.frames,
        )
    )
    hou.state().frame = 12
    rop = hou.node(node.path)
    assert rop.parm("task_template").eval() == "render -f 0012 <chunkstart>"  # Houdini's view
    again = node.read_settings()
    assert again.task_template == "render -f $F4 <chunkstart>"
    assert again.job_title == "$HIPNAME <job>"


def test_a_setting_houdini_cannot_hold_is_refused_before_anything_is_written(adapter, hou):
    node = new_job(adapter)
    before = hou.node(node.path).parm("farmhand_settings").unexpandedString()
    with pytest.raises(InputError) as caught:
        node.write_settings(JobSettings(job_title="new", chunk_size="7"))  # not an int
    assert str(caught.value) == "chunk_size: parameter chunk_size holds int, got '7'"
    assert hou.node(node.path).parm("job_title").unexpandedString() == "Farmhand <job> <sequence>"
    assert hou.node(node.path).parm("farmhand_settings").unexpandedString() == before


def test_bad_json_in_the_rop_names_it(adapter, hou):
    node = new_job(adapter, "fx")
    hou.node("/out/fx").parm("farmhand_settings").set("{oops")
    with pytest.raises(HostError) as caught:
        node.read_settings()
    assert str(caught.value).startswith(
        "job node 'fx', attribute farmhand_settings: holds text that is not JSON"
    )


def test_a_bad_parameter_value_names_the_parameter(adapter, hou):
    node = new_job(adapter, "fx")
    hou.node("/out/fx").parm("log_level").set("LOUD")
    submission = adapter.build(node)
    assert any(
        "log_level" in str(message) and "LOUD" in str(message) for message in submission.errors
    )


def test_a_deleted_rop_is_named(adapter, hou):
    node = new_job(adapter, "fx")
    hou.node("/out/fx").destroy()
    with pytest.raises(HostError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "job node: the FarmhandJob ROP /out/fx is gone (deleted or renamed)"
    )


def test_a_rop_missing_a_parameter_is_named(adapter, hou):
    node = new_job(adapter, "fx")
    del hou.node("/out/fx")._parms["chunk_size"]
    with pytest.raises(HostError) as caught:
        node.read_settings()
    assert str(caught.value) == (
        "chunk_size: the ROP /out/fx has no parameter 'chunk_size'; is it a FarmhandJob ROP "
        "from an older Farmhand? Create a new one"
    )


def test_job_nodes_are_every_farmhand_rop_by_path(adapter, hou):
    adapter.new_job("b")
    adapter.new_job("a")
    hou.add_node("/out/mantra1", "ifd")
    assert [node.name for node in adapter.job_nodes()] == ["a", "b"]


def test_without_the_asset_installed_the_error_says_how_to_install_it(adapter, hou, library):
    del hou._TYPES[("Driver", "farmhand::job")]
    try:
        with pytest.raises(HostError) as caught:
            adapter.job_nodes()
    finally:
        hou.register_hda(library)
    assert str(caught.value) == (
        "job node: the FarmhandJob ROP type (farmhand::job) is not installed; is Farmhand's "
        "Houdini package loaded (startup/houdini/farmhand.json)?"
    )
