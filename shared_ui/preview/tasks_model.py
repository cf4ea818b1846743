"""The preview's tasks table: one row per task of the payload, formatted only when on screen.

100,000 tasks must open as fast as 10: the model keeps the payload's own list and computes
each cell in ``data()`` (nothing is copied or pre-formatted per row), and the view uses fixed
row heights so Qt never measures rows it does not show.
"""

from typing import Any, Callable, Mapping, Optional, Sequence

from qtpy import QtCore, QtGui

from farmhand.shared_ui.tables import TableModel

COLUMNS = ("#", "Frames", "Scout", "Command")
INDEX, FRAMES, SCOUT, COMMAND = range(4)


class PayloadTasksModel(TableModel):
    def __init__(
        self,
        tasks: Sequence[Mapping[str, Any]] = (),
        is_scout: Optional[Callable[[int], bool]] = None,
        parent: Optional[QtCore.QObject] = None,
    ) -> None:
        super(PayloadTasksModel, self).__init__(COLUMNS, parent)
        self._tasks = tasks
        self._is_scout = is_scout
        self._scout_brush = QtGui.QBrush(QtGui.QColor("#2e7d32"))

    def set_tasks(
        self, tasks: Sequence[Mapping[str, Any]], is_scout: Optional[Callable[[int], bool]] = None
    ) -> None:
        self.beginResetModel()
        self._tasks = tasks
        self._is_scout = is_scout
        self.endResetModel()

    def task(self, row: int) -> Mapping[str, Any]:
        return self._tasks[row]

    def row_count(self) -> int:
        return len(self._tasks)

    def data(self, index: QtCore.QModelIndex, role: int = QtCore.Qt.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if role == QtCore.Qt.DisplayRole or role == QtCore.Qt.ToolTipRole:
            if column == INDEX:
                return str(row)
            task = self._tasks[row]
            if column == FRAMES:
                return str(task.get("frames", ""))
            if column == SCOUT:
                return "scout" if self._scout(row) else ""
            if column == COMMAND:
                command = task.get("command", "")
                return command if isinstance(command, str) else " ".join(map(str, command))
        if role == QtCore.Qt.ForegroundRole and column == SCOUT:
            return self._scout_brush
        return None

    def _scout(self, row: int) -> bool:
        return bool(self._is_scout(row)) if self._is_scout is not None else False
