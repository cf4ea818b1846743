"""Farm connectors: one interface, an explicit table of engines, and choosing a farm.

``connect(farm)`` gives a ``Connector`` for a farm by name (``local``, the farm on this
workstation, found and if need be started by ``local_farm``; ``slurm``, ``conductor``... from
``registry``) or a Conductor-compatible service's URL; ``Connector.submit(submission,
progress=callback, cancel=event)`` is what the CLI, the seed API and the progress dialog call.
Each connector declares its ``Capabilities``; ``unhonoured`` says what a farm will not honour
of a payload (``base`` documents the whole contract).
"""

from farmhand.core.connectors.base import (
    FINAL_TASK_STATES,
    TASK_STATES,
    Connector,
    JobInfo,
    SubmitResult,
    TaskInfo,
)
from farmhand.core.connectors.capabilities import (
    FEATURES,
    Capabilities,
    payload_of,
    unhonoured,
)
from farmhand.core.connectors.job_request import JobRequest, job_request
from farmhand.core.connectors.registry import (
    CONNECTORS,
    FarmEntry,
    connector_class,
    connector_names,
    farm_entries,
)
from farmhand.core.connectors.target import (
    LOCAL,
    check_farm,
    choose_farm,
    connect,
    default_farm,
    default_target,
    valid_farms,
    valid_targets,
)

__all__ = [
    "CONNECTORS",
    "FEATURES",
    "Capabilities",
    "FarmEntry",
    "check_farm",
    "choose_farm",
    "default_farm",
    "farm_entries",
    "payload_of",
    "unhonoured",
    "valid_farms",
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
