"""What an artist reads and sees before doing anything: every field and button explains
itself in a tooltip, the fields of all sections start at one column, empty lists say what
goes in them, and each window's title says what it holds."""

import pytest
from qtpy import QtWidgets

from farmhand.core.job.settings import JobSettings
from farmhand.shared_ui.form import JobForm
from farmhand.shared_ui.monitor.window import FarmMonitor
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
