"""The shared Qt submitter in Maya, parented to Maya's main window.

Maya runs its own Qt event loop, so the dialog just opens; its parent is found among Qt's
top-level widgets by the name Maya gives its window, which needs no binding-specific helper
(``shiboken``), so whatever binding this Maya ships (PySide2, PySide6) is used via qtpy.
"""

from typing import Any, Callable

from farmhand.core.host import SubmitterGlue
from farmhand.plugins.maya.adapter import MayaAdapter
from farmhand.plugins.maya.job_node import MayaJobNode

MAIN_WINDOW = "MayaWindow"


def maya_main_window() -> Any:
    from qtpy import QtWidgets

    for widget in QtWidgets.QApplication.topLevelWidgets():
        if widget.objectName() == MAIN_WINDOW:
            return widget
    return None


def open_submitter(
    adapter: MayaAdapter, node: MayaJobNode, show_error: Callable[[str], None]
) -> Any:
    from farmhand.shared_ui.dialog import show_submitter
    from farmhand.shared_ui.hooks import SubmitterHooks

    hooks = SubmitterHooks(**SubmitterGlue(adapter, node, show_error).hook_arguments())
    return show_submitter(
        node.read_settings(),
        hooks,
        parent=maya_main_window(),
        title="Farmhand submitter: {}".format(node.name),
    )
