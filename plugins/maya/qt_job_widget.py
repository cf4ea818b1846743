"""What the shared submitter shows above its sections in Maya: the job's render layers and
camera, and for a one-job-per-layer node, which layer's job Preview and Submit handle and a
button that submits every layer's job.

The render layer mode and the camera are the node's own attributes, not settings, so the
widget writes them to the node as they change (through ``guarded`` calls: an error is shown,
never raised into Maya's Qt event loop). Qt comes through qtpy.
"""

from typing import Any, Callable, List, Optional, Tuple

from qtpy import QtWidgets
from qtpy.QtCore import Signal

from farmhand.core.errors import CancelledError, InputError
from farmhand.core.host import JobNode, describe_error, guarded
from farmhand.plugins.maya import layers
from farmhand.plugins.maya.adapter import MayaAdapter
from farmhand.plugins.maya.job_attributes import LAYER_MODE_LABELS, LAYER_MODES, ONE_JOB_PER_LAYER
from farmhand.plugins.maya.job_node import MayaJobNode

RENDERABLE_CAMERAS = "(the layers' renderable cameras)"
ShowError = Callable[[str], None]


class MayaJobWidget(QtWidgets.QWidget):  # type: ignore[misc]  # Qt is Any to mypy
    """See the module docstring. ``submitter`` is set once the submitter holding it exists."""

    changed = Signal()

    def __init__(
        self,
        adapter: MayaAdapter,
        node: MayaJobNode,
        show_error: ShowError,
        parent: Optional[QtWidgets.QWidget] = None,
    ) -> None:
        super(MayaJobWidget, self).__init__(parent)
        self.setObjectName("MayaJobWidget")
        self.adapter = adapter
        self.node = node
        self.show_error = show_error
        self.submitter: Any = None
        self.progress_dialog: Any = None

        self.mode_combo = QtWidgets.QComboBox(self)
        self.mode_combo.setObjectName("layer_mode")
        self.mode_combo.addItems(list(LAYER_MODE_LABELS))
        self.mode_combo.setToolTip("Which render layers the job renders.")
        self.layer_combo = QtWidgets.QComboBox(self)
        self.layer_combo.setObjectName("layer")
        self.layer_combo.setToolTip("The layer whose job Preview and Submit handle.")
        self.submit_all_button = QtWidgets.QPushButton("Submit Every Layer", self)
        self.submit_all_button.setObjectName("submit_every_layer")
        self.submit_all_button.setToolTip(
            "Build every layer's job, check them all, then submit them one after another."
        )
        self.camera_combo = QtWidgets.QComboBox(self)
        self.camera_combo.setObjectName("camera")
        layer_row = QtWidgets.QHBoxLayout()
        layer_row.addWidget(self.layer_combo, 1)
        layer_row.addWidget(self.submit_all_button)
        self.layer_label = QtWidgets.QLabel("Layer's job", self)
        form = QtWidgets.QFormLayout(self)
        form.addRow("Render layers", self.mode_combo)
        form.addRow(self.layer_label, layer_row)
        form.addRow("Camera", self.camera_combo)

        self.refresh()
        self.mode_combo.currentIndexChanged.connect(self._mode_chosen)
        self.camera_combo.currentIndexChanged.connect(self._camera_chosen)
        self.layer_combo.currentIndexChanged.connect(lambda *args: self.changed.emit())
        self.submit_all_button.clicked.connect(self.submit_every_layer)

    # reading the node --------------------------------------------------------------------
    def refresh(self) -> None:
        """Show the node's mode and camera, and the scene's layers and cameras, as they are."""
        guarded("Reading the job's render layers", self.show_error)(self._refresh)()

    def _refresh(self) -> None:
        for combo in (self.mode_combo, self.camera_combo, self.layer_combo):
            combo.blockSignals(True)
        try:
            self.mode_combo.setCurrentIndex(LAYER_MODES.index(self.node.layer_mode()))
            cameras = [RENDERABLE_CAMERAS] + layers.scene_cameras()
            self.camera_combo.clear()
            self.camera_combo.addItems(cameras)
            camera = self.node.camera()
            if camera and camera not in cameras:
                self.camera_combo.addItem(camera)  # shown as set; building names the problem
            self.camera_combo.setCurrentIndex(self.camera_combo.findText(camera) if camera else 0)
            chosen = self.layer_combo.currentText()
            self.layer_combo.clear()
            per_layer = self.node.layer_mode() == ONE_JOB_PER_LAYER
            if per_layer:
                self.layer_combo.addItems(layers.job_layers(ONE_JOB_PER_LAYER))
                index = self.layer_combo.findText(chosen)
                self.layer_combo.setCurrentIndex(max(index, 0))
            for widget in (self.layer_label, self.layer_combo, self.submit_all_button):
                widget.setVisible(per_layer)
        finally:
            for combo in (self.mode_combo, self.camera_combo, self.layer_combo):
                combo.blockSignals(False)

    def current_job(self) -> JobNode:
        """The job Preview and Submit handle: the chosen layer's for a one-job-per-layer
        node, else the node."""
        if self.node.layer_mode() != ONE_JOB_PER_LAYER:
            return self.node
        jobs = self.adapter.layer_jobs(self.node)
        chosen = self.layer_combo.currentText()
        for job in jobs:
            if getattr(job, "layer", "") == chosen:
                return job
        return jobs[0]

    # writing the node --------------------------------------------------------------------
    def _mode_chosen(self, index: int) -> None:
        guarded("Setting the job's render layers", self.show_error)(self.node.set_layer_mode)(
            LAYER_MODES[index]
        )
        self.refresh()
        self.changed.emit()

    def _camera_chosen(self, index: int) -> None:
        camera = "" if index <= 0 else self.camera_combo.itemText(index)
        guarded("Setting the job's camera", self.show_error)(self.node.set_camera)(camera)
        self.changed.emit()

    # every layer's job ---------------------------------------------------------------------
    def build_every_layer(self) -> List[Tuple[JobNode, Any]]:
        """``(job, submission)`` for every layer's job, from what the submitter shows; the
        package is written once."""
        settings = self.submitter.settings()
        catalogue = self.submitter.catalogue
        with self.adapter.one_package():
            return [
                (job, self.adapter.build(job, settings, catalogue))
                for job in self.adapter.layer_jobs(self.node)
            ]

    def submit_every_layer(self) -> Any:
        """Submit every layer's job when none has an error (else name them and send none);
        returns the progress dialog, or None."""
        from farmhand.shared_ui.progress.dialog import SubmitProgressDialog

        message = self.submitter.message
        try:
            built = self.build_every_layer()
        except InputError as error:
            message.show_error(str(error))
            return None
        except Exception as error:  # noqa: BLE001 - a bug: shown, never raised into Maya
            message.show_error(describe_error("Building every layer's job", error))
            return None
        failing = [job.name for job, submission in built if submission.validation.errors]
        if failing:
            message.show_error(
                "Nothing submitted: {} {} errors; choose the layer and Preview to see "
                "them.".format(", ".join(failing), "has" if len(failing) == 1 else "have")
            )
            return None
        target = self.submitter.target()

        def run(progress: Callable[[Any], None], cancel: Any) -> Any:
            connector = target.open()
            results: List[Any] = []
            try:
                for _, submission in built:
                    results.append(connector.submit(submission, progress=progress, cancel=cancel))
            except CancelledError:
                if not results:
                    raise
            finally:
                connector.close()
            return connector, results

        def describe(outcome: Any) -> str:
            connector, results = outcome
            lines = ["Submitted {} of {} layers' jobs to {}:".format(
                len(results), len(built), connector.describe()
            )]
            for (job, _), result in zip(built, results):
                lines.append("  {}: job {}".format(job.name, result.job_id))
            if len(results) < len(built):
                lines.append("Cancelled before the others were sent.")
            return "\n".join(lines)

        dialog = SubmitProgressDialog(run, describe, self.submitter)
        self.progress_dialog = dialog
        dialog.open()
        dialog.start()
        return dialog
