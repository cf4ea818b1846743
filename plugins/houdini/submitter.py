"""The shared Qt submitter opened on one FarmhandJob ROP, parented to Houdini's main window.

Qt is imported here only (through qtpy, which keeps the binding Houdini loaded), so ``hython``
and the rest of the plugin never need it.
"""

from typing import Any, Optional

import hou

from farmhand.core.host import SubmitterGlue
from farmhand.core.host.callbacks import ShowError
from farmhand.plugins.houdini.adapter import HoudiniAdapter
from farmhand.plugins.houdini.job_node import HoudiniJobNode

ACTIONS = (None, "preview", "submit")


def main_window() -> Any:
    """Houdini's main window, or None in a session without one."""
    if not hou.isUIAvailable():
        return None
    return hou.qt.mainWindow()


def open_submitter(
    adapter: HoudiniAdapter,
    node: HoudiniJobNode,
    action: Optional[str] = None,
    show_error: Optional[ShowError] = None,
) -> Any:
    """Open the submitter dialog on ``node``; ``action`` ``preview`` or ``submit`` then runs
    the submitter's Preview or Submit at once. Returns the dialog."""
    if action not in ACTIONS:
        raise ValueError("action must be one of {}, not {!r}".format(ACTIONS, action))
    from farmhand.shared_ui.dialog import show_submitter
    from farmhand.shared_ui.hooks import SubmitterHooks

    settings = node.read_settings()
    hooks = SubmitterHooks(**SubmitterGlue(adapter, node, show_error).hook_arguments())
    dialog = show_submitter(settings, hooks, main_window(), title="Farmhand: {}".format(node.path))
    if action == "preview":
        dialog.submitter.preview()
    elif action == "submit":
        dialog.submitter.submit()
    return dialog
