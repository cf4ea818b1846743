"""A list of file and folder paths with Add files, Add folder and Remove (the extra uploads).

The pickers are Qt's own (non-native) file dialogs opened without blocking, so a host's event
loop keeps running and a test can drive them like a user. Delete removes the selected paths;
Remove is enabled only while some are selected.
"""

import os
from typing import List, Optional

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui.widgets.delete_key import RemoveOnDelete


class PathList(QtWidgets.QWidget):
    changed = Signal()

    def __init__(self, parent: Optional[QtWidgets.QWidget] = None) -> None:
        super(PathList, self).__init__(parent)
        self.list = QtWidgets.QListWidget(self)
        self.list.setObjectName("paths")
        self.list.setSelectionMode(QtWidgets.QAbstractItemView.ExtendedSelection)
        self.list.setMinimumHeight(80)
        self.add_files_button = QtWidgets.QPushButton("Add files...", self)
        self.add_files_button.setObjectName("add_files")
        self.add_folder_button = QtWidgets.QPushButton("Add folder...", self)
        self.add_folder_button.setObjectName("add_folder")
        self.remove_button = QtWidgets.QPushButton("Remove", self)
        self.remove_button.setObjectName("remove")
        buttons = QtWidgets.QVBoxLayout()
        for button in (self.add_files_button, self.add_folder_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.add_files_button.clicked.connect(self.choose_files)
        self.add_folder_button.clicked.connect(self.choose_folder)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.delete_key = RemoveOnDelete(self.list)
        self.delete_key.pressed.connect(self.remove_selected)
        self.start_dir = os.getcwd()
        self.picker: Optional[QtWidgets.QFileDialog] = None
        self._update_buttons()

    def value(self) -> List[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def set_value(self, paths: List[str]) -> None:
        blocked = self.list.blockSignals(True)
        try:
            self.list.clear()
            for path in paths:
                self.list.addItem(path)
        finally:
            self.list.blockSignals(blocked)
        self._update_buttons()

    def add_paths(self, paths: List[str]) -> None:
        """Append paths not already listed, in the order given."""
        present = set(self.value())
        added = False
        for path in paths:
            if path and path not in present:
                self.list.addItem(path)
                present.add(path)
                added = True
        if added:
            self.changed.emit()

    def remove_selected(self) -> None:
        rows = sorted((self.list.row(item) for item in self.list.selectedItems()), reverse=True)
        for row in rows:
            self.list.takeItem(row)
        self._update_buttons()
        if rows:
            self.changed.emit()

    def _update_buttons(self) -> None:
        self.remove_button.setEnabled(bool(self.list.selectedItems()))

    def choose_files(self) -> QtWidgets.QFileDialog:
        return self._open_picker("Add files to upload", QtWidgets.QFileDialog.ExistingFiles)

    def choose_folder(self) -> QtWidgets.QFileDialog:
        return self._open_picker("Add a folder to upload", QtWidgets.QFileDialog.Directory)

    def _open_picker(self, title: str, mode: object) -> QtWidgets.QFileDialog:
        picker = QtWidgets.QFileDialog(self, title, self.start_dir)
        picker.setObjectName("picker")
        picker.setFileMode(mode)
        picker.setOption(QtWidgets.QFileDialog.DontUseNativeDialog, True)
        if mode == QtWidgets.QFileDialog.Directory:
            picker.setOption(QtWidgets.QFileDialog.ShowDirsOnly, True)
        picker.filesSelected.connect(self._on_picked)
        picker.finished.connect(picker.deleteLater)
        self.picker = picker
        picker.open()
        return picker

    def _on_picked(self, paths: List[str]) -> None:
        if paths:
            self.start_dir = os.path.dirname(paths[0]) or self.start_dir
        self.add_paths([os.path.normpath(path) for path in paths])
