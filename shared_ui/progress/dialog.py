"""Progress of one submission, run on a worker thread, with Cancel.

The dialog never hashes, uploads or waits on the network itself: it starts the submission
(``submit(progress, cancel)``) in a ``background.Call`` and shows the ``ProgressEvent``s the
worker reports through a queued signal. Cancel sets the event the client checks between
blocks; the client guarantees no job is created unless every upload finished, so a cancelled
submission leaves nothing half-submitted.
"""

import threading
from typing import Any, Callable, List, Optional

from qtpy import QtCore, QtGui, QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.errors import CancelledError
from farmhand.core.transfer.progress import eta_text
from farmhand.shared_ui.background import Call
from farmhand.shared_ui.error_text import error_text
from farmhand.shared_ui.units import human_bytes, human_duration, human_rate

SubmitFunction = Callable[[Callable[[Any], None], threading.Event], Any]

PHASE_TITLES = {
    "hashing": "Hashing files",
    "uploading": "Uploading files",
    "submitting": "Submitting the job",
    "done": "Done",
}

BAR_STEPS = 1000


class SubmitProgressDialog(QtWidgets.QDialog):
    """``start()`` runs the submission; ``succeeded(result)``/``failed(error)`` at the end."""

    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    monitor_requested = Signal(object)

    def __init__(
        self,
        submit: SubmitFunction,
        describe_result: Callable[[Any], str],
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(SubmitProgressDialog, self).__init__(parent)
        self.setObjectName("SubmitProgressDialog")
        self.setWindowTitle("Submitting")
        self.resize(620, 300)
        self._submit = submit
        self._describe = describe_result
        self.cancel_event = threading.Event()
        self.call: Optional[Call] = None
        self.result: Any = None
        self.error: Optional[BaseException] = None
        self.state = "idle"  # idle, running, cancelling, succeeded, failed, cancelled
        self.show_tracebacks = False  # the job's Show tracebacks setting
        self.events_seen = 0
        self.phases_seen: List[str] = []

        self.phase_label = QtWidgets.QLabel("Waiting to start", self)
        self.phase_label.setObjectName("phase")
        font = self.phase_label.font()
        font.setBold(True)
        self.phase_label.setFont(font)
        self.overall_bar = QtWidgets.QProgressBar(self)
        self.overall_bar.setObjectName("overall")
        self.overall_bar.setRange(0, BAR_STEPS)
        self.bytes_label = QtWidgets.QLabel(self)
        self.bytes_label.setObjectName("bytes")
        self.file_label = QtWidgets.QLabel(self)
        self.file_label.setObjectName("file")
        self.file_label.setTextFormat(QtCore.Qt.PlainText)
        self.file_bar = QtWidgets.QProgressBar(self)
        self.file_bar.setObjectName("file_progress")
        self.file_bar.setRange(0, BAR_STEPS)
        # the file row shows up with the first file: a job that sends nothing never has
        # an empty bar standing under the overall one
        self.file_label.setVisible(False)
        self.file_bar.setVisible(False)
        self.result_label = QtWidgets.QLabel(self)
        self.result_label.setObjectName("result")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(QtCore.Qt.TextSelectableByMouse)

        self.cancel_button = QtWidgets.QPushButton("Cancel", self)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setToolTip(
            "Stop hashing and uploading; no job is created unless every upload finished."
        )
        self.monitor_button = QtWidgets.QPushButton("Open farm monitor", self)
        self.monitor_button.setObjectName("open_monitor")
        self.monitor_button.setVisible(False)
        self.close_button = QtWidgets.QPushButton("Close", self)
        self.close_button.setObjectName("close")
        self.close_button.setVisible(False)
        self.cancel_button.clicked.connect(self.cancel)
        self.monitor_button.clicked.connect(lambda: self.monitor_requested.emit(self.result))
        self.close_button.clicked.connect(self.accept)

        buttons = QtWidgets.QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.monitor_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addWidget(self.phase_label)
        layout.addWidget(self.overall_bar)
        layout.addWidget(self.bytes_label)
        layout.addSpacing(8)
        layout.addWidget(self.file_label)
        layout.addWidget(self.file_bar)
        layout.addSpacing(8)
        layout.addWidget(self.result_label, 1)
        layout.addLayout(buttons)

    # running -------------------------------------------------------------------------------
    def start(self) -> Call:
        if self.call is not None:
            raise RuntimeError("a progress dialog runs one submission")
        cancel = self.cancel_event
        submit = self._submit
        self.state = "running"
        self.phase_label.setText("Starting")
        call = Call(lambda report: submit(report, cancel))
        call.progressed.connect(self.on_progress)
        call.succeeded.connect(self._on_succeeded)
        call.failed.connect(self._on_failed)
        self.call = call
        call.start_call()
        return call

    def is_running(self) -> bool:
        return self.state in ("running", "cancelling")

    def cancel(self) -> None:
        if not self.is_running():
            return
        self.state = "cancelling"
        self.cancel_event.set()
        self.cancel_button.setEnabled(False)
        self.phase_label.setText("Cancelling...")

    # progress events (UI thread) ------------------------------------------------------------
    def on_progress(self, event: Any) -> None:
        self.events_seen += 1
        phase = getattr(event, "phase", "")
        if phase and (not self.phases_seen or self.phases_seen[-1] != phase):
            self.phases_seen.append(phase)
        if self.state == "cancelling":
            return
        title = PHASE_TITLES.get(phase, phase.capitalize())
        if getattr(event, "files_total", 0):
            title = "{} ({:,} of {:,} files)".format(title, event.files_done, event.files_total)
        self.phase_label.setText(title)
        self.overall_bar.setValue(int(round(event.fraction * BAR_STEPS)))
        if event.bytes_total:
            self.bytes_label.setText(
                "{} of {}, {}, {} elapsed{}".format(
                    human_bytes(event.bytes_done),
                    human_bytes(event.bytes_total),
                    human_rate(event.rate),
                    human_duration(event.elapsed),
                    eta_text(getattr(event, "eta", None), ", "),
                )
            )
        elif event.message:
            self.bytes_label.setText(event.message)
        if event.path:
            self.file_label.setVisible(True)
            self.file_bar.setVisible(True)
            self.file_label.setText(event.path)
            fraction = float(event.file_bytes) / event.file_size if event.file_size else 1.0
            self.file_bar.setValue(int(round(min(1.0, fraction) * BAR_STEPS)))

    # outcome -------------------------------------------------------------------------------
    def _on_succeeded(self, result: Any) -> None:
        self.result = result
        self.state = "succeeded"
        self.phase_label.setText("Submitted")
        job_id = getattr(result[-1] if isinstance(result, tuple) else result, "job_id", None)
        self.setWindowTitle("Submitted job {}".format(job_id) if job_id else "Done")
        self.overall_bar.setValue(BAR_STEPS)
        self.result_label.setText(self._describe(result))
        self._finish_buttons(show_monitor=True)
        self.succeeded.emit(result)

    def _on_failed(self, error: BaseException) -> None:
        self.error = error
        if isinstance(error, CancelledError) or self.cancel_event.is_set():
            self.state = "cancelled"
            self.phase_label.setText("Cancelled")
            self.setWindowTitle("Submission cancelled")
            self.result_label.setText("Cancelled: nothing was submitted.")
            self._finish_buttons(show_monitor=False)
            self.cancelled.emit()
            return
        self.state = "failed"
        self.phase_label.setText("Submission failed")
        self.setWindowTitle("Submission failed")
        self.result_label.setStyleSheet("color: #b00020;")
        traceback_text = self.call.error_traceback if self.call is not None else ""
        self.result_label.setText(
            error_text(error, self.show_tracebacks, traceback_text or None)
        )
        self._finish_buttons(show_monitor=False)
        self.failed.emit(error)

    def _finish_buttons(self, show_monitor: bool) -> None:
        self.cancel_button.setVisible(False)
        self.close_button.setVisible(True)
        self.monitor_button.setVisible(show_monitor)
        self.close_button.setDefault(True)

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:
        if self.is_running():
            # closing means cancel; the dialog stays until the worker has stopped
            self.cancel()
            event.ignore()
            return
        super(SubmitProgressDialog, self).closeEvent(event)

    def reject(self) -> None:
        if self.is_running():
            self.cancel()
            return
        super(SubmitProgressDialog, self).reject()
