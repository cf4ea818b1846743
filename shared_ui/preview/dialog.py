"""The preview dialog: the exact payload, the tasks, the uploads and the validation report.

Submit is the dialog's only way forward: disabled while there are errors, asking for
confirmation when there are warnings (the question box is a child of the dialog, opened
without blocking the event loop).
"""

from typing import Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui.fonts import monospace_font
from farmhand.shared_ui.preview.content import PreviewContent
from farmhand.shared_ui.preview.payload_view import PayloadView
from farmhand.shared_ui.preview.tasks_model import COMMAND, PayloadTasksModel
from farmhand.shared_ui.preview.uploads_model import UploadsModel
from farmhand.shared_ui.preview.validation_view import ValidationView
from farmhand.shared_ui.screen_fit import resize_to_fit
from farmhand.shared_ui.tables import fixed_row_view
from farmhand.shared_ui.units import human_bytes, plural

PAYLOAD_TAB, TASKS_TAB, UPLOADS_TAB, VALIDATION_TAB = range(4)


class PreviewDialog(QtWidgets.QDialog):
    """Shows a ``PreviewContent``; ``submit_requested`` fires once the user confirmed."""

    submit_requested = Signal()

    def __init__(
        self, content: PreviewContent, parent: Optional[QtWidgets.QWidget] = None
    ) -> None:
        super(PreviewDialog, self).__init__(parent)
        self.setObjectName("PreviewDialog")
        self.setWindowTitle("Farmhand preview")
        resize_to_fit(self, 980, 680)
        self.content = content
        self.question: Optional[QtWidgets.QMessageBox] = None

        self.summary = QtWidgets.QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.tabs = QtWidgets.QTabWidget(self)
        self.tabs.setObjectName("tabs")

        self.payload_view = PayloadView(self)
        self.tasks_model = PayloadTasksModel(content.tasks, content.is_scout, self)
        self.tasks_view = fixed_row_view(self, "tasks", self.tasks_model, padding=6)
        self.tasks_view.setColumnWidth(0, 70)
        self.tasks_view.setColumnWidth(1, 140)
        self.tasks_view.setColumnWidth(2, 60)
        self.tasks_view.setFont(monospace_font())
        self.uploads_model = UploadsModel(content.uploads, self)
        self.uploads_view = fixed_row_view(self, "uploads", self.uploads_model, padding=6)
        self.uploads_view.setColumnWidth(0, 600)
        self.uploads_view.setColumnWidth(1, 90)
        self.validation_view = ValidationView(self)

        self.tabs.addTab(self.payload_view, "Payload")
        self.tabs.addTab(self.tasks_view, "Tasks")
        self.tabs.addTab(self.uploads_view, "Uploads")
        self.tabs.addTab(self.validation_view, "Validation")

        self.buttons = QtWidgets.QDialogButtonBox(self)
        self.submit_button = self.buttons.addButton(
            "Submit", QtWidgets.QDialogButtonBox.AcceptRole
        )
        self.submit_button.setObjectName("submit")
        self.close_button = self.buttons.addButton(QtWidgets.QDialogButtonBox.Close)
        self.submit_button.clicked.connect(self.request_submit)
        self.close_button.clicked.connect(self.reject)

        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self.show_content(content)

    def show_content(self, content: PreviewContent) -> None:
        self.content = content
        self.setWindowTitle(
            "Farmhand preview: {}".format(content.title) if content.title else "Farmhand preview"
        )
        self.payload_view.set_text(content.payload_text)
        self.tasks_model.set_tasks(content.tasks, content.is_scout)
        self.uploads_model.set_rows(content.uploads)
        self.validation_view.set_messages(content.messages)
        missing = self.uploads_model.missing_count()
        errors, warnings = len(content.errors), len(content.warnings)
        self.tabs.setTabText(TASKS_TAB, "Tasks ({:,})".format(len(content.tasks)))
        self.tabs.setTabText(
            UPLOADS_TAB,
            "Uploads ({:,}{})".format(
                len(content.uploads), ", {:,} missing".format(missing) if missing else ""
            ),
        )
        self.tabs.setTabText(
            VALIDATION_TAB,
            "Validation ({}, {})".format(plural(errors, "error"), plural(warnings, "warning")),
        )
        parts = [content.frames_info] if content.frames_info else []
        parts.append(
            "{} to upload ({})".format(
                plural(len(content.uploads), "file"), human_bytes(self.uploads_model.total_bytes())
            )
        )
        if errors:
            parts.append("{} must be fixed before submitting".format(plural(errors, "error")))
        elif warnings:
            parts.append(plural(warnings, "warning"))
        self.summary.setText(". ".join(parts) + ".")
        self.submit_button.setEnabled(not errors)
        self.submit_button.setToolTip(
            "Fix the errors first (Validation tab)." if errors
            else "Submit this job; warnings are asked about first." if warnings
            else "Submit this job."
        )
        self.tabs.setCurrentIndex(VALIDATION_TAB if errors or warnings else PAYLOAD_TAB)

    def request_submit(self) -> None:
        if self.content.errors:
            return
        warnings = self.content.warnings
        if not warnings:
            self._confirmed()
            return
        box = QtWidgets.QMessageBox(self)
        box.setObjectName("confirm_warnings")
        box.setIcon(QtWidgets.QMessageBox.Warning)
        box.setWindowTitle("Submit with warnings?")
        box.setText(
            "The job has {}. Submit anyway?".format(plural(len(warnings), "warning"))
        )
        box.setInformativeText("\n".join(warnings[:10]))
        box.setStandardButtons(QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No)
        box.setDefaultButton(QtWidgets.QMessageBox.No)
        box.finished.connect(self._on_question_finished)
        self.question = box
        box.open()

    def _on_question_finished(self, result: int) -> None:
        box = self.question
        self.question = None
        if box is not None:
            answered_yes = box.clickedButton() is box.button(QtWidgets.QMessageBox.Yes)
            box.deleteLater()
            if answered_yes:
                self._confirmed()

    def _confirmed(self) -> None:
        self.submit_requested.emit()
        self.accept()

    def command_of(self, row: int) -> str:
        return str(self.tasks_model.index(row, COMMAND).data())

