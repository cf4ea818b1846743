"""Advanced: location, metadata, how uploads happen, and diagnostics."""

from typing import Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.validation import LOG_LEVELS
from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.empty_hint import EmptyHint
from farmhand.shared_ui.widgets.inline_message import InlineMessage
from farmhand.shared_ui.widgets.key_value_table import KeyValueTable


class UploadModeChoice(QtWidgets.QWidget):
    """``local_upload`` as two radio buttons: upload now, or leave it to the upload daemon."""

    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(UploadModeChoice, self).__init__(parent)
        self.local_radio = QtWidgets.QRadioButton("Upload from this session", self)
        self.local_radio.setObjectName("local_upload_radio")
        self.local_radio.setToolTip(
            "Hash and send the files now, before the job is created (in the background; the "
            "progress window shows it)."
        )
        self.daemon_radio = QtWidgets.QRadioButton("Leave it to the upload daemon", self)
        self.daemon_radio.setObjectName("daemon_upload_radio")
        self.daemon_radio.setToolTip(
            "The job is sent with the list of files it needs; a separate upload daemon sends "
            "them, so this session is not kept busy."
        )
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.local_radio)
        layout.addWidget(self.daemon_radio)
        self.local_radio.setChecked(True)
        self.local_radio.toggled.connect(lambda *args: self.changed.emit())

    def value(self) -> bool:
        return bool(self.local_radio.isChecked())

    def set_value(self, local: bool) -> None:
        for radio in (self.local_radio, self.daemon_radio):
            radio.blockSignals(True)
        try:
            self.local_radio.setChecked(bool(local))
            self.daemon_radio.setChecked(not local)
        finally:
            for radio in (self.local_radio, self.daemon_radio):
                radio.blockSignals(False)


class AdvancedSection(Section):
    TITLE = "Advanced"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(AdvancedSection, self).__init__(parent)
        self.location_edit = QtWidgets.QLineEdit(self)
        self.location_edit.setToolTip(
            "Tags the job with a location so only the upload and download daemons of that "
            "location handle it."
        )
        self.metadata_table = KeyValueTable(parent=self)
        self.metadata_table.setObjectName("metadata")
        self.metadata_table.table.setToolTip(
            "Your own key and value pairs (shot, department...) stored with the job, to find "
            "and group jobs and usage reports."
        )
        self.metadata_empty_hint = EmptyHint(
            self.metadata_table.table, "No metadata. Add keys such as shot or department."
        )
        self.metadata_table.add_button.setToolTip("Add a key.")
        self.metadata_table.remove_button.setToolTip("Remove the selected keys (Delete).")
        self.metadata_error = InlineMessage(self)
        self.metadata_error.setObjectName("metadata_error")
        self.upload_mode = UploadModeChoice(self)
        self.force_check = QtWidgets.QCheckBox("Force upload", self)
        self.force_check.setToolTip("Send every file even if the farm already has its content.")
        self.upload_only_check = QtWidgets.QCheckBox("Upload only (no tasks)", self)
        self.upload_only_check.setToolTip(
            "Send the files but run nothing: assets are on the farm before anyone renders "
            "with them."
        )
        self.log_combo = QtWidgets.QComboBox(self)
        for level in LOG_LEVELS:
            self.log_combo.addItem(level, level)
        self.log_combo.setToolTip("How much Farmhand's own logging reports while it works.")
        self.tracebacks_check = QtWidgets.QCheckBox("Show tracebacks", self)
        self.tracebacks_check.setToolTip(
            "Show the full Python traceback when something fails unexpectedly (for a bug "
            "report)."
        )
        self.form.addRow("Location", self.location_edit)
        self.form.addRow("Metadata", self.metadata_table)
        self.add_message_row(self.metadata_error)
        self.form.addRow("Uploads", self.upload_mode)
        self.form.addRow("", self.force_check)
        self.form.addRow("", self.upload_only_check)
        self.form.addRow("Log level", self.log_combo)
        self.form.addRow("", self.tracebacks_check)
        self.bind(fields.line_edit("location", self.location_edit))
        self.bind(fields.custom("metadata", self.metadata_table))
        self.bind(fields.custom("local_upload", self.upload_mode))
        self.bind(fields.check_box("force_upload", self.force_check))
        self.bind(fields.check_box("upload_only", self.upload_only_check))
        self.bind(fields.combo_data("log_level", self.log_combo))
        self.bind(fields.check_box("show_tracebacks", self.tracebacks_check))

    def update_state(self) -> None:
        duplicates = self.metadata_table.duplicate_keys()
        if duplicates:
            self.metadata_error.show_error(
                "metadata key {} is given twice; only the last value is kept".format(
                    ", ".join(repr(key) for key in duplicates)
                )
            )
        else:
            self.metadata_error.clear_message()
