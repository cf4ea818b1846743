"""What the FarmhandJob ROP's buttons and creation script call (its PythonModule's shims).

Every function takes Houdini's ``kwargs`` (``kwargs["node"]`` is the ROP) and never raises
into Houdini: an error is logged and shown in a Houdini message (``callbacks.guarded``). In a
session with a UI the buttons open the shared Qt submitter on the node; ``Preview`` and
``Submit`` go straight to its preview and submit. Without a UI (hython) see ``batch``.
"""

import sys
from typing import Any, Dict, Optional

import hou

from farmhand.core.host import guarded
from farmhand.plugins.houdini.adapter import HoudiniAdapter
from farmhand.plugins.houdini.job_node import HoudiniJobNode

Kwargs = Dict[str, Any]


def show_error(message: str) -> None:
    """Show ``message`` in Houdini's own way: a dialog with a UI, stderr without one."""
    if hou.isUIAvailable():
        hou.ui.displayMessage(message, severity=hou.severityType.Error, title="Farmhand")
    else:
        sys.stderr.write(message + "\n")


def job_node(kwargs: Kwargs) -> HoudiniJobNode:
    return HoudiniJobNode(kwargs["node"].path())


@guarded("Farmhand: creating the job", show_error)
def on_created(kwargs: Kwargs) -> None:
    """Store the new ROP's default settings (frames, render command) in it; a ROP that
    already holds settings (pasted, duplicated) keeps them."""
    adapter = HoudiniAdapter()
    node = job_node(kwargs)
    if not node.read_text().strip():
        node.write_settings(adapter.default_settings(node))


def _open(kwargs: Kwargs, action: Optional[str]) -> Any:
    from farmhand.plugins.houdini.submitter import open_submitter as open_dialog

    return open_dialog(HoudiniAdapter(), job_node(kwargs), action, show_error)


@guarded("Farmhand: Open Submitter", show_error)
def open_submitter(kwargs: Kwargs) -> Any:
    return _open(kwargs, None)


@guarded("Farmhand: Preview", show_error)
def preview(kwargs: Kwargs) -> Any:
    return _open(kwargs, "preview")


@guarded("Farmhand: Submit", show_error)
def submit(kwargs: Kwargs) -> Any:
    return _open(kwargs, "submit")
