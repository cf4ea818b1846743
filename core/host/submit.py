"""Preview and submit a job node without the Qt submitter.

For a host with no Qt for Python (a Blender without PySide), a batch session (``mayabatch``,
``hython``), a script, or a test: the same ``HostAdapter.build`` the submitter calls, then the
connector the CLI uses. The job is checked before anything is sent: the first validation
error is raised as its typed exception, so nothing is uploaded for a job that cannot run.
"""

from typing import Any, Callable, Dict, Mapping, Optional

from farmhand.core.connectors import SubmitResult, connect
from farmhand.core.host.adapter import HostAdapter
from farmhand.core.host.job_node import JobNode
from farmhand.core.job.submission import Submission

Progress = Callable[[Any], None]


def preview_job(adapter: HostAdapter, node: JobNode, catalogue: Any = None) -> Submission:
    """``node``'s submission as the submitter's preview shows it (render package written;
    validation messages kept, not raised)."""
    return adapter.build(node, None, catalogue)


def submit_job(
    adapter: HostAdapter,
    node: JobNode,
    target: Optional[str] = None,
    progress: Optional[Progress] = None,
    extra: Optional[Dict[str, Any]] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> SubmitResult:
    """Build ``node``'s job against the target farm's catalogue, check it, and submit it.

    ``target`` is what ``farmhand submit --target`` takes (default: ``CONDUCTOR_URL``, else the
    local farm, started when none runs). Blocks until the farm has the job.
    """
    with connect(target, environ) as connector:
        submission = adapter.build(node, None, connector.catalogue()).check()
        return connector.submit(submission, progress=progress, extra=extra)
