"""Extra uploads and the dependency scan policy.

The scan finds the files a scene references when the job is built (preview or submit);
extra uploads are what it cannot find (scripts, caches read by expressions). A missing file
is reported in the preview, never skipped.
"""

from typing import Optional

from qtpy import QtWidgets

from farmhand.core.job.settings import MISSING_FILE_LEVELS, SCAN_POLICIES
from farmhand.shared_ui import fields
from farmhand.shared_ui.section import Section
from farmhand.shared_ui.widgets.empty_hint import EmptyHint
from farmhand.shared_ui.widgets.path_list import PathList

EMPTY = (
    "No extra uploads. The dependency scan finds the files the scene references; add here "
    "what it cannot (scripts, caches read by expressions)."
)

SCAN_LABELS = {
    "none": "No scan (only the files listed here)",
    "smart": "Smart sequence (only the frames being rendered)",
    "glob": "Glob (every file on disk matching a sequence)",
}

MISSING_LABELS = {
    "error": "Stop the submission (error)",
    "warning": "Warn, then submit anyway",
}


class UploadsSection(Section):
    TITLE = "Extra uploads"

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(UploadsSection, self).__init__(parent)
        self.path_list = PathList(self)
        self.path_list.list.setToolTip(
            "Files and folders sent with the job besides what the dependency scan finds "
            "(scripts, caches read by expressions). A folder is sent with everything in it."
        )
        self.empty_hint = EmptyHint(self.path_list.list, EMPTY)
        self.path_list.add_files_button.setToolTip("Choose files to send with the job.")
        self.path_list.add_folder_button.setToolTip("Choose a folder to send with the job.")
        self.path_list.remove_button.setToolTip("Remove the selected paths (Delete).")
        self.scan_combo = QtWidgets.QComboBox(self)
        for policy in SCAN_POLICIES:
            self.scan_combo.addItem(SCAN_LABELS.get(policy, policy), policy)
        self.scan_combo.setToolTip(
            "How files the scene references are found: ####/$F4 sequences are narrowed to "
            "the frames rendered (smart), or every matching file on disk is sent (glob)."
        )
        self.missing_combo = QtWidgets.QComboBox(self)
        for level in MISSING_FILE_LEVELS:
            self.missing_combo.addItem(MISSING_LABELS.get(level, level), level)
        self.missing_combo.setToolTip(
            "A file the dependency scan cannot find, or a path it cannot resolve ($F * 2, an "
            "unset $VARIABLE), stops the submission or is only a warning."
        )
        self.form.addRow("Dependency scan", self.scan_combo)
        self.form.addRow("Missing files", self.missing_combo)
        self.form.addRow(self.path_list)
        self.bind(fields.combo_data("dependency_scan_policy", self.scan_combo))
        self.bind(fields.combo_data("missing_files", self.missing_combo))
        self.bind(fields.custom("upload_paths", self.path_list))
