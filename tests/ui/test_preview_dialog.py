"""The preview dialog on its own: exact payload text, lazy tasks table, uploads, validation
levels (errors block Submit, warnings ask, info informs)."""

import json
import time

import pytest
from qtpy import QtCore, QtWidgets

from farmhand.shared_ui.preview.content import (
    ERROR,
    INFO,
    WARNING,
    Message,
    PreviewContent,
    UploadRow,
)
from farmhand.shared_ui.preview.dialog import (
    PAYLOAD_TAB,
    TASKS_TAB,
    UPLOADS_TAB,
    VALIDATION_TAB,
    PreviewDialog,
)

pytestmark = pytest.mark.ui


def make_content(task_count=10, messages=(), uploads=()):
    tasks = [
        {"command": "blender -b s.blend -s {0} -e {0} -a".format(i + 1), "frames": str(i + 1)}
        for i in range(task_count)
    ]
    payload = {"job_title": "preview test", "tasks_data": tasks}
    text = json.dumps(payload, indent=2, sort_keys=True) + "\n"
    return PreviewContent(
        text, tasks, list(uploads), list(messages), "10 frames, 10 tasks",
        is_scout=lambda row: row in (2, 7),
    )


def open_dialog(qtbot, content):
    dialog = PreviewDialog(content)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_payload_tab_holds_the_exact_text(qtbot):
    content = make_content()
    dialog = open_dialog(qtbot, content)
    assert dialog.tabs.currentIndex() == PAYLOAD_TAB
    assert dialog.payload_view.text() == content.payload_text
    lines = [dialog.payload_view.model.line(r) for r in range(dialog.payload_view.model.rowCount())]
    assert "\n".join(lines) + "\n" == content.payload_text
    dialog.payload_view.find_edit.setText('"job_title"')
    row = dialog.payload_view.find_next()
    assert '"job_title": "preview test"' in dialog.payload_view.model.line(row)
    dialog.payload_view.copy_all()
    assert QtWidgets.QApplication.clipboard().text() == content.payload_text


def test_tasks_table_marks_scout_tasks(qtbot):
    dialog = open_dialog(qtbot, make_content())
    model = dialog.tasks_model
    assert dialog.tabs.tabText(TASKS_TAB) == "Tasks (10)"
    assert model.index(2, 2).data() == "scout"
    assert model.index(3, 2).data() == ""
    assert model.index(9, 1).data() == "10"
    assert dialog.command_of(0) == "blender -b s.blend -s 1 -e 1 -a"


def test_a_hundred_thousand_tasks_open_fast(qtbot):
    content = make_content(100000)
    started = time.perf_counter()
    dialog = open_dialog(qtbot, content)
    dialog.tabs.setCurrentIndex(TASKS_TAB)
    dialog.tasks_view.scrollToBottom()
    QtWidgets.QApplication.processEvents()
    elapsed = time.perf_counter() - started
    assert dialog.tasks_model.rowCount() == 100000
    assert dialog.tasks_model.index(99999, 1).data() == "100000"
    # generous bound for a shared 2-core machine; bench/ui_preview.py measures it properly
    assert elapsed < 3.0, elapsed


def test_uploads_flag_missing_files_first(qtbot, tmp_path):
    present = tmp_path / "scene.blend"
    present.write_bytes(b"x" * 2048)
    rows = [UploadRow.for_path(str(present)), UploadRow.for_path(str(tmp_path / "gone.exr"))]
    dialog = open_dialog(qtbot, make_content(uploads=rows))
    model = dialog.uploads_model
    assert dialog.tabs.tabText(UPLOADS_TAB) == "Uploads (2, 1 missing)"
    assert model.index(0, 0).data().endswith("gone.exr")
    assert model.index(0, 2).data().startswith("missing: ")
    assert model.index(1, 1).data() == "2.0 KiB"
    assert model.index(0, 0).data(QtCore.Qt.ForegroundRole) is not None


def test_errors_block_submit(qtbot):
    content = make_content(messages=[Message(ERROR, "frames: the frame set is empty"),
                                     Message(INFO, "10 tasks")])
    dialog = open_dialog(qtbot, content)
    assert dialog.tabs.currentIndex() == VALIDATION_TAB
    assert not dialog.submit_button.isEnabled()
    assert "1 error must be fixed" in dialog.summary.text()
    assert [m.level for m in dialog.validation_view.messages()] == [ERROR, INFO]


def test_a_long_message_wraps_instead_of_being_cut_off(qtbot):
    valid = ", ".join("<token{}>".format(i) for i in range(40))
    long = "task_template: unknown token <bogus> in tile scope; valid tokens: " + valid
    dialog = open_dialog(qtbot, make_content(messages=[Message(ERROR, long),
                                                       Message(WARNING, "short")]))
    dialog.resize(900, 600)
    QtWidgets.QApplication.processEvents()
    view = dialog.validation_view
    line = view.fontMetrics().height()
    tall = view.visualItemRect(view.topLevelItem(0)).height()
    short = view.visualItemRect(view.topLevelItem(1)).height()
    assert short < 2 * line and tall >= 3 * line, (tall, short, line)
    dialog.resize(500, 600)  # narrower: more lines
    QtWidgets.QApplication.processEvents()
    assert view.visualItemRect(view.topLevelItem(0)).height() > tall


def test_warnings_ask_before_submitting(qtbot):
    content = make_content(messages=[Message(INFO, "chunk size 1"),
                                      Message(WARNING, "no output_path")])
    dialog = open_dialog(qtbot, content)
    assert [m.level for m in dialog.validation_view.messages()] == [WARNING, INFO]
    requested = []
    dialog.submit_requested.connect(lambda: requested.append(True))
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    box = dialog.question
    assert box is not None and box.isVisible()
    assert "no output_path" in box.informativeText()
    qtbot.mouseClick(box.button(QtWidgets.QMessageBox.No), QtCore.Qt.LeftButton)
    assert requested == [] and dialog.isVisible()
    qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    with qtbot.waitSignal(dialog.submit_requested):
        qtbot.mouseClick(dialog.question.button(QtWidgets.QMessageBox.Yes),
                         QtCore.Qt.LeftButton)
    assert requested == [True]
    assert not dialog.isVisible()


def test_info_only_submits_at_once(qtbot):
    dialog = open_dialog(qtbot, make_content(messages=[Message(INFO, "10 tasks")]))
    with qtbot.waitSignal(dialog.submit_requested):
        qtbot.mouseClick(dialog.submit_button, QtCore.Qt.LeftButton)
    assert dialog.question is None
