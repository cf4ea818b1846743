"""Farm connectors: one interface, an explicit table of engines, and target selection.

``connect(target)`` gives a ``Connector`` for ``local`` (the farm on this workstation, found
and if need be started by ``local_farm``), a Conductor-compatible service's URL, or an engine
by name; ``Connector.submit(submission, progress=callback, cancel=event)`` is what the CLI,
the seed API and the progress dialog call.
"""

from farmhand.core.connectors.base import (
    FINAL_TASK_STATES,
    TASK_STATES,
    Connector,
    JobInfo,
    SubmitResult,
    TaskInfo,
)
from farmhand.core.connectors.job_request import JobRequest, job_request
from farmhand.core.connectors.registry import CONNECTORS, connector_class, connector_names
from farmhand.core.connectors.target import LOCAL, connect, default_target, valid_targets

__all__ = [
    "CONNECTORS",
    "FINAL_TASK_STATES",
    "LOCAL",
    "TASK_STATES",
    "Connector",
    "JobInfo",
    "JobRequest",
    "SubmitResult",
    "TaskInfo",
    "connect",
    "connector_class",
    "connector_names",
    "default_target",
    "job_request",
    "valid_targets",
]
