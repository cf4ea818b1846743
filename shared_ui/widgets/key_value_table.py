"""An editable two-column table for a ``Dict[str, str]`` field (job metadata).

Rows keep the order the user typed; a key typed twice is reported instead of one value
silently replacing the other.
"""

from typing import Dict, List, Optional, Set, Tuple

from qtpy import QtWidgets
from qtpy.QtCore import Signal


class KeyValueTable(QtWidgets.QWidget):
    changed = Signal()

    def __init__(
        self,
        headers: Tuple[str, str] = ("Key", "Value"),
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(KeyValueTable, self).__init__(parent)
        self.table = QtWidgets.QTableWidget(0, 2, self)
        self.table.setObjectName("table")
        self.table.setHorizontalHeaderLabels(list(headers))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(90)
        self.add_button = QtWidgets.QPushButton("Add", self)
        self.add_button.setObjectName("add")
        self.remove_button = QtWidgets.QPushButton("Remove", self)
        self.remove_button.setObjectName("remove")
        buttons = QtWidgets.QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.add_row)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._emit_changed)

    def rows(self) -> List[Tuple[str, str]]:
        result = []
        for row in range(self.table.rowCount()):
            key = self.table.item(row, 0)
            value = self.table.item(row, 1)
            result.append((key.text() if key else "", value.text() if value else ""))
        return result

    def value(self) -> Dict[str, str]:
        return {key.strip(): value for key, value in self.rows() if key.strip()}

    def set_value(self, value: Dict[str, str]) -> None:
        blocked = self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for key, item in value.items():
                self._append(str(key), str(item))
        finally:
            self.table.blockSignals(blocked)

    def duplicate_keys(self) -> List[str]:
        seen: Set[str] = set()
        duplicates = []
        for key, _ in self.rows():
            key = key.strip()
            if key in seen and key not in duplicates:
                duplicates.append(key)
            seen.add(key)
        return duplicates

    def add_row(self, key: str = "", value: str = "") -> int:
        blocked = self.table.blockSignals(True)
        try:
            row = self._append(key, value)
        finally:
            self.table.blockSignals(blocked)
        self.table.setCurrentCell(row, 0)
        self.changed.emit()
        return row

    def remove_selected(self) -> None:
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        if rows:
            self.changed.emit()

    def _append(self, key: str, value: str) -> int:
        row = int(self.table.rowCount())
        self.table.insertRow(row)
        self.table.setItem(row, 0, QtWidgets.QTableWidgetItem(key))
        self.table.setItem(row, 1, QtWidgets.QTableWidgetItem(value))
        return row

    def _emit_changed(self, *args: object) -> None:
        self.changed.emit()
