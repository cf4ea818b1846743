"""What an artist reads and sees before doing anything: every field and button explains
itself in a tooltip, the fields of all sections start at one column, empty lists say what
goes in them, and each window's title says what it holds."""

import pytest
from qtpy import QtWidgets

from farmhand.core.job.settings import EnvEntry, JobSettings
from farmhand.shared_ui.form import JobForm
from farmhand.shared_ui.monitor.window import FarmMonitor
from farmhand.shared_ui.preview.content import PreviewContent, UploadRow
from farmhand.shared_ui.preview.dialog import PreviewDialog
from farmhand.shared_ui.standalone import SubmitterWindow

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]

INPUTS = (
    QtWidgets.QAbstractButton,
    QtWidgets.QLineEdit,
    QtWidgets.QAbstractSpinBox,
    QtWidgets.QComboBox,
    QtWidgets.QPlainTextEdit,
    QtWidgets.QAbstractItemView,
)


def untipped(widget, kinds=INPUTS):
    """Named inputs under ``widget`` without a tooltip (Qt's own parts are unnamed or
    ``qt_``-named: a combo's popup list, headers, scroll bars, spin box line edits)."""
    missing = []
    for child in widget.findChildren(QtWidgets.QWidget):
        name = child.objectName()
        named = name and not name.startswith("qt_")
        if isinstance(child, kinds) and named and not child.toolTip():
            missing.append(name)
    return missing


def test_every_field_and_button_of_the_submitter_has_a_tooltip(qtbot, catalogue):
    window = SubmitterWindow(None)
    qtbot.addWidget(window)
    assert untipped(window.submitter) == []
    window.submitter.form.set_catalogue(catalogue)  # tooltips that change once connected
    assert untipped(window.submitter) == []
    packages = window.submitter.form.packages.choose_button
    assert "host" in packages.toolTip() and "plug-in" in packages.toolTip()


def test_the_monitor_buttons_have_tooltips(qtbot):
    monitor = FarmMonitor(open_connector=lambda: None)
    qtbot.addWidget(monitor)
    # (its tables show each job's counts and each task's outputs as row tooltips instead)
    assert untipped(monitor, QtWidgets.QAbstractButton) == []
    assert monitor.auto_check.toolTip() == "Refresh every 2 seconds while this window is open."


def test_fields_of_every_section_start_at_one_column(qtbot):
    form = JobForm()
    qtbot.addWidget(form)
    form.resize(700, 1600)
    form.load(JobSettings())
    form.show()
    qtbot.waitExposed(form)
    fields = [
        form.job.title_edit,
        form.farm.kind_combo,
        form.frames.frames_edit,
        form.scout.scout_edit,
        form.instance_type.instance_combo,
        form.packages.package_list,
        form.uploads.scan_combo,
        form.notify.emails_edit,
        form.advanced.location_edit,
    ]
    lefts = {field.objectName(): field.mapTo(form, field.rect().topLeft()).x() for field in fields}
    assert len(set(lefts.values())) == 1, lefts


def test_empty_lists_say_what_goes_in_them(qtbot, catalogue):
    form = JobForm()
    qtbot.addWidget(form)
    form.load(JobSettings())
    form.show()
    hints = {
        "packages": form.packages.empty_hint,
        "environment": form.environment.empty_hint,
        "uploads": form.uploads.empty_hint,
        "metadata": form.advanced.metadata_empty_hint,
    }
    assert {name: hint.is_shown() for name, hint in hints.items()} == dict.fromkeys(hints, True)
    assert hints["packages"].text() == \
        "No packages yet: Connect to the farm, then Choose packages."
    assert hints["uploads"].text().startswith("No extra uploads. The dependency scan finds")
    form.set_catalogue(catalogue)
    assert hints["packages"].text() == \
        "No packages: the farm machines load no host software. Choose packages."
    # the first row hides a hint, and it comes back with the last row gone
    form.uploads.path_list.add_paths(["/shots/cache.abc"])
    assert not hints["uploads"].is_shown()
    form.uploads.path_list.list.setCurrentRow(0)
    form.uploads.path_list.remove_selected()
    assert hints["uploads"].is_shown()
    form.load(JobSettings(extra_environment=[EnvEntry("PATH", "/bin", "append")],
                          software_package_ids=["b402"], metadata={"shot": "010"}))
    assert [name for name, hint in hints.items() if hint.is_shown()] == ["uploads"]
    assert hints["uploads"].label.geometry().width() > 100  # laid over the whole list


def test_a_message_row_takes_no_room_until_it_has_something_to_say(qtbot):
    form = JobForm()
    qtbot.addWidget(form)
    form.load(JobSettings(frames="1-10"))
    form.show()
    error = form.frames.frames_error
    label = form.frames.form.labelForField(error)
    assert error.isHidden() and label.isHidden()
    form.frames.frames_edit.setText("1-10x0")
    form.update_frames_info()
    assert error.isVisible() and label.isVisible()
    assert error.text().startswith("frames: invalid frame spec '1-10x0'")


def test_window_titles_say_what_they_hold(qtbot, tmp_path):
    scene = tmp_path / "shot010.blend"
    scene.write_bytes(b"x" * 2048)
    window = SubmitterWindow(None)
    qtbot.addWidget(window)
    assert window.windowTitle() == "Farmhand - untitled job"
    content = PreviewContent("{}\n", [], [UploadRow.for_path(str(scene))], [],
                             title="shot010 lighting 1001-1100")
    dialog = PreviewDialog(content)
    qtbot.addWidget(dialog)
    assert dialog.windowTitle() == "Farmhand preview: shot010 lighting 1001-1100"
    assert dialog.summary.text() == "1 file to upload (2.0 KiB)."
    monitor = FarmMonitor(open_connector=lambda: None)
    qtbot.addWidget(monitor)
    assert monitor.windowTitle() == "Farmhand monitor"


def test_windows_fit_the_screen_they_open_on(qtbot, monkeypatch):
    from qtpy import QtCore

    from farmhand.shared_ui import screen_fit

    def opened():
        window = SubmitterWindow(None)
        preview = PreviewDialog(PreviewContent("{}\n", [], [], []))
        monitor = FarmMonitor(open_connector=lambda: None)
        for widget in (window, preview, monitor):
            qtbot.addWidget(widget)
        return [(widget, widget.size()) for widget in (window, preview, monitor)]

    # the offscreen screen (800 x 800 on Qt 6, 800 x 600 on Qt 5) is smaller than any of
    # them is designed for
    probe = SubmitterWindow(None)
    qtbot.addWidget(probe)
    area = screen_fit.screen_of(probe).availableGeometry()
    for widget, size in opened():
        assert size.width() <= area.width() - screen_fit.FRAME_MARGIN, widget.objectName()
        assert size.height() <= area.height() - screen_fit.FRAME_MARGIN, widget.objectName()

    class BigScreen(object):
        def availableGeometry(self):
            return QtCore.QRect(0, 0, 2560, 1400)

    monkeypatch.setattr(screen_fit, "screen_of", lambda widget: BigScreen())
    designed = [(760, 980), (980, 680), (1100, 700)]
    assert [(s.width(), s.height()) for _, s in opened()] == designed
