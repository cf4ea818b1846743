"""What a host hands the submitter: its settings widget, its job-building callback, its
frame range, package detection and a way to keep its node in sync; the submitter never
calls anything else of the host."""

import pytest
from qtpy import QtCore, QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.job import HostContext, JobSettings, build_submission
from farmhand.shared_ui.dialog import _OPEN, show_submitter
from farmhand.shared_ui.hooks import SubmitterHooks
from farmhand.shared_ui.submitter import SubmitterWidget
from tests.conftest import require

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


class CameraPicker(QtWidgets.QWidget):
    """A host's own widget: which camera renders, kept in the job's metadata."""

    changed = Signal()

    def __init__(self):
        super(CameraPicker, self).__init__()
        self.combo = QtWidgets.QComboBox(self)
        self.combo.addItems(["persp", "shotCam"])
        self.combo.currentIndexChanged.connect(lambda *args: self.changed.emit())
        QtWidgets.QHBoxLayout(self).addWidget(self.combo)

    def load(self, settings):
        self.combo.setCurrentText(settings.metadata.get("camera", "persp"))

    def store(self, settings):
        settings.metadata["camera"] = self.combo.currentText()


class FakeScene(object):
    """Plain data a host adapter would read from its scene."""

    frames = "1-50"
    package_ids = ["b402"]


@pytest.fixture
def host(qtbot):
    calls = {"build": [], "changed": [], "saved": []}
    scene = FakeScene()

    def build_job(settings, catalogue):
        calls["build"].append((settings, catalogue))
        context = HostContext(job_name="farmhandJob1", frames=scene.frames)
        return build_submission(settings, context, catalogue)

    hooks = SubmitterHooks(
        build_job=build_job,
        host_name="testhost",
        host_widget=CameraPicker(),
        host_frames=lambda: scene.frames,
        detect_packages=lambda catalogue: [
            p.package_id for p in catalogue.packages if p.package_id in scene.package_ids
        ],
        save_settings=lambda settings: calls["saved"].append(settings),
        settings_changed=lambda settings: calls["changed"].append(settings),
    )
    return hooks, calls, scene


def make_submitter(qtbot, hooks, settings):
    widget = SubmitterWidget(settings, hooks)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_the_host_widget_is_shown_and_stored(qtbot, host):
    hooks, calls, _ = host
    widget = make_submitter(qtbot, hooks, JobSettings(metadata={"camera": "shotCam"}))
    assert hooks.host_widget.isVisible()
    assert hooks.host_widget.combo.currentText() == "shotCam"
    hooks.host_widget.combo.setCurrentText("persp")
    assert widget.settings().metadata == {"camera": "persp"}


def test_edits_reach_the_host_node_after_a_pause(qtbot, host):
    hooks, calls, _ = host
    widget = make_submitter(qtbot, hooks, JobSettings(frames="1-10"))
    widget.form.frames.frames_edit.setText("1-20")
    widget.form.frames.frames_edit.setText("1-30")
    qtbot.waitUntil(lambda: len(calls["changed"]) == 1, timeout=5000)
    assert calls["changed"][0].frames == "1-30"


def test_the_scene_range_is_used_when_custom_frames_is_off(qtbot, host):
    hooks, _, scene = host
    widget = make_submitter(qtbot, hooks, JobSettings(use_custom_frames=False, scout_frames=""))
    assert widget.form.frames.info_label.text().startswith("50 frames")
    scene.frames = "1-80"
    widget.refresh_host_frames()
    assert widget.form.frames.info_label.text().startswith("80 frames")


def test_build_goes_through_the_host_callback(qtbot, host, catalogue):
    hooks, calls, _ = host
    widget = make_submitter(qtbot, hooks, JobSettings(
        frames="1-4", instance_type="standard-2", task_template="render <job> <chunkstart>"))
    widget.catalogue = catalogue
    widget.form.set_catalogue(catalogue)
    submission = widget.build()
    assert calls["build"][-1][1] is catalogue
    assert submission.tasks[0]["command"] == "render farmhandJob1 1"


def test_detected_packages_fill_an_empty_list_on_connect(qtbot, host, local_farm):
    hooks, _, _ = host
    hooks.detect_packages = lambda catalogue: [
        p.package_id for p in catalogue.packages if p.product == "blender"
    ]
    widget = make_submitter(qtbot, hooks, JobSettings())
    with qtbot.waitSignal(widget.catalogue_loaded, timeout=30000):
        qtbot.mouseClick(widget.form.farm.connect_button, QtCore.Qt.LeftButton)
    blender = [p for p in widget.catalogue.packages if p.product == "blender"]
    require(blender, "a Blender package in the local farm's catalogue (Debian's blender)")
    assert widget.settings().software_package_ids == [p.package_id for p in blender]
    assert widget.form.packages.detected_label.text().startswith("Detected: blender ")


def test_save_goes_to_the_host(qtbot, host):
    hooks, calls, _ = host
    widget = make_submitter(qtbot, hooks, JobSettings(frames="1-10"))
    assert widget.save_button.isVisible()
    qtbot.mouseClick(widget.save_button, QtCore.Qt.LeftButton)
    assert calls["saved"][0].frames == "1-10"
    assert widget.message.text() == "Saved."


def test_a_host_opens_it_as_a_non_modal_dialog(qtbot, host):
    hooks, _, _ = host
    parent = QtWidgets.QMainWindow()
    qtbot.addWidget(parent)
    dialog = show_submitter(JobSettings(frames="1-10"), hooks, parent)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog in _OPEN
    dialog.close()
    dialog.reject()
    assert dialog not in _OPEN



class SceneReadError(Exception):
    """Not a Farmhand error: what a bug in a host adapter raises."""


def test_a_failing_host_callback_is_shown_never_raised(qtbot, host, catalogue):
    hooks, _, _ = host

    def broken(*args):
        raise SceneReadError("no camera named 'shotCam'")

    hooks.build_job = broken
    hooks.settings_changed = broken
    hooks.detect_packages = broken
    widget = make_submitter(qtbot, hooks, JobSettings(frames="1-10"))
    assert widget.preview() is None  # nothing escapes into the host's event loop
    assert widget.message.kind == "error"
    assert widget.message.text() == (
        "Could not build the job: unexpected SceneReadError: no camera named 'shotCam'. This is a "
        "bug; turn on Show tracebacks (Advanced) to see where it happened, and report it."
    )
    widget.form.advanced.tracebacks_check.setChecked(True)
    widget.preview()
    text = widget.message.text()
    assert text.startswith("Could not build the job: unexpected SceneReadError: no camera named")
    assert "Traceback (most recent call last):" in text and "in broken" in text
    qtbot.waitUntil(lambda: "Could not pass the edit on to the testhost" in
                    widget.message.text(), timeout=5000)
    widget.form.set_catalogue(catalogue)
    assert widget.form.packages.detected_label.text().startswith(
        "Could not detect this host's version: unexpected SceneReadError: no camera named"
    )
