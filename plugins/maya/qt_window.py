"""The shared Qt submitter in Maya, parented to Maya's main window.

Maya runs its own Qt event loop, so the dialog just opens; its parent is found among Qt's
top-level widgets by the name Maya gives its window, which needs no binding-specific helper
(``shiboken``), so whatever binding this Maya ships (PySide2, PySide6) is used via qtpy.
Above the sections, ``qt_job_widget`` shows the job's render layers and camera; Preview and
Submit build the job it names (one layer's, for a one-job-per-layer node).
"""

from typing import Any, Callable

from farmhand.core.host import SubmitterGlue
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission
from farmhand.plugins.maya.adapter import MayaAdapter
from farmhand.plugins.maya.job_node import MayaJobNode
from farmhand.plugins.maya.qt_job_widget import MayaJobWidget

MAIN_WINDOW = "MayaWindow"


def maya_main_window() -> Any:
    from qtpy import QtWidgets

    for widget in QtWidgets.QApplication.topLevelWidgets():
        if widget.objectName() == MAIN_WINDOW:
            return widget
    return None


class MayaSubmitterGlue(SubmitterGlue):
    """The submitter's callbacks, building the job the Maya widget names."""

    def __init__(
        self,
        adapter: MayaAdapter,
        node: MayaJobNode,
        widget: MayaJobWidget,
        show_error: Callable[[str], None],
    ) -> None:
        super(MayaSubmitterGlue, self).__init__(adapter, node, show_error)
        self.widget = widget

    def build_job(self, settings: JobSettings, catalogue: Any) -> Submission:
        return self._as_input_error(  # type: ignore[no-any-return]
            "Building the job",
            lambda: self.adapter.build(self.widget.current_job(), settings, catalogue),
        )


def open_submitter(
    adapter: MayaAdapter, node: MayaJobNode, show_error: Callable[[str], None]
) -> Any:
    from farmhand.shared_ui.dialog import show_submitter
    from farmhand.shared_ui.hooks import SubmitterHooks

    adapter.refresh_template(node)
    widget = MayaJobWidget(adapter, node, show_error)
    glue = MayaSubmitterGlue(adapter, node, widget, show_error)
    hooks = SubmitterHooks(host_widget=widget, **glue.hook_arguments())
    dialog = show_submitter(
        node.read_settings(),
        hooks,
        parent=maya_main_window(),
        title="Farmhand submitter: {}".format(node.name),
    )
    widget.submitter = dialog.submitter
    return dialog
