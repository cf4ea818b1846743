"""The submitter: the host's widget, every section, and Connect, Preview, Submit, Monitor.

One widget for every host, parametrised by ``SubmitterHooks`` (the host's settings widget and
its job-building callback). The farm is only reached off the UI thread (Connect, Submit,
Monitor); the job is built on the UI thread because building reads the host's scene. Every
call into the host's callbacks is guarded: a failure is shown under the buttons, never
raised into the host.
"""

from typing import Any, Callable, Optional

from qtpy import QtCore, QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.errors import InputError
from farmhand.core.job.settings import JobSettings
from farmhand.shared_ui.background import run_in_background
from farmhand.shared_ui.error_text import error_text
from farmhand.shared_ui.form import JobForm
from farmhand.shared_ui.hooks import SubmitterHooks
from farmhand.shared_ui.monitor.window import FarmMonitor
from farmhand.shared_ui.preview.content import PreviewContent
from farmhand.shared_ui.preview.dialog import PreviewDialog
from farmhand.shared_ui.progress.dialog import SubmitProgressDialog
from farmhand.shared_ui.submit_result import describe_result
from farmhand.shared_ui.targets import FarmTarget
from farmhand.shared_ui.units import plural
from farmhand.shared_ui.widgets.inline_message import InlineMessage

# Push the settings to the host this long after the last edit (a node write per keystroke
# would make typing lag in a heavy scene).
SYNC_DELAY_MS = 300


def no_default_button(widget: QtWidgets.QWidget) -> None:
    """Enter in a field presses no button.

    In a dialog (a host shows the submitter in one) Qt makes the first push button the
    default, so Enter typed in the title or the frame spec would press Connect; Preview and
    Submit are what Enter would be expected to do, and neither should happen by accident.
    """
    for button in widget.findChildren(QtWidgets.QPushButton):
        button.setAutoDefault(False)
        button.setDefault(False)


