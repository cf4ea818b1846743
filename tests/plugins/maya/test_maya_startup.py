"""What Maya loads: the module file, the plug-in that registers the farmhandJob node type
and, in an interactive session only, adds the Farmhand menu and shelf (and removes them), and
the commands behind them, which never raise into Maya."""

import os

import pytest
from maya_plugin_file import STARTUP, load_plugin_file


def test_the_module_file_puts_the_plugin_and_farmhand_on_mayas_paths():
    with open(os.path.join(STARTUP, "farmhand.mod")) as handle:
        lines = [line.split() for line in handle.read().splitlines() if line.strip()]
    assert lines[0] == ["+", "farmhand", "0.1.0", "."]
    assert ["MAYA_PLUG_IN_PATH", "+:=", "plug-ins"] in lines
    assert ["PYTHONPATH", "+:=", "../../.."] in lines
    assert os.path.isdir(os.path.join(STARTUP, "plug-ins"))


def test_the_plugin_adds_the_menu_and_shelf_and_removes_them(maya):
    import maya_openmaya

    plugin = load_plugin_file()
    assert plugin.maya_useNewAPI is True
    plugin.initializePlugin("plugin-object")
    vendor = [p for p in maya_openmaya.PLUGINS if p.vendor() == "Farmhand"][-1]
    assert (vendor.plugin, vendor.version) == ("plugin-object", "0.1.0")
    assert "farmhandJob" in maya.plugin_types
    menu = maya.ui["farmhandMenu"]
    assert (menu["label"], menu["parent"], menu["tearOff"]) == ("Farmhand", "MayaWindow", True)
    assert [item["label"] for item in menu["items"]] == [
        "Submitter...",
        "New Job for All Renderable Layers",
        "New Job for the Current Layer",
        "New Job per Render Layer",
        "Submit Selected Jobs",
    ]
    (button,) = maya.ui["Farmhand"]["buttons"]
    assert button["sourceType"] == "python"
    assert button["command"] == ("import farmhand.plugins.maya.commands as c; c.open_submitter()")
    plugin.uninitializePlugin("plugin-object")
    assert maya.ui == {} and "farmhandJob" not in maya.plugin_types
    plugin.initializePlugin("plugin-object")  # loaded again (Maya kept its saved shelf)
    assert len(maya.ui["Farmhand"]["buttons"]) == 1


def test_the_shelf_is_rebuilt_not_doubled_when_maya_kept_it(maya):
    import maya_cmds

    maya_cmds.shelfLayout("Farmhand", parent="MainShelfLayout|ShelfLayout")  # saved on exit
    load_plugin_file().initializePlugin("plugin-object")
    assert len(maya.ui["Farmhand"]["buttons"]) == 1


def test_batch_sessions_get_the_node_type_but_no_ui(maya):
    """mayabatch, mayapy and Render load the plug-in to read job nodes; no menu, no shelf."""
    maya.batch = True
    plugin = load_plugin_file()
    plugin.initializePlugin("plugin-object")
    assert maya.ui == {} and "farmhandJob" in maya.plugin_types
    plugin.uninitializePlugin("plugin-object")
    assert "farmhandJob" not in maya.plugin_types


def test_a_failing_install_leaves_no_half_menu_and_no_node_type(maya, monkeypatch):
    import maya_cmds

    def broken(*args, **kwargs):
        raise RuntimeError("shelfLayout: the shelf area is gone")

    monkeypatch.setattr(maya_cmds, "shelfLayout", broken)
    with pytest.raises(RuntimeError, match="the shelf area is gone"):
        load_plugin_file().initializePlugin("plugin-object")
    assert "farmhandMenu" not in maya.ui
    assert "farmhandJob" not in maya.plugin_types


def test_menu_items_run_the_commands(plugin, maya):
    items = {item["label"]: item["command"] for item in maya.ui["farmhandMenu"]["items"]}
    maya.render_layer("rs_beauty")
    items["New Job for All Renderable Layers"](False)  # Maya passes the item's check state
    items["New Job for the Current Layer"](False)
    items["New Job per Render Layer"](False)
    modes = {
        name: node.attributes["renderLayerMode"].value
        for name, node in maya.nodes.items()
        if node.type == "farmhandJob"
    }
    assert modes == {"farmhandJob1": 1, "farmhandJob2": 0, "farmhandJob3": 2}
    assert maya.selection == ["farmhandJob3"]
    assert maya.warnings == []


