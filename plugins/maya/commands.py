"""What Farmhand's menu, shelf button and scripts call in Maya; none raises into Maya.

Each command is ``guarded``: an error is logged and shown (a warning in the Script Editor,
and a dialog in an interactive session) instead of escaping into Maya's UI code. The shelf
button runs ``import farmhand.plugins.maya.commands as c; c.open_submitter()``.
"""

from typing import List, Optional

from maya import cmds

from farmhand.core.connectors import SubmitResult, connect
from farmhand.core.host import HostError, guarded
from farmhand.plugins.maya.adapter import MayaAdapter
from farmhand.plugins.maya.job_attributes import ALL_LAYERS, LAYER_MODES
from farmhand.plugins.maya.job_node import MayaJobNode, is_job_node


def show_error(message: str) -> None:
    cmds.warning(message)
    if not cmds.about(batch=True):
        cmds.confirmDialog(title="Farmhand", message=message, button=["OK"], icon="critical")


def selected_jobs(adapter: MayaAdapter, create: bool = True) -> List[MayaJobNode]:
    """The selected job nodes, else the scene's only one, else a new one (``create``)."""
    jobs = adapter.job_nodes()
    selected = [MayaJobNode(node) for node in cmds.ls(selection=True) or [] if is_job_node(node)]
    if selected:
        return selected
    if len(jobs) == 1:
        return [MayaJobNode(jobs[0].name)]
    if jobs or not create:
        raise HostError(
            "select the job node to use; this scene has {}: {}".format(
                len(jobs), ", ".join(job.name for job in jobs) or "none"
            ),
            "job node",
        )
    node = adapter.new_job()
    cmds.select(node.name, replace=True)
    return [MayaJobNode(node.name)]


@guarded("Farmhand: Open Submitter", show_error)
def open_submitter() -> None:
    from farmhand.plugins.maya import qt_window

    adapter = MayaAdapter()
    qt_window.open_submitter(adapter, selected_jobs(adapter)[0], show_error)


@guarded("Farmhand: New Job", show_error)
def new_job(layer_mode: str = ALL_LAYERS) -> Optional[str]:
    """A new job rendering ``layer_mode`` (``current``, ``all`` or ``perLayer``), selected."""
    if layer_mode not in LAYER_MODES:
        raise HostError(
            "unknown render layer mode {!r}; choices: {}".format(
                layer_mode, ", ".join(LAYER_MODES)
            ),
            "renderLayerMode",
        )
    node = MayaAdapter().new_job(layer_mode=layer_mode)
    cmds.select(node.name, replace=True)
    return node.name


@guarded("Farmhand: Submit", show_error, [])
def submit(target: Optional[str] = None) -> List[SubmitResult]:
    """Submit the selected jobs without the submitter window (mayabatch, scripts): every
    layer's job of a one-job-per-layer node, each node's package written once. All are
    built and checked before the first is sent."""
    adapter = MayaAdapter()
    jobs = []
    for node in selected_jobs(adapter, create=False):
        jobs.extend(adapter.layer_jobs(node))
    results = []
    with connect(target) as connector, adapter.one_package():
        catalogue = connector.catalogue()
        submissions = [adapter.build(job, None, catalogue).check() for job in jobs]
        for job, submission in zip(jobs, submissions):
            result = connector.submit(submission)
            print(
                "Farmhand: submitted {} as job {} ({} files, {} uploaded)".format(
                    job.name, result.job_id, result.files, result.uploaded_files
                )
            )
            results.append(result)
    return results
