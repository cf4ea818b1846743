"""What every table of the submitter shares: a flat model with column titles, and a view
with rows of one height.

Qt asks ``rowCount`` and ``columnCount`` with a parent index, and a flat table must answer 0
for a valid parent, or views take each row for a tree node; ``headerData`` gives the titles.
Each model (preview tasks, uploads, payload lines, monitor records) then only says how many
rows it has (``row_count``) and what a cell shows (``data``). A view that measured each row
would make 100,000 tasks slow to open, hence ``fixed_row_view``.
"""

from typing import Any, Optional, Sequence

from qtpy import QtCore, QtGui, QtWidgets


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


def fixed_row_view(
    parent: QtWidgets.QWidget,
    name: str,
    model: QtCore.QAbstractItemModel,
    padding: int,
    font: Optional[QtGui.QFont] = None,
    stretch_last: bool = True,
) -> QtWidgets.QTableView:
    """A table view whose rows are all the font's height plus ``padding`` and are never
    measured one by one. Whole rows are selected, cells do not wrap, rows are not numbered,
    and the last column takes the remaining width unless ``stretch_last`` is off."""
    view = QtWidgets.QTableView(parent)
    view.setObjectName(name)
    view.setModel(model)
    if font is not None:
        view.setFont(font)
    rows = view.verticalHeader()
    rows.setVisible(False)
    rows.setSectionResizeMode(QtWidgets.QHeaderView.Fixed)
    rows.setDefaultSectionSize(view.fontMetrics().height() + padding)
    view.setWordWrap(False)
    view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectRows)
    view.horizontalHeader().setStretchLastSection(stretch_last)
    return view
