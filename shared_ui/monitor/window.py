"""The farm monitor window: jobs, the selected job's tasks, the selected task's log, and the
actions Release scouts, Retry and Kill.

Every request goes through ``background.Call``: a slow or unreachable farm shows up as a
status line, never as a frozen host. Refreshes do not overlap (a timer tick while one is in
flight is skipped), and the tables update in place so selection and scrolling survive.
"""

import time
from typing import Any, Callable, Dict, List, Optional

from qtpy import QtCore, QtWidgets
from qtpy.QtCore import Signal

from farmhand.shared_ui.background import Call, run_in_background
from farmhand.shared_ui.fonts import monospace_font
from farmhand.shared_ui.monitor.jobs_model import JobsModel
from farmhand.shared_ui.monitor.progress_delegate import ProgressDelegate
from farmhand.shared_ui.monitor.tasks_model import TasksModel
from farmhand.shared_ui.screen_fit import resize_to_fit
from farmhand.shared_ui.tables import fixed_row_view
from farmhand.shared_ui.units import plural
from farmhand.shared_ui.widgets.empty_hint import EmptyHint

REFRESH_MS = 2000
LOG_TAIL_CHARS = 1000000


def _table(
    parent: QtWidgets.QWidget, name: str, model: Any, widths: Dict[str, int]
) -> QtWidgets.QTableView:
    """A records table whose columns are as wide as their titles (or ``widths`` in
    characters): the counts and codes need little room, and the last column (a title, a
    command) gets the rest without scrolling sideways."""
    view = fixed_row_view(parent, name, model, padding=8)
    view.setSelectionMode(QtWidgets.QAbstractItemView.SingleSelection)
    metrics = view.fontMetrics()
    header = view.horizontalHeader()
    header_metrics = header.fontMetrics()
    for column, title in enumerate(model.headers):
        text_width = metrics.averageCharWidth() * widths.get(title, 0)
        title_width = header_metrics.boundingRect(title).width()
        view.setColumnWidth(column, max(text_width, title_width) + 2 * COLUMN_PADDING)
    return view


COLUMN_PADDING = 8
JOB_COLUMN_CHARS = {"Job": 6, "Title": 32, "State": 9, "Progress": 14, "Time": 8}
TASK_COLUMN_CHARS = {"Task": 4, "Frames": 10, "State": 8, "Scout": 5, "Duration": 6}
NO_JOB_SELECTED = "Select a job to see its tasks."
ASKING = "Asking the farm for its jobs..."