def test_commands_show_errors_instead_of_raising(plugin, maya):
    from farmhand.plugins.maya import commands

    commands.new_job()
    commands.new_job()
    maya.selection = []
    assert commands.submit() == []  # two jobs, none selected: which one?
    message = (
        "Farmhand: Submit: job node: select the job node to use; this scene has 2: "
        "farmhandJob1, farmhandJob2"
    )
    assert maya.warnings == [message]
    assert maya.dialogs == [
        {"title": "Farmhand", "message": message, "button": ["OK"], "icon": "critical"}
    ]
    maya.batch = True
    maya.nodes["defaultRenderLayer"].attributes["renderable"].value = False
    assert commands.new_job("perLayer") is None
    assert maya.warnings[-1] == (
        "Farmhand: New Job: renderLayerMode: no render layer of this scene is renderable; make "
        "one renderable, or set the job to render the current layer"
    )
    assert commands.new_job("some") is None
    assert maya.warnings[-1] == (
        "Farmhand: New Job: renderLayerMode: unknown render layer mode 'some'; choices: "
        "current, all, perLayer"
    )
    assert len(maya.dialogs) == 1  # no dialog in batch mode


def test_without_the_plugin_the_shelf_button_says_how_to_load_it(maya):
    from farmhand.plugins.maya import commands

    assert commands.submit() == []
    assert maya.warnings == [
        "Farmhand: Submit: job node: the farmhandJob node type is not registered; load "
        "Farmhand's plug-in: Windows > Settings/Preferences > Plug-in Manager > "
        "farmhand_maya.py, or cmds.loadPlugin('farmhand_maya')"
    ]


def test_a_bug_in_a_command_is_shown_with_its_type(plugin, maya, monkeypatch):
    from farmhand.plugins.maya import commands
    from farmhand.plugins.maya.adapter import MayaAdapter

    def broken(self, name="", layer_mode=""):
        raise KeyError("defaultRenderGlobals")

    monkeypatch.setattr(MayaAdapter, "new_job", broken)
    assert commands.new_job() is None
    assert maya.warnings == [
        "Farmhand: New Job failed: KeyError: 'defaultRenderGlobals' (the traceback is in the log)"
    ]


@pytest.mark.timeout(120)
def test_submit_the_selected_job_to_a_local_farm(
    plugin, maya, client_farm, farm_client, monkeypatch, tmp_path
):
    """mayabatch's way: no window, the selected job submitted; the farm runs its command
    (a stand-in for Render, which does not exist here) with the uploaded package."""
    from farmhand.plugins.maya import commands
    from farmhand.plugins.maya.adapter import MayaAdapter

    monkeypatch.setenv("FARMHAND_HOME", client_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    texture = tmp_path / "tex" / "wood.png"
    texture.parent.mkdir()
    texture.write_text("wood")
    maya.file_texture("wood", str(texture))
    node = MayaAdapter().new_job("lighting")
    settings = node.read_settings()
    settings.instance_type = "standard-1"
    settings.use_scout_frames = False
    settings.task_template = "grep -c '^createNode' <render_package> > <directories>/count.txt"
    node.write_settings(settings)
    maya.selection = ["lighting"]
    maya.batch = True
    (result,) = commands.submit("local")
    assert maya.warnings == []
    assert result.files == 2  # the render package and the texture
    job = list(farm_client.follow(result.job_id, timeout=30))[-1]
    assert job.succeeded, job
    count = (tmp_path / "project" / "images" / "count.txt").read_text().strip()
    assert int(count) == len(maya.nodes)


@pytest.mark.timeout(120)
def test_one_job_per_layer_is_submitted_as_a_job_per_layer(
    plugin, maya, client_farm, farm_client, monkeypatch, tmp_path
):
    """A one-job-per-layer node and an every-layer node selected together: three jobs, each
    rendering its layers (``<sources>``), one package for the first node's two."""
    from farmhand.plugins.maya import commands
    from farmhand.plugins.maya.adapter import MayaAdapter

    monkeypatch.setenv("FARMHAND_HOME", client_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    maya.render_layer("rs_beauty")
    adapter = MayaAdapter()
    names = []
    for name, mode in (("layers", "perLayer"), ("all", "all")):
        node = adapter.new_job(name, layer_mode=mode)
        settings = node.read_settings()
        settings.instance_type = "standard-1"
        settings.use_scout_frames = False
        settings.use_custom_frames, settings.frames = True, "1"
        settings.task_template = "echo <sources> > <directories>/<job>.txt"
        node.write_settings(settings)
        names.append(node.name)
    maya.selection = names
    maya.batch = True
    results = commands.submit("local")
    assert maya.warnings == [] and len(results) == 3
    assert [path for path, _, _ in maya.exports] == [
        os.path.join(maya.project, "scenes", "shot_farmhand_layers.ma"),
        os.path.join(maya.project, "scenes", "shot_farmhand_all.ma"),
    ]
    for result in results:
        assert list(farm_client.follow(result.job_id, timeout=30))[-1].succeeded
    images = tmp_path / "project" / "images"
    written = {path.name: path.read_text().strip() for path in images.iterdir()}
    assert written == {
        "layers_defaultRenderLayer.txt": "defaultRenderLayer",
        "layers_rs_beauty.txt": "rs_beauty",
        "all.txt": "defaultRenderLayer rs_beauty",
    }
