"""The tasks table of the selected job: id, frames, state, attempts, duration, exit code."""

from typing import Any, Optional

from qtpy import QtCore

from farmhand.shared_ui.monitor.records_model import RecordsModel
from farmhand.shared_ui.monitor.states import state_brush


def duration(task: Any) -> str:
    return "" if task.duration is None else "{:.1f}s".format(task.duration)


COLUMNS = (
    ("Task", lambda task: task.task_id),
    ("Frames", lambda task: task.frames),
    ("State", lambda task: task.status),
    ("Scout", lambda task: "scout" if task.scout else ""),
    ("Attempts", lambda task: task.attempts),
    ("Duration", duration),
    ("Exit", lambda task: task.exit_code),
    ("Outputs", lambda task: len(task.outputs) if task.outputs else ""),
    ("Command", lambda task: task.command),
)

STATE_COLUMN = 2


class TasksModel(RecordsModel):
    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super(TasksModel, self).__init__(COLUMNS, lambda task: task.task_id, parent)

    def extra_data(self, record: Any, column: int, role: int) -> Any:
        if role == QtCore.Qt.ForegroundRole and column == STATE_COLUMN:
            return state_brush(record.status)
        if role == QtCore.Qt.ToolTipRole and record.outputs:
            return "\n".join(record.outputs)
        return None
