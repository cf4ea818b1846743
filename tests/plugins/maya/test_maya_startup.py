"""What Maya loads: the module file, the plug-in that adds the Farmhand menu and shelf (and
removes them), and the commands behind them, which never raise into Maya."""

import importlib.util
import os

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
STARTUP = os.path.join(ROOT, "startup", "maya")


def load_plugin_file():
    path = os.path.join(STARTUP, "plug-ins", "farmhand_maya.py")
    spec = importlib.util.spec_from_file_location("farmhand_maya", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


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
    assert (maya_openmaya.PLUGINS[-1].vendor, maya_openmaya.PLUGINS[-1].version) == (
        "Farmhand",
        "0.1.0",
    )
    menu = maya.ui["farmhandMenu"]
    assert (menu["label"], menu["parent"], menu["tearOff"]) == ("Farmhand", "MayaWindow", True)
    assert [item["label"] for item in menu["items"]] == [
        "Submitter...",
        "New Job",
        "New Job for the Current Layer",
        "New Job per Render Layer",
        "Submit Selected Job",
    ]
    (button,) = maya.ui["Farmhand"]["buttons"]
    assert button["sourceType"] == "python"
    assert button["command"] == ("import farmhand.plugins.maya.commands as c; c.open_submitter()")
    plugin.initializePlugin("plugin-object")  # loaded again: still one menu, one button
    assert len(maya.ui["Farmhand"]["buttons"]) == 1
    plugin.uninitializePlugin("plugin-object")
    assert maya.ui == {}


def test_no_ui_in_batch_mode(maya):
    maya.batch = True
    load_plugin_file().initializePlugin("plugin-object")
    assert maya.ui == {}


def test_a_failing_install_leaves_no_half_menu(maya, monkeypatch):
    import maya_cmds

    def broken(*args, **kwargs):
        raise RuntimeError("shelfLayout: the shelf area is gone")

    monkeypatch.setattr(maya_cmds, "shelfLayout", broken)
    with pytest.raises(RuntimeError, match="the shelf area is gone"):
        load_plugin_file().initializePlugin("plugin-object")
    assert "farmhandMenu" not in maya.ui


def test_menu_items_run_the_commands(maya):
    load_plugin_file().initializePlugin("plugin-object")
    items = {item["label"]: item["command"] for item in maya.ui["farmhandMenu"]["items"]}
    maya.render_layer("rs_beauty")
    items["New Job"](False)  # Maya passes the menu item's check state
    items["New Job per Render Layer"](False)
    assert [name for name in maya.nodes if name.startswith("farmhandJob")] == [
        "farmhandJob1",
        "farmhandJob_defaultRenderLayer",
        "farmhandJob_rs_beauty",
    ]
    assert maya.selection == ["farmhandJob_defaultRenderLayer", "farmhandJob_rs_beauty"]


def test_commands_show_errors_instead_of_raising(maya):
    from farmhand.plugins.maya import commands

    commands.new_job()
    commands.new_job()
    maya.selection = []
    assert commands.submit() is None  # two jobs, none selected: which one?
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
    assert commands.new_layer_jobs() == []
    assert maya.warnings[-1] == (
        "Farmhand: New Job per Render Layer: renderLayers: no render layer of this scene is "
        "renderable; make one renderable or name one in renderLayers"
    )
    assert len(maya.dialogs) == 1  # no dialog in batch mode


def test_a_bug_in_a_command_is_shown_with_its_type(maya, monkeypatch):
    from farmhand.plugins.maya import commands
    from farmhand.plugins.maya.adapter import MayaAdapter

    def broken(self, name=""):
        raise KeyError("defaultRenderGlobals")

    monkeypatch.setattr(MayaAdapter, "new_job", broken)
    assert commands.new_job() is None
    assert maya.warnings == [
        "Farmhand: New Job failed: KeyError: 'defaultRenderGlobals' (the traceback is in the log)"
    ]


@pytest.mark.timeout(120)
def test_submit_the_selected_job_to_a_local_farm(
    maya, client_farm, farm_client, monkeypatch, tmp_path
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
    result = commands.submit("local")
    assert result is not None, maya.warnings
    assert result.files == 2  # the render package and the texture
    job = list(farm_client.follow(result.job_id, timeout=30))[-1]
    assert job.succeeded, job
    count = (tmp_path / "project" / "images" / "count.txt").read_text().strip()
    assert int(count) == len(maya.nodes)
