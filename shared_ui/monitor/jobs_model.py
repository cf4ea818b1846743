"""The jobs table: id, title, state, progress and task counts by state."""

import time
from typing import Any, Optional

from qtpy import QtCore

from farmhand.shared_ui.monitor.records_model import RecordsModel
from farmhand.shared_ui.monitor.states import state_brush
from farmhand.shared_ui.units import human_duration

PROGRESS_ROLE = QtCore.Qt.UserRole + 10


def done_count(job: Any) -> int:
    return sum(job.counts.get(state, 0) for state in ("success", "failed", "killed"))


def progress_text(job: Any) -> str:
    if job.upload_only:
        return "upload only"
    return "{}/{}".format(job.counts.get("success", 0), job.task_count)


def age(job: Any) -> str:
    if not job.created_at:
        return ""
    end = job.completed_at or time.time()
    start = job.started_at or job.created_at
    return human_duration(end - start)


COLUMNS = (
    ("Job", lambda job: job.job_id),
    ("Title", lambda job: job.title),
    ("State", lambda job: job.status),
    ("Progress", progress_text),
    ("Running", lambda job: job.counts.get("running", 0)),
    ("Held", lambda job: job.counts.get("held", 0)),
    ("Failed", lambda job: job.counts.get("failed", 0)),
    ("Time", age),
)


class JobsModel(RecordsModel):
    def __init__(self, parent: Optional[QtCore.QObject] = None) -> None:
        super(JobsModel, self).__init__(COLUMNS, lambda job: job.job_id, parent)

    def extra_data(self, record: Any, column: int, role: int) -> Any:
        if role == QtCore.Qt.ForegroundRole and column == 2:
            return state_brush(record.status)
        if role == PROGRESS_ROLE:
            if record.upload_only:  # no tasks to count: full once its files are there
                return (1 if record.status == "success" else 0, 1)
            total = record.task_count or 0
            return (record.counts.get("success", 0), total)
        if role == QtCore.Qt.ToolTipRole:
            counts = ", ".join(
                "{} {}".format(count, state) for state, count in record.counts.items() if count
            )
            return "{}: {}".format(record.title, counts or "no tasks")
        return None
