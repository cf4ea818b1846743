"""The part every table model of the submitter shares: a flat table with column titles.

Qt asks ``rowCount`` and ``columnCount`` with a parent index, and a flat table must answer 0
for a valid parent, or views take each row for a tree node; ``headerData`` gives the titles.
Each model (preview tasks, uploads, payload lines, monitor records) then only says how many
rows it has (``row_count``) and what a cell shows (``data``).
"""

from typing import Any, Optional, Sequence

from qtpy import QtCore


class TableModel(QtCore.QAbstractTableModel):
    def __init__(self, headers: Sequence[str], parent: Optional[QtCore.QObject] = None) -> None:
        super(TableModel, self).__init__(parent)
        self.headers = tuple(headers)

    def row_count(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: Optional[QtCore.QModelIndex] = None) -> int:
        return 0 if parent is not None and parent.isValid() else self.row_count()

    def columnCount(self, parent: Optional[QtCore.QModelIndex] = None) -> int:
        return 0 if parent is not None and parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Any, role: int = QtCore.Qt.DisplayRole
    ) -> Any:
        if role == QtCore.Qt.DisplayRole and orientation == QtCore.Qt.Horizontal:
            return self.headers[section]
        return None
