"""The shared Qt submitter opened from Maya's menu: parented to Maya's main window, building
the job from the (fake) scene, saving to the job node."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def test_the_submitter_opens_over_mayas_window(qtbot, maya):
    from qtpy import QtWidgets

    from farmhand.plugins.maya import commands
    from farmhand.shared_ui.dialog import _OPEN

    main = QtWidgets.QMainWindow()
    main.setObjectName("MayaWindow")
    qtbot.addWidget(main)
    commands.open_submitter()
    assert maya.warnings == []
    (dialog,) = [d for d in _OPEN if d.windowTitle() == "Farmhand submitter: farmhandJob1"]
    assert dialog.parent() is main
    assert maya.selection == ["farmhandJob1"]  # no job selected: a new one was made
    submitter = dialog.submitter
    settings = submitter.settings()
    settings.use_custom_frames, settings.frames = True, "4-5"
    settings.instance_type = "standard-2"
    submitter.load(settings)
    submission = submitter.build()
    assert [task["command"].split(" -proj ")[0] for task in submission.tasks] == [
        "Render -r sw -s 4 -e 4 -b 1",
        "Render -r sw -s 5 -e 5 -b 1",
    ]
    submitter.save()
    assert maya.nodes["farmhandJob1"].attributes["frames"].value == "4-5"
    dialog.close()
    dialog.reject()
