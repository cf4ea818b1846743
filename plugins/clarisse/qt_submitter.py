"""The shared Qt submitter opened on a FarmhandJob item, when this Clarisse has Qt for Python.

Clarisse 5 ships PySide2 but runs its own event loop: Isotropix's ``pyqt_clarisse`` helper
drives Qt's events from it, and is started here once when Farmhand makes the application.
``QtUnavailableError`` says why the submitter cannot open (no binding), so the actions fall back to
what Clarisse can do by itself (``actions``).
"""

import importlib
from typing import Any, Optional

from farmhand.core.host import SubmitterGlue
from farmhand.core.host.callbacks import ShowError
from farmhand.plugins.clarisse.adapter import ClarisseAdapter
from farmhand.plugins.clarisse.job_node import ClarisseJobNode

ACTIONS = (None, "preview", "submit")


class QtUnavailableError(Exception):
    """This Clarisse cannot show Qt widgets; the message says why."""


def application() -> Any:
    """The QApplication, made (and handed to Clarisse's event loop) when there is none."""
    try:
        from qtpy import QtWidgets
    except Exception as error:  # noqa: BLE001 - any failure means no usable binding
        raise QtUnavailableError("no Qt for Python binding ({})".format(error)) from None
    app = QtWidgets.QApplication.instance()
    if app is None:
        app = QtWidgets.QApplication(["clarisse"])
        try:
            helper = importlib.import_module("pyqt_clarisse")
        except ImportError:
            pass
        else:
            helper.exec_(app)
    return app


def open_submitter(
    adapter: ClarisseAdapter,
    node: ClarisseJobNode,
    action: Optional[str] = None,
    show_error: Optional[ShowError] = None,
) -> Any:
    """Open the submitter dialog on ``node``; ``preview`` or ``submit`` then runs at once."""
    if action not in ACTIONS:
        raise ValueError("action must be one of {}, not {!r}".format(ACTIONS, action))
    settings = node.read_settings()  # a node that cannot be read fails before any window
    application()
    from farmhand.shared_ui.dialog import show_submitter
    from farmhand.shared_ui.hooks import SubmitterHooks

    hooks = SubmitterHooks(**SubmitterGlue(adapter, node, show_error).hook_arguments())
    dialog = show_submitter(settings, hooks, None, title="Farmhand: " + node.full_name)
    if action == "preview":
        dialog.submitter.preview()
    elif action == "submit":
        dialog.submitter.submit()
    return dialog
