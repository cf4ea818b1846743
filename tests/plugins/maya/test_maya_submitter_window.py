"""The shared Qt submitter opened from Maya's menu: parented to Maya's main window, building
the job from the (fake) scene, saving to the job node; above the sections, the job's render
layers and camera, and for one job per layer, the layer's job and Submit Every Layer."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


@pytest.fixture
def main_window(qtbot):
    from qtpy import QtWidgets

    main = QtWidgets.QMainWindow()
    main.setObjectName("MayaWindow")
    qtbot.addWidget(main)
    yield main
    # Qt deletes it later, in another test's event loop: a window found there by this name
    # would take that test's submitter down with it
    main.setObjectName("closedMayaWindow")


def open_dialog():
    from farmhand.plugins.maya import commands
    from farmhand.shared_ui.dialog import _OPEN

    commands.open_submitter()
    (dialog,) = [d for d in _OPEN if d.windowTitle().startswith("Farmhand submitter: ")]
    return dialog


def close(dialog):
    dialog.close()
    dialog.reject()


def test_the_submitter_opens_over_mayas_window(plugin, maya, main_window):
    dialog = open_dialog()
    assert maya.warnings == []
    assert dialog.windowTitle() == "Farmhand submitter: farmhandJob1"
    assert dialog.parent() is main_window
    assert maya.selection == ["farmhandJob1"]  # no job selected: a new one was made
    submitter = dialog.submitter
    settings = submitter.settings()
    settings.use_custom_frames, settings.frames = True, "4-5"
    settings.instance_type = "standard-2"
    submitter.load(settings)
    submission = submitter.build()
    assert [task["command"].split(" -rd ")[0] for task in submission.tasks] == [
        "Render -r sw -s 4 -e 4 -b 1",
        "Render -r sw -s 5 -e 5 -b 1",
    ]
    submitter.save()
    assert maya.nodes["farmhandJob1"].attributes["frames"].value == "4-5"
    close(dialog)


def test_the_submitter_opens_on_the_selected_job_and_none_when_the_choice_is_unclear(
    plugin, maya, main_window
):
    from farmhand.plugins.maya import commands

    commands.new_job()
    commands.new_job()
    maya.selection = ["farmhandJob1"]
    dialog = open_dialog()
    assert dialog.windowTitle() == "Farmhand submitter: farmhandJob1"
    assert maya.warnings == []
    close(dialog)
    maya.selection = []  # two jobs, none selected: which one? (no third one is made)
    commands.open_submitter()
    assert maya.warnings == [
        "Farmhand: Open Submitter: job node: select the job node to use; this scene has 2: "
        "farmhandJob1, farmhandJob2"
    ]
    assert sorted(n for n, node in maya.nodes.items() if node.type == "farmhandJob") == [
        "farmhandJob1",
        "farmhandJob2",
    ]


def test_the_layer_mode_and_camera_are_the_nodes(plugin, maya, main_window):
    maya.render_layer("rs_beauty")
    maya.camera("shotCam")
    dialog = open_dialog()
    widget = dialog.submitter.hooks.host_widget
    assert widget.mode_combo.currentIndex() == 1  # all renderable layers, one job
    assert not widget.layer_combo.isVisibleTo(widget)
    assert [widget.camera_combo.itemText(i) for i in range(widget.camera_combo.count())] == [
        "(the layers' renderable cameras)",
        "persp",
        "top",
        "shotCam",
    ]
    widget.camera_combo.setCurrentIndex(3)
    widget.mode_combo.setCurrentIndex(0)  # the current layer
    attributes = maya.nodes["farmhandJob1"].attributes
    assert (attributes["camera"].value, attributes["renderLayerMode"].value) == ("shotCam", 0)
    maya.current_layer = "rs_beauty"
    command = dialog.submitter.build().tasks[0]["command"]
    assert " -rl rs_beauty -rd " in command and " -cam shotCam -proj " in command
    widget.camera_combo.setCurrentIndex(0)
    assert attributes["camera"].value == ""
    assert maya.warnings == []
    close(dialog)


def test_one_job_per_layer_previews_a_layer_and_submits_every_layer(
    plugin, maya, main_window, qtbot, client_farm, farm_client, monkeypatch
):
    monkeypatch.setenv("FARMHAND_HOME", client_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    maya.render_layer("rs_beauty")
    dialog = open_dialog()
    submitter = dialog.submitter
    widget = submitter.hooks.host_widget
    widget.mode_combo.setCurrentIndex(2)
    assert widget.layer_combo.isVisibleTo(widget) and widget.submit_all_button.isVisibleTo(widget)
    assert [widget.layer_combo.itemText(i) for i in range(widget.layer_combo.count())] == [
        "defaultRenderLayer",
        "rs_beauty",
    ]
    widget.layer_combo.setCurrentIndex(1)
    assert submitter.build().job_title == "Farmhand farmhandJob1_rs_beauty 1-10"
    settings = submitter.settings()
    settings.use_custom_frames, settings.frames = True, "1"
    settings.use_scout_frames = False
    settings.task_template = "echo <sources> > <directories>/<job>.txt"
    submitter.load(settings)
    assert widget.submit_every_layer() is None  # no instance type: nothing is sent
    assert submitter.message.text() == (
        "Nothing submitted: farmhandJob1_defaultRenderLayer, farmhandJob1_rs_beauty have "
        "errors; choose the layer and Preview to see them."
    )
    settings.instance_type = "standard-1"
    submitter.load(settings)
    exports = len(maya.exports)
    progress = widget.submit_every_layer()
    qtbot.waitUntil(lambda: progress.state in ("succeeded", "failed"), timeout=60000)
    assert progress.state == "succeeded", progress.result_label.text()
    connector, results = progress.result
    assert len(results) == 2
    text = progress.result_label.text()
    assert text.startswith("Submitted 2 of 2 layers' jobs to local farm at http://127.0.0.1:")
    assert "  farmhandJob1_rs_beauty: job {}".format(results[1].job_id) in text
    for result in results:
        assert list(farm_client.follow(result.job_id, timeout=30))[-1].succeeded
    images = os.path.join(maya.project, "images")
    assert sorted(os.listdir(images)) == [
        "farmhandJob1_defaultRenderLayer.txt",
        "farmhandJob1_rs_beauty.txt",
    ]
    assert len(maya.exports) == exports + 1  # one package for both layers' jobs
    progress.close()
    close(dialog)
