"""The shared Qt submitter inside Blender, when Qt for Python can be imported here.

Blender has no Qt event loop of its own, so while a Qt window is shown a Blender timer
processes Qt's events every 20 ms (``bpy.app.timers``); the timer stops when the last window
closes. The job is built in those events, on Blender's main thread, where ``bpy`` is safe.
Debian's Blender runs on the system Python, which imports Debian's PySide2; other builds need
qtpy and a binding installed where Blender's Python finds them (see the README).
"""

import functools
import sys
from typing import Any, Callable, Optional, Tuple

import bpy

from farmhand.core.host import JobNode, SubmitterGlue, guarded
from farmhand.plugins.blender.adapter import BlenderAdapter
from farmhand.plugins.blender.messages import show_error

PUMP_INTERVAL = 0.02


@functools.lru_cache(maxsize=None)
def qt_problem() -> str:
    """Why the Qt submitter cannot open here, or an empty string when it can (asked once:
    the panel asks on every redraw)."""
    try:
        from qtpy import QtWidgets  # noqa: F401
    except Exception as error:  # noqa: BLE001 - any failure to import means no Qt here
        return "Qt for Python cannot be imported in this Blender ({}: {})".format(
            type(error).__name__, error
        )
    return ""


def _application() -> Any:
    from qtpy import QtWidgets

    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(sys.argv[:1] or ["blender"])
        app.setQuitOnLastWindowClosed(False)
    return app


@guarded("Farmhand: the submitter window's events", show_error)
def _pump() -> Optional[float]:
    """One round of Qt events; stops (returns None) once no Qt window is shown (the
    submitter, or the farm monitor it opened). A Blender timer must not raise: a failure is
    shown and the timer stops (returns None)."""
    app = _application()
    app.processEvents()
    app.sendPostedEvents(None, 0)
    shown = any(widget.isVisible() for widget in app.topLevelWidgets())
    return PUMP_INTERVAL if shown else None


def start_pump() -> None:
    if not bpy.app.timers.is_registered(_pump):
        bpy.app.timers.register(_pump, first_interval=0.0)


def open_submitter(
    adapter: BlenderAdapter, node: JobNode, show_error: Callable[[str], None]
) -> Tuple[Any, Any]:
    """Open the submitter for ``node``; returns ``(dialog, glue)``."""
    from farmhand.shared_ui.dialog import show_submitter
    from farmhand.shared_ui.hooks import SubmitterHooks

    _application()
    glue = SubmitterGlue(adapter, node, show_error)
    hooks = SubmitterHooks(**glue.hook_arguments())
    dialog = show_submitter(
        node.read_settings(), hooks, title="Farmhand submitter: {}".format(node.name)
    )
    start_pump()
    return dialog, glue