class SubmitterWidget(QtWidgets.QWidget):
    """The whole submitter. ``settings()`` is what the widgets show, as ``JobSettings``."""

    catalogue_loaded = Signal(object)
    submitted = Signal(object)
    saved = Signal()

    def __init__(
        self,
        settings: JobSettings,
        hooks: SubmitterHooks,
        target: Optional[FarmTarget] = None,
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(SubmitterWidget, self).__init__(parent)
        self.setObjectName("SubmitterWidget")
        self.hooks = hooks
        self.catalogue: Any = None
        self.connector: Any = None
        self._connector_target: Optional[FarmTarget] = None
        self.preview_dialog: Optional[PreviewDialog] = None
        self.progress_dialog: Optional[SubmitProgressDialog] = None
        self.monitor: Optional[FarmMonitor] = None
        self.last_submission: Any = None
        self.connect_call: Any = None

        self.form = JobForm(self)
        self.form.set_package_detector(hooks.detect_packages)
        self.form.farm.set_target(target or FarmTarget.from_environment())
        self.scroll = QtWidgets.QScrollArea(self)
        self.scroll.setObjectName("sections")
        self.scroll.setWidgetResizable(True)
        self.scroll.setWidget(self.form)
        self.scroll.setFrameShape(QtWidgets.QFrame.NoFrame)

        self.message = InlineMessage(self)
        self.message.setObjectName("message")
        self.preview_button = QtWidgets.QPushButton("Preview", self)
        self.preview_button.setObjectName("preview")
        self.preview_button.setToolTip("Build the job and show exactly what would be submitted.")
        self.submit_button = QtWidgets.QPushButton("Submit", self)
        self.submit_button.setObjectName("submit")
        self.submit_button.setToolTip(
            "Submit the job; if it has errors or warnings the preview opens first."
        )
        self.monitor_button = QtWidgets.QPushButton("Monitor", self)
        self.monitor_button.setObjectName("monitor")
        self.monitor_button.setToolTip("Watch the farm's jobs and tasks.")
        self.save_button = QtWidgets.QPushButton("Save", self)
        self.save_button.setObjectName("save")
        self.save_button.setToolTip("Write these settings back to the job.")
        self.save_button.setVisible(hooks.save_settings is not None)
        buttons = QtWidgets.QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.monitor_button)
        buttons.addStretch(1)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.submit_button)
        layout = QtWidgets.QVBoxLayout(self)
        if hooks.host_widget is not None:
            layout.addWidget(hooks.host_widget)
            changed = getattr(hooks.host_widget, "changed", None)
            if changed is not None:
                changed.connect(self._on_changed)
        layout.addWidget(self.scroll, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        self._sync_timer = QtCore.QTimer(self)
        self._sync_timer.setSingleShot(True)
        self._sync_timer.setInterval(SYNC_DELAY_MS)
        self._sync_timer.timeout.connect(self._sync_to_host)
        self.form.changed.connect(self._on_changed)
        self.form.farm.connect_requested.connect(self.connect_farm)
        self.form.farm.target_changed.connect(self._forget_connector)
        self.preview_button.clicked.connect(self.preview)
        self.submit_button.clicked.connect(self.submit)
        self.monitor_button.clicked.connect(self.open_monitor)
        self.save_button.clicked.connect(self.save)
        no_default_button(self)
        self.load(settings)

    # settings ------------------------------------------------------------------------------
    def load(self, settings: JobSettings) -> None:
        self.form.load(settings)
        loader = getattr(self.hooks.host_widget, "load", None)
        try:
            if loader is not None:
                loader(settings)
            self.refresh_host_frames()
        except Exception as error:  # a host callback: shown, never raised into the host
            self.show_failure("Could not show the {} settings".format(self.hooks.host_name),
                              error)

    def settings(self) -> JobSettings:
        settings = self.form.settings()
        storer = getattr(self.hooks.host_widget, "store", None)
        if storer is not None:
            storer(settings)
        return settings

    def refresh_host_frames(self) -> None:
        if self.hooks.host_frames is not None:
            self.form.set_host_frames(self.hooks.host_frames())

    def show_tracebacks(self) -> bool:
        return bool(self.form.advanced.tracebacks_check.isChecked())

    def show_failure(self, what: str, error: BaseException) -> None:
        """``what`` failed: Farmhand's errors as they are, anything else as a bug (with its
        traceback when Show tracebacks is on)."""
        self.message.show_error("{}: {}".format(what, error_text(error, self.show_tracebacks())))

    def save(self) -> None:
        if self.hooks.save_settings is None:
            return
        try:
            self.hooks.save_settings(self.settings())
        except (InputError, OSError) as error:
            self.message.show_error("Could not save: {}".format(error))
            return
        except Exception as error:
            self.show_failure("Could not save", error)
            return
        self.message.show_note("Saved.")
        self.saved.emit()

    def _on_changed(self, *args: Any) -> None:
        self.message.clear_message()
        if self.hooks.settings_changed is not None:
            self._sync_timer.start()

    def _sync_to_host(self) -> None:
        if self.hooks.settings_changed is not None:
            try:
                self.hooks.settings_changed(self.settings())
            except Exception as error:
                self.show_failure(
                    "Could not pass the edit on to the {}".format(self.hooks.host_name), error
                )

    # the farm ------------------------------------------------------------------------------
    def target(self) -> FarmTarget:
        return self.form.farm.target()

    def _forget_connector(self) -> None:
        self.connector = None
        self._connector_target = None

    def _open_connector(self, target: FarmTarget) -> Any:
        """The connector for ``target``, opened once; called on worker threads."""
        if self.connector is not None and self._connector_target == target:
            return self.connector
        connector = target.open()
        self.connector, self._connector_target = connector, target
        return connector

    def connect_farm(self) -> Any:
        target = self.target()
        self.form.farm.set_busy(True)

        def fetch(report: Callable[[Any], None]) -> Any:
            connector = self._open_connector(target)
            return connector, connector.catalogue()

        self.connect_call = run_in_background(fetch, self._on_connected, self._on_connect_failed)
        return self.connect_call

    def _on_connected(self, result: Any) -> None:
        connector, catalogue = result
        self.catalogue = catalogue
        self.form.set_catalogue(catalogue)
        self.form.farm.set_busy(False)
        self.form.farm.set_connected(True)
        self.form.farm.show_status(
            "Connected to {}: {}, {}, {}.".format(
                connector.describe(),
                plural(len(catalogue.projects), "project"),
                plural(len(catalogue.instance_types), "instance type"),
                plural(len(catalogue.packages), "package"),
            )
        )
        self.catalogue_loaded.emit(catalogue)

    def _on_connect_failed(self, error: BaseException) -> None:
        self.form.farm.set_busy(False)
        self.form.farm.set_connected(False)
        self.form.farm.show_status(
            "Could not connect: {}".format(error_text(error, self.show_tracebacks())), error=True
        )

    # build, preview, submit -----------------------------------------------------------------
    def build(self) -> Any:
        """The job as the host builds it from what the widgets show; ``None`` on bad input
        (the error is shown under the buttons)."""
        try:
            self.refresh_host_frames()
            submission = self.hooks.build_job(self.settings(), self.catalogue)
        except InputError as error:
            self.message.show_error(str(error))
            return None
        except Exception as error:  # a bug here or in the host's callback
            self.show_failure("Could not build the job", error)
            return None
        self.last_submission = submission
        return submission

    def preview(self) -> Optional[PreviewDialog]:
        submission = self.build()
        if submission is None:
            return None
        return self._open_preview(submission)

    def _open_preview(self, submission: Any) -> PreviewDialog:
        content = PreviewContent.from_submission(submission)
        dialog = PreviewDialog(content, self)
        dialog.submit_requested.connect(lambda: self.start_submit(submission))
        dialog.finished.connect(dialog.deleteLater)
        self.preview_dialog = dialog
        dialog.open()
        return dialog

    def submit(self) -> Any:
        """Submit at once when the job is clean; otherwise show the preview, where errors
        block and warnings ask."""
        submission = self.build()
        if submission is None:
            return None
        content = PreviewContent.from_submission(submission)
        if content.errors or content.warnings:
            return self._open_preview(submission)
        return self.start_submit(submission)

    def start_submit(self, submission: Any) -> SubmitProgressDialog:
        target = self.target()

        def run(progress: Callable[[Any], None], cancel: Any) -> Any:
            connector = self._open_connector(target)
            return connector, connector.submit(submission, progress=progress, cancel=cancel)

        dialog = SubmitProgressDialog(run, lambda result: describe_result(*result), self)
        dialog.show_tracebacks = bool(getattr(submission.settings, "show_tracebacks", False))
        dialog.succeeded.connect(lambda result: self.submitted.emit(result[1]))
        dialog.monitor_requested.connect(lambda result: self.open_monitor(result[1].job_id))
        self.progress_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog

    # monitor -------------------------------------------------------------------------------
    def open_monitor(self, job_id: Optional[str] = None) -> FarmMonitor:
        target = self.target()
        if self.monitor is None or self.monitor.target != target:
            if self.monitor is not None:
                self.monitor.close()
            monitor = FarmMonitor(open_connector=target.open)
            monitor.target = target
            monitor.setAttribute(QtCore.Qt.WA_DeleteOnClose, False)
            self.monitor = monitor
        monitor = self.monitor
        if job_id:
            monitor.select_when_listed(job_id)
        monitor.show()
        monitor.raise_()
        return monitor
