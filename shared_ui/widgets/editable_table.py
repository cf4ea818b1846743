"""A table of text rows the user edits in place, with Add and Remove buttons beside it.

The extra-environment table and the metadata table are this one widget with other columns:
adding, removing, reading cells and refilling without echoing ``changed`` for every cell live
here once. The first ``text_columns`` columns hold the typed text; a subclass may put more in
a row after them (a choice box, a read-only column computed from the others) by extending
``_append``.

Keys work as in a form: Tab leaves the table for the next field (arrows move between cells,
and Tab still moves on while a cell is being edited), Delete removes the selected rows, and
Remove is enabled only when there is a row to remove.
"""

from typing import Iterable, List, Optional, Sequence

from qtpy import QtCore, QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui.widgets.delete_key import RemoveOnDelete


class EditableTable(QtWidgets.QWidget):
    """``changed`` fires once per user edit (typing in a cell, Add, Remove), never while the
    table is filled by ``set_rows``."""

    changed = Signal()

    def __init__(
        self,
        headers: Sequence[str],
        text_columns: Optional[int] = None,
        minimum_height: int = 90,
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(EditableTable, self).__init__(parent)
        self.headers = tuple(headers)
        self.text_columns = len(self.headers) if text_columns is None else text_columns
        self.table = QtWidgets.QTableWidget(0, len(self.headers), self)
        self.table.setObjectName("table")
        self.table.setHorizontalHeaderLabels(list(self.headers))
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.table.setMinimumHeight(minimum_height)
        self.table.setTabKeyNavigation(False)
        self.delete_key = RemoveOnDelete(self.table)
        self.delete_key.pressed.connect(self.remove_selected)
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
        # a lambda: a binding that hands ``clicked``'s checked flag to its slot (PyQt does)
        # must not turn it into a cell's text
        self.add_button.clicked.connect(lambda: self.add_row())
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.currentCellChanged.connect(self._update_buttons)
        self._update_buttons()

    # reading ------------------------------------------------------------------------------
    def text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text() if item is not None else ""

    def rows(self) -> List[List[str]]:
        """Every row's text cells, in the order shown."""
        columns = range(self.text_columns)
        return [[self.text(row, c) for c in columns] for row in range(self.table.rowCount())]

    # editing ------------------------------------------------------------------------------
    def set_rows(self, rows: Iterable[Sequence[str]]) -> None:
        """Replace every row (no ``changed``: this is loading, not editing)."""
        blocked = self.table.blockSignals(True)
        try:
            self.table.setRowCount(0)
            for values in rows:
                self._append(values)
        finally:
            self.table.blockSignals(blocked)
        self._update_buttons()

    def add_row(self, *values: str) -> int:
        """Append a row (empty cells for missing values), make it current, say ``changed``."""
        blocked = self.table.blockSignals(True)
        try:
            row = self._append(values)
        finally:
            self.table.blockSignals(blocked)
        self.table.setCurrentCell(row, 0)
        self._update_buttons()
        self.changed.emit()
        return row

    def remove_selected(self) -> None:
        """Remove the selected rows, or the current one when nothing is selected."""
        rows = sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True)
        if not rows and self.table.currentRow() >= 0:
            rows = [self.table.currentRow()]
        for row in rows:
            self.table.removeRow(row)
        self._update_buttons()
        if rows:
            self.changed.emit()

    def _update_buttons(self, *args: object) -> None:
        has_row = bool(self.table.selectedIndexes()) or self.table.currentRow() >= 0
        self.remove_button.setEnabled(self.table.rowCount() > 0 and has_row)

    # for subclasses -----------------------------------------------------------------------
    def _append(self, values: Sequence[str]) -> int:
        """Add a row whose text cells hold ``values`` (``""`` where missing); the caller has
        blocked the table's signals. Returns the row's index."""
        row = int(self.table.rowCount())
        self.table.insertRow(row)
        for column in range(self.text_columns):
            value = values[column] if column < len(values) else ""
            self.table.setItem(row, column, QtWidgets.QTableWidgetItem(value))
        return row

    def _read_only_item(self, row: int, column: int) -> QtWidgets.QTableWidgetItem:
        item = QtWidgets.QTableWidgetItem()
        item.setFlags(QtCore.Qt.ItemIsEnabled | QtCore.Qt.ItemIsSelectable)
        self.table.setItem(row, column, item)
        return item

    def _on_item_changed(self, item: QtWidgets.QTableWidgetItem) -> None:
        self.changed.emit()

    def _emit_changed(self, *args: object) -> None:
        self.changed.emit()
