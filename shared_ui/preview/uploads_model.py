"""The uploads table: every file the job will send, its size, and the ones that are missing.

Missing files sort first and show in red: the farm would fail on them, so they are what the
user must see without scrolling.
"""

from typing import Any, List, Optional, Sequence

from qtpy import QtCore, QtGui

from farmhand.shared_ui.preview.content import UploadRow
from farmhand.shared_ui.tables import TableModel
from farmhand.shared_ui.units import human_bytes

COLUMNS = ("Path", "Size", "Status")
PATH, SIZE, STATUS = range(3)


class UploadsModel(TableModel):
    def __init__(
        self, rows: Sequence[UploadRow] = (), parent: Optional[QtCore.QObject] = None
    ) -> None:
        super(UploadsModel, self).__init__(COLUMNS, parent)
        self._rows: List[UploadRow] = []
        self._missing_brush = QtGui.QBrush(QtGui.QColor("#b00020"))
        self.set_rows(rows)

    def set_rows(self, rows: Sequence[UploadRow]) -> None:
        self.beginResetModel()
        self._rows = sorted(rows, key=lambda row: (not row.missing, row.path))
        self.endResetModel()

    def row(self, index: int) -> UploadRow:
        return self._rows[index]

    def missing_count(self) -> int:
        return sum(1 for row in self._rows if row.missing)

    def total_bytes(self) -> int:
        return sum(row.size or 0 for row in self._rows)

    def row_count(self) -> int:
        return len(self._rows)

    def data(self, index: QtCore.QModelIndex, role: int = QtCore.Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        upload = self._rows[index.row()]
        column = index.column()
        if role == QtCore.Qt.DisplayRole:
            if column == PATH:
                return upload.path
            if column == SIZE:
                return "" if upload.size is None else human_bytes(upload.size)
            if column == STATUS:
                return upload.status
        if role == QtCore.Qt.ToolTipRole and column == SIZE and upload.size is not None:
            return "{:,} bytes".format(upload.size)
        if role == QtCore.Qt.ForegroundRole and upload.missing:
            return self._missing_brush
        if role == QtCore.Qt.TextAlignmentRole and column == SIZE:
            return int(QtCore.Qt.AlignRight | QtCore.Qt.AlignVCenter)
        return None
