"""Preview, submit or export a FarmhandJob ROP without a UI (hython, a script, a wrangler).

``hython -c "from farmhand.plugins.houdini import batch; batch.submit('/out/farmhand_job1')"``
loads nothing of Qt: the job is built and checked as the submitter builds it, then sent by the
connector the ``farmhand`` command uses (``farmhand.core.host.submit``).
"""

from typing import Any, Optional

from farmhand.core.host import JobNode, export_job_file
from farmhand.core.host.submit import preview_job, submit_job
from farmhand.core.job.submission import Submission
from farmhand.plugins.houdini.adapter import HoudiniAdapter


def preview(path: str) -> Submission:
    """The submission of the ROP at ``path`` (render package written, nothing sent)."""
    adapter = HoudiniAdapter()
    return preview_job(adapter, _node_at(adapter, path))


def submit(path: str, target: Optional[str] = None) -> Any:
    """Submit the ROP at ``path`` to ``target`` (default: ``CONDUCTOR_URL``, else the local
    farm); returns the farm's ``SubmitResult``."""
    adapter = HoudiniAdapter()
    return submit_job(adapter, _node_at(adapter, path), target)


def export(path: str, job_file: str) -> Submission:
    """Write the ROP at ``path`` as a job file for ``farmhand submit``."""
    adapter = HoudiniAdapter()
    return export_job_file(adapter, _node_at(adapter, path), job_file)


def _node_at(adapter: HoudiniAdapter, path: str) -> JobNode:
    """The FarmhandJob ROP at ``path`` (``/out/job1``), or named ``path`` (``job1``)."""
    for node in adapter.job_nodes():
        if getattr(node, "path", None) == path:
            return node
    return adapter.job_node(path)
