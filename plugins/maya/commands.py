"""What Farmhand's menu, shelf button and scripts call in Maya; none raises into Maya.

Each command is ``guarded``: an error is logged and shown (a warning in the Script Editor,
and a dialog in an interactive session) instead of escaping into Maya's UI code. The shelf
button runs ``import farmhand.plugins.maya.commands as c; c.open_submitter()``.
"""

from typing import List, Optional

from maya import cmds

from farmhand.core.connectors import SubmitResult
from farmhand.core.host import HostError, guarded
from farmhand.core.host.submit import submit_job
from farmhand.plugins.maya.adapter import MayaAdapter
from farmhand.plugins.maya.job_node import MayaJobNode, is_job_node


def show_error(message: str) -> None:
    cmds.warning(message)
    if not cmds.about(batch=True):
        cmds.confirmDialog(title="Farmhand", message=message, button=["OK"], icon="critical")


def selected_job(adapter: MayaAdapter, create: bool = True) -> MayaJobNode:
    """The selected job node, else the scene's only one, else a new one (``create``)."""
    selected = [node for node in cmds.ls(selection=True) or [] if is_job_node(node)]
    if selected:
        return MayaJobNode(selected[0])
    jobs = adapter.job_nodes()
    if len(jobs) == 1:
        return MayaJobNode(jobs[0].name)
    if jobs or not create:
        raise HostError(
            "select the job node to use; this scene has {}: {}".format(
                len(jobs), ", ".join(job.name for job in jobs) or "none"
            ),
            "job node",
        )
    node = adapter.new_job()
    cmds.select(node.name, replace=True)
    return MayaJobNode(node.name)


@guarded("Farmhand: Open Submitter", show_error)
def open_submitter() -> None:
    from farmhand.plugins.maya import qt_window

    adapter = MayaAdapter()
    qt_window.open_submitter(adapter, selected_job(adapter), show_error)


@guarded("Farmhand: New Job", show_error)
def new_job() -> Optional[str]:
    node = MayaAdapter().new_job()
    cmds.select(node.name, replace=True)
    return node.name


@guarded("Farmhand: New Job per Render Layer", show_error, [])
def new_layer_jobs(names: Optional[List[str]] = None) -> List[str]:
    created = [node.name for node in MayaAdapter().new_layer_jobs(list(names or []))]
    cmds.select(created, replace=True)
    return created


@guarded("Farmhand: Submit", show_error)
def submit(target: Optional[str] = None) -> Optional[SubmitResult]:
    """Submit the selected job without the submitter window (mayabatch, scripts)."""
    adapter = MayaAdapter()
    result = submit_job(adapter, selected_job(adapter, create=False), target)
    print(
        "Farmhand: submitted job {} ({} files, {} uploaded)".format(
            result.job_id, result.files, result.uploaded_files
        )
    )
    return result
