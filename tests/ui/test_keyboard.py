"""The submitter from the keyboard: Enter in a field presses nothing, Tab walks every field
once and never gets stuck (the task template, the tables), Delete removes rows, and Remove
is offered only when there is something selected to remove."""

import pytest
from qtpy import QtCore, QtWidgets

from farmhand.core.job import HostContext, JobSettings, build_submission
from farmhand.core.job.settings import EnvEntry
from farmhand.shared_ui.dialog import show_submitter
from farmhand.shared_ui.hooks import SubmitterHooks
from farmhand.shared_ui.widgets.env_table import EnvTable
from farmhand.shared_ui.widgets.path_list import PathList

pytestmark = [pytest.mark.ui, pytest.mark.timeout(120)]


def build_job(settings, catalogue):
    return build_submission(settings, HostContext(job_name="job1"), catalogue)


@pytest.fixture
def dialog(qtbot):
    """The submitter as a host shows it: in a QDialog, where Qt has default buttons."""
    settings = JobSettings(
        frames="1-10",
        task_template="echo <chunkstart>",
        extra_environment=[EnvEntry("PATH", "$HOME/bin", "append")],
        metadata={"shot": "010"},
        upload_paths=["/tmp/scene.blend"],
    )
    widget = show_submitter(settings, SubmitterHooks(build_job=build_job, host_name="testhost"))
    qtbot.addWidget(widget)
    qtbot.waitExposed(widget)
    return widget


def focused():
    return QtWidgets.QApplication.focusWidget()


def test_enter_in_a_field_presses_no_button(qtbot, dialog):
    submitter = dialog.submitter
    pressed = []
    for button in dialog.findChildren(QtWidgets.QPushButton):
        name = button.objectName()
        button.clicked.connect(lambda *args, name=name: pressed.append(name))
    assert [b for b in dialog.findChildren(QtWidgets.QPushButton) if b.isDefault()] == []
    for field in (submitter.form.job.title_edit, submitter.form.frames.frames_edit):
        field.setFocus()
        qtbot.keyClick(field, QtCore.Qt.Key_Return)
        qtbot.keyClick(field, QtCore.Qt.Key_Enter)
    qtbot.wait(50)
    assert pressed == []
    assert submitter.connect_call is None and submitter.preview_dialog is None


def test_tab_walks_the_whole_form_without_getting_stuck(qtbot, dialog):
    form = dialog.submitter.form
    template = form.task_template.template_edit
    form.job.title_edit.setFocus()
    seen = []
    for _ in range(80):
        widget = focused()
        if widget is dialog.submitter.submit_button:
            break
        seen.append(widget)
        qtbot.keyClick(widget, QtCore.Qt.Key_Tab)
    else:
        pytest.fail("Tab never reached Submit; stuck on {}".format(seen[-1].objectName()))
    assert "\t" not in template.toPlainText()
    assert seen.count(template) == 1
    # the tables hold rows; Tab still leaves each of them after one stop
    tables = [form.environment.env_table.table, form.advanced.metadata_table.table]
    for table in tables:
        assert seen.count(table) == 1, [w.objectName() for w in seen]
    for field in (form.uploads.path_list.list, form.advanced.tracebacks_check,
                  form.notify.emails_edit, form.scout.scout_edit):
        assert field in seen, field.objectName()


def test_tab_still_moves_between_cells_while_editing(qtbot):
    table = EnvTable(lambda text: text)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    table.add_row("PATH", "/bin")
    table.table.setCurrentCell(0, 0)
    table.table.editItem(table.table.item(0, 0))
    editors = [w for w in table.table.viewport().findChildren(QtWidgets.QLineEdit)
               if w.isVisible()]
    assert len(editors) == 1
    qtbot.keyClick(editors[0], QtCore.Qt.Key_Tab)
    assert table.table.currentColumn() == 1


def test_delete_removes_paths_and_remove_needs_a_selection(qtbot):
    paths = PathList()
    qtbot.addWidget(paths)
    paths.show()
    paths.set_value(["/a", "/b", "/c"])
    assert not paths.remove_button.isEnabled()
    paths.list.setCurrentRow(1)
    assert paths.remove_button.isEnabled()
    with qtbot.waitSignal(paths.changed):
        qtbot.keyClick(paths.list, QtCore.Qt.Key_Delete)
    assert paths.value() == ["/a", "/c"]
    paths.list.clearSelection()
    assert not paths.remove_button.isEnabled()


def test_delete_removes_table_rows_and_remove_needs_a_row(qtbot):
    table = EnvTable(lambda text: text)
    qtbot.addWidget(table)
    table.show()
    assert not table.remove_button.isEnabled()  # nothing to remove
    table.set_value([EnvEntry("A", "1"), EnvEntry("B", "2")])
    table.table.selectRow(0)
    assert table.remove_button.isEnabled()
    table.table.setFocus()
    with qtbot.waitSignal(table.changed):
        qtbot.keyClick(table.table, QtCore.Qt.Key_Delete)
    assert [entry.name for entry in table.value()] == ["B"]
    table.table.selectRow(0)
    qtbot.mouseClick(table.remove_button, QtCore.Qt.LeftButton)
    assert table.value() == [] and not table.remove_button.isEnabled()
