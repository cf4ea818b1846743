"""The extra-environment table: name, value, merge policy, and what the value expands to here.

Values may name local variables (``$HOME/tools``, ``${SHOW}``); the last column shows what they
expand to on this workstation, because that expanded text is what the job will carry.
"""

from typing import Callable, List, Optional

from qtpy import QtCore, QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.job.settings import MERGE_POLICIES, EnvEntry

NAME, VALUE, POLICY, EXPANDED = range(4)
HEADERS = ("Name", "Value", "Policy", "Expands to")


class EnvTable(QtWidgets.QWidget):
    changed = Signal()

    def __init__(
        self,
        expand: Callable[[str], str],
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(EnvTable, self).__init__(parent)
        self._expand = expand
        self.table = QtWidgets.QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("table")
        self.table.setHorizontalHeaderLabels(list(HEADERS))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QtWidgets.QHeaderView.Interactive)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(110)
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
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._on_item_changed)

    # value ---------------------------------------------------------------------------------
    def value(self) -> List[EnvEntry]:
        entries = []
        for row in range(self.table.rowCount()):
            entries.append(
                EnvEntry(
                    name=self._text(row, NAME),
                    value=self._text(row, VALUE),
                    merge_policy=self.policy_combo(row).currentText(),
                )
            )
        return entries

    def set_value(self, entries: List[EnvEntry]) -> None:
        blocked = self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for entry in entries:
                self._append(entry.name, entry.value, entry.merge_policy)
        finally:
            self.table.blockSignals(blocked)

    # editing -------------------------------------------------------------------------------
    def add_row(self, name: str = "", value: str = "", policy: str = "exclusive") -> int:
        blocked = self.table.blockSignals(True)
        try:
            row = self._append(name, value, policy)
        finally:
            self.table.blockSignals(blocked)
        self.table.setCurrentCell(row, NAME)
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

    def policy_combo(self, row: int) -> QtWidgets.QComboBox:
        widget = self.table.cellWidget(row, POLICY)
        assert isinstance(widget, QtWidgets.QComboBox)
        return widget

    # internals -----------------------------------------------------------------------------
    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def _append(self, name: str, value: str, policy: str) -> int:
        row = int(self.table.rowCount())
        self.table.insertRow(row)
        self.table.setItem(row, NAME, QtWidgets.QTableWidgetItem(name))
        self.table.setItem(row, VALUE, QtWidgets.QTableWidgetItem(value))
        expanded = QtWidgets.QTableWidgetItem()
        expanded.setFlags(QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable)
        self.table.setItem(row, EXPANDED, expanded)
        combo = QtWidgets.QComboBox(self.table)
        combo.setObjectName("policy")
        for choice in MERGE_POLICIES:
            combo.addItem(choice)
        if combo.findText(policy) < 0:  # a job file's unknown policy stays visible (and invalid)
            combo.addItem(policy)
        combo.setCurrentIndex(combo.findText(policy))
        combo.currentIndexChanged.connect(self._emit_changed)
        self.table.setCellWidget(row, POLICY, combo)
        self._update_expanded(row)
        return row

    def _update_expanded(self, row: int) -> None:
        item = self.table.item(row, EXPANDED)
        if item is None:
            return
        raw = self._text(row, VALUE)
        blocked = self.table.blockSignals(True)
        try:
            expanded = self._expand(raw)
            item.setText(expanded if expanded != raw else "")
        finally:
            self.table.blockSignals(blocked)

    def _on_item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        if item.column() == EXPANDED:
            return
        if item.column() == VALUE:
            self._update_expanded(item.row())
        self.changed.emit()

    def _emit_changed(self, *args: object) -> None:
        self.changed.emit()
