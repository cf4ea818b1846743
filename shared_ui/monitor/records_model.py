"""A table model over a list of records keyed by id, refreshed in place.

The monitor refreshes every few seconds; resetting the model each time would drop the
user's selection and scroll position and flicker. ``set_records`` emits ``dataChanged`` when
the same ids come back in the same order and only resets when rows come or go.
"""

from typing import Any, Callable, List, Optional, Sequence, Tuple

from qtpy import QtCore

from farmhand.shared_ui.tables import TableModel

Column = Tuple[str, Callable[[Any], Any]]


class RecordsModel(TableModel):
    ID_ROLE = QtCore.Qt.UserRole + 1
    SORT_ROLE = QtCore.Qt.UserRole + 2

    def __init__(
        self,
        columns: Sequence[Column],
        key: Callable[[Any], str],
        parent: Optional[QtCore.QObject] = None,
    ) -> None:
        super(RecordsModel, self).__init__([title for title, _ in columns], parent)
        self._columns = list(columns)
        self._key = key
        self._records: List[Any] = []

    def set_records(self, records: Sequence[Any]) -> None:
        records = list(records)
        same_rows = [self._key(r) for r in records] == [self._key(r) for r in self._records]
        if same_rows and records:
            self._records = records
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(records) - 1, len(self._columns) - 1)
            )
            return
        self.beginResetModel()
        self._records = records
        self.endResetModel()

    def records(self) -> List[Any]:
        return list(self._records)

    def record(self, row: int) -> Any:
        return self._records[row]

    def row_of(self, key: str) -> int:
        for row, record in enumerate(self._records):
            if self._key(record) == key:
                return row
        return -1

    def column_of(self, title: str) -> int:
        return self.headers.index(title)

    def row_count(self) -> int:
        return len(self._records)

    def data(self, index: QtCore.QModelIndex, role: int = QtCore.Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self._records[index.row()]
        if role == QtCore.Qt.DisplayRole:
            value = self._columns[index.column()][1](record)
            return "" if value is None else str(value)
        if role == self.ID_ROLE:
            return self._key(record)
        if role == self.SORT_ROLE:
            return self._columns[index.column()][1](record)
        return self.extra_data(record, index.column(), role)

    def extra_data(self, record: Any, column: int, role: int) -> Any:
        """Colours, tooltips and the like; subclasses add what their records need."""
        return None