class FarmMonitor(QtWidgets.QWidget):
    """Watches one farm through a ``Connector``, or through ``open_connector()`` called off the
    UI thread on first use (reaching the local farm may mean starting it)."""

    refreshed = Signal()
    action_done = Signal(str)

    def __init__(
        self,
        connector: Any = None,
        open_connector: Optional[Callable[[], Any]] = None,
        parent: Optional[QtWidgets.QWidget] = None,
        interval_ms: int = REFRESH_MS,
    ) -> None:
        super(FarmMonitor, self).__init__(parent)
        self.setObjectName("FarmMonitor")
        self.setWindowTitle("Farmhand monitor")
        resize_to_fit(self, 1100, 700)
        if connector is None and open_connector is None:
            raise ValueError("FarmMonitor needs a connector or a way to open one")
        self._connector = connector
        self._open_connector = open_connector
        self._refresh_call: Optional[Call] = None
        self._refresh_again = False
        self._log_call: Optional[Call] = None
        self._log_text = ""
        self.refresh_count = 0
        self.target: Any = None
        self._select_pending: Optional[str] = None
        self.last_error: Optional[BaseException] = None

        self.jobs_model = JobsModel(self)
        self.tasks_model = TasksModel(self)
        self.jobs_view = _table(self, "jobs", self.jobs_model, JOB_COLUMN_CHARS)
        self.jobs_view.setItemDelegateForColumn(3, ProgressDelegate(self.jobs_view))
        self.jobs_hint = EmptyHint(self.jobs_view, ASKING)
        self.tasks_view = _table(self, "tasks", self.tasks_model, TASK_COLUMN_CHARS)
        self.tasks_hint = EmptyHint(self.tasks_view, NO_JOB_SELECTED)
        self.log_view = QtWidgets.QPlainTextEdit(self)
        self.log_view.setObjectName("log")
        self.log_view.setReadOnly(True)
        self.log_view.setFont(monospace_font())
        self.log_view.setPlaceholderText("Select a task to see its log.")
        self.log_view.setLineWrapMode(QtWidgets.QPlainTextEdit.NoWrap)

        self.refresh_button = QtWidgets.QPushButton("Refresh", self)
        self.refresh_button.setObjectName("refresh")
        self.refresh_button.setToolTip("Ask the farm for its jobs and tasks now.")
        self.auto_check = QtWidgets.QCheckBox("Auto refresh", self)
        self.auto_check.setObjectName("auto_refresh")
        self.auto_check.setChecked(True)
        self.auto_check.setToolTip(
            "Refresh every {:g} seconds while this window is open.".format(interval_ms / 1000.0)
        )
        self.release_button = QtWidgets.QPushButton("Release scouts", self)
        self.release_button.setObjectName("release")
        self.release_button.setToolTip("Let the tasks held behind the scout frames run.")
        self.retry_button = QtWidgets.QPushButton("Retry", self)
        self.retry_button.setObjectName("retry")
        self.retry_button.setToolTip(
            "Run the selected failed or killed task again, or every failed or killed task of "
            "the job when no task is selected."
        )
        self.kill_button = QtWidgets.QPushButton("Kill job", self)
        self.kill_button.setObjectName("kill")
        self.kill_button.setToolTip(
            "Stop the selected job: its running tasks are killed and nothing else starts "
            "(asks first)."
        )
        self.status_label = QtWidgets.QLabel(self)
        self.status_label.setObjectName("status")
        self.status_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)

        top = QtWidgets.QHBoxLayout()
        top.addWidget(self.refresh_button)
        top.addWidget(self.auto_check)
        top.addStretch(1)
        top.addWidget(self.release_button)
        top.addWidget(self.retry_button)
        top.addWidget(self.kill_button)
        lower = QtWidgets.QSplitter(QtCore.Qt.Horizontal, self)
        lower.addWidget(self.tasks_view)
        lower.addWidget(self.log_view)
        lower.setSizes([560, 440])
        splitter = QtWidgets.QSplitter(QtCore.Qt.Vertical, self)
        splitter.addWidget(self.jobs_view)
        splitter.addWidget(lower)
        splitter.setSizes([260, 420])
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status_label)

        self.timer = QtCore.QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.refresh)
        self.refresh_button.clicked.connect(self.refresh)
        self.auto_check.toggled.connect(self._on_auto_toggled)
        self.release_button.clicked.connect(self.release_selected)
        self.retry_button.clicked.connect(self.retry_selected)
        self.kill_button.clicked.connect(self.ask_kill)
        self.jobs_view.selectionModel().selectionChanged.connect(self._on_job_selected)
        self.tasks_view.selectionModel().selectionChanged.connect(self._on_task_selected)
        self.kill_question: Optional[QtWidgets.QMessageBox] = None
        self._update_buttons()

    # lifecycle -----------------------------------------------------------------------------
    def showEvent(self, event: Any) -> None:
        super(FarmMonitor, self).showEvent(event)
        if self.auto_check.isChecked():
            self.timer.start()
        self.refresh()

    def hideEvent(self, event: Any) -> None:
        self.timer.stop()
        super(FarmMonitor, self).hideEvent(event)

    def _on_auto_toggled(self, on: bool) -> None:
        if on and self.isVisible():
            self.timer.start()
        else:
            self.timer.stop()

    # the connector (opened lazily, off the UI thread) ---------------------------------------
    def _get_connector(self) -> Any:
        if self._connector is None:
            assert self._open_connector is not None
            self._connector = self._open_connector()
        return self._connector

    # selection -----------------------------------------------------------------------------
    def selected_job_id(self) -> Optional[str]:
        rows = self.jobs_view.selectionModel().selectedRows()
        return self.jobs_model.record(rows[0].row()).job_id if rows else None

    def selected_task_id(self) -> Optional[str]:
        rows = self.tasks_view.selectionModel().selectedRows()
        return self.tasks_model.record(rows[0].row()).task_id if rows else None

    def select_job(self, job_id: str) -> bool:
        row = self.jobs_model.row_of(job_id)
        if row >= 0:
            self.jobs_view.selectRow(row)
        return row >= 0

    def select_task(self, task_id: str) -> bool:
        row = self.tasks_model.row_of(task_id)
        if row >= 0:
            self.tasks_view.selectRow(row)
        return row >= 0

    def select_when_listed(self, job_id: str) -> None:
        """Select ``job_id`` now, or as soon as a refresh lists it (a job just submitted)."""
        if not self.select_job(job_id):
            self._select_pending = job_id
            self.refresh()

    def _on_job_selected(self, *args: Any) -> None:
        job_id = self.selected_job_id()
        self.tasks_hint.set_text(
            "Asking for the tasks of job {}...".format(job_id) if job_id else NO_JOB_SELECTED
        )
        self.tasks_model.set_records([])
        self.log_view.clear()
        self._log_text = ""
        self._update_buttons()
        self.refresh()

    def _on_task_selected(self, *args: Any) -> None:
        self.log_view.clear()
        self._log_text = ""
        self._update_buttons()
        self.load_log()

    # refresh -------------------------------------------------------------------------------
    def is_refreshing(self) -> bool:
        return self._refresh_call is not None

    def refresh(self) -> None:
        if self._refresh_call is not None:
            self._refresh_again = True
            return
        job_id = self.selected_job_id()

        def fetch(report: Callable[[Any], None]) -> Any:
            connector = self._get_connector()
            jobs = connector.jobs()
            job = connector.status(job_id) if job_id else None
            return job_id, jobs, job

        self._refresh_call = run_in_background(
            fetch, self._on_refreshed, self._on_refresh_failed, parent=None
        )

    def _on_refreshed(self, result: Any) -> None:
        self._refresh_call = None
        job_id, jobs, job = result
        self.last_error = None
        self._quietly(self.jobs_view, self.jobs_model.set_records, jobs, job_id)
        if job is not None and job.job_id == self.selected_job_id():
            self._quietly(
                self.tasks_view, self.tasks_model.set_records, job.tasks or [],
                self.selected_task_id(),
            )
            self.tasks_hint.set_text(
                "Job {} is upload only: it sends files and runs no tasks.".format(job.job_id)
                if getattr(job, "upload_only", False)
                else "Job {} has no tasks.".format(job.job_id)
            )
        self.jobs_hint.set_text(
            "No jobs on {} yet. Jobs you submit appear here.".format(self._describe())
        )
        self.refresh_count += 1
        if self._select_pending is not None and self.select_job(self._select_pending):
            self._select_pending = None
        self.status_label.setStyleSheet("")
        self.status_label.setText(
            "{} on {}, updated {}".format(
                plural(len(jobs), "job"), self._describe(), time.strftime("%H:%M:%S")
            )
        )
        self._update_buttons()
        self.refreshed.emit()
        if self.selected_task_id() is not None:
            self.load_log()
        self._maybe_refresh_again()

    def _quietly(
        self, view: QtWidgets.QTableView, update: Callable[[Any], None], records: Any,
        keep: Optional[str],
    ) -> None:
        """Update a table and keep the selected row selected, without re-announcing it."""
        model = view.model()
        selection = view.selectionModel()
        blocked = selection.blockSignals(True)
        try:
            update(records)
            row = model.row_of(keep) if keep is not None else -1
            if row >= 0 and not selection.isRowSelected(row, QtCore.QModelIndex()):
                view.selectRow(row)
        finally:
            selection.blockSignals(blocked)
        view.viewport().update()

    def _on_refresh_failed(self, error: BaseException) -> None:
        self._refresh_call = None
        self.last_error = error
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText("Could not reach the farm: {}".format(error))
        self.jobs_hint.set_text("Could not reach the farm; the line below says why.")
        self._maybe_refresh_again()

    def _maybe_refresh_again(self) -> None:
        if self._refresh_again:
            self._refresh_again = False
            self.refresh()

    def _describe(self) -> str:
        try:
            return str(self._connector.describe()) if self._connector is not None else "farm"
        except Exception:  # describe is informative only
            return "farm"

    # logs ----------------------------------------------------------------------------------
    def load_log(self) -> None:
        job_id, task_id = self.selected_job_id(), self.selected_task_id()
        if job_id is None or task_id is None or self._log_call is not None:
            return

        def fetch(report: Callable[[Any], None]) -> Any:
            return job_id, task_id, self._get_connector().logs(job_id, task_id)

        self._log_call = run_in_background(fetch, self._on_log, self._on_log_failed)

    def _on_log(self, result: Any) -> None:
        self._log_call = None
        job_id, task_id, text = result
        if (job_id, task_id) != (self.selected_job_id(), self.selected_task_id()):
            return
        if len(text) > LOG_TAIL_CHARS:
            text = "[showing the last {:,} of {:,} characters]\n{}".format(
                LOG_TAIL_CHARS, len(text), text[-LOG_TAIL_CHARS:]
            )
        if text == self._log_text:
            return
        self._log_text = text
        bar = self.log_view.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 2
        self.log_view.setPlainText(text)
        if at_end:
            bar.setValue(bar.maximum())

    def _on_log_failed(self, error: BaseException) -> None:
        self._log_call = None
        self._log_text = ""
        self.log_view.setPlainText("Could not read the log: {}".format(error))

    # actions -------------------------------------------------------------------------------
    def _update_buttons(self) -> None:
        job_id = self.selected_job_id()
        job = self.jobs_model.record(self.jobs_model.row_of(job_id)) if job_id else None
        self.release_button.setEnabled(bool(job and job.counts.get("held", 0)))
        retryable = False
        if job is not None:
            task_id = self.selected_task_id()
            if task_id is not None:
                task = self.tasks_model.record(self.tasks_model.row_of(task_id))
                retryable = task.status in ("failed", "killed")
            else:
                retryable = bool(job.counts.get("failed", 0) or job.counts.get("killed", 0))
        self.retry_button.setEnabled(retryable)
        self.kill_button.setEnabled(bool(job and not job.is_final))

    def _act(self, name: str, action: Callable[[Any], None]) -> Call:
        self.status_label.setStyleSheet("")
        self.status_label.setText("{}...".format(name))

        def run(report: Callable[[Any], None]) -> str:
            action(self._get_connector())
            return name

        return run_in_background(run, self._on_action_done, self._on_action_failed)

    def _on_action_done(self, name: str) -> None:
        self.status_label.setText("{}: done".format(name))
        self.action_done.emit(name)
        self.refresh()

    def _on_action_failed(self, error: BaseException) -> None:
        self.status_label.setStyleSheet("color: #b00020;")
        self.status_label.setText(str(error))
        self.refresh()

    def release_selected(self) -> Optional[Call]:
        job_id = self.selected_job_id()
        if job_id is None:
            return None
        return self._act(
            "Released the scouts of job {}".format(job_id), lambda c: c.release(job_id)
        )

    def retry_selected(self) -> Optional[Call]:
        job_id, task_id = self.selected_job_id(), self.selected_task_id()
        if job_id is None:
            return None
        if task_id is None:
            return self._act("Retried job {}".format(job_id), lambda c: c.retry(job_id))
        return self._act(
            "Retried task {} of job {}".format(task_id, job_id),
            lambda c: c.retry(job_id, task_id),
        )

    def ask_kill(self) -> Optional[QtWidgets.QMessageBox]:
        job_id = self.selected_job_id()
        if job_id is None:
            return None
        box = QtWidgets.QMessageBox(self)
        box.setObjectName("confirm_kill")
        box.setIcon(QtWidgets.QMessageBox.Warning)
        box.setWindowTitle("Kill job?")
        box.setText("Kill job {}? Running tasks stop and nothing else starts.".format(job_id))
        box.setStandardButtons(QtWidgets.QMessageBox.Yes | QtWidgets.QMessageBox.No)
        box.setDefaultButton(QtWidgets.QMessageBox.No)

        def answered(result: int) -> None:
            yes = box.clickedButton() is box.button(QtWidgets.QMessageBox.Yes)
            self.kill_question = None
            box.deleteLater()
            if yes:
                self.kill(job_id)

        box.finished.connect(answered)
        self.kill_question = box
        box.open()
        return box

    def kill(self, job_id: str) -> Call:
        return self._act("Killed job {}".format(job_id), lambda c: c.kill(job_id))

    def jobs(self) -> List[Any]:
        return self.jobs_model.records()

