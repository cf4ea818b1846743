"""Build Tractor jobs in Python, print them as Tractor job scripts, spool them.

Mirrors ``tractor.api.author`` (``import farmhand.api.tractor.author as author``)::

    job = author.Job(title="a one-task render job", priority=100, service="PixarRender")
    job.newTask(title="A one-command render task", argv=["/usr/bin/prman", "file.rib"],
                service="pixarRender")
    print(job.asTcl())
    jid = job.spool()          # the local farm, unless TRACTOR_ENGINE names an engine

Attributes are checked on assignment: an unknown name or a wrong type raises
``AuthorError`` naming the attribute, the value and what is valid.
"""

from farmhand.api.tractor.author.command import Command
from farmhand.api.tractor.author.engine import closeEngineClient, setEngineClientParam
from farmhand.api.tractor.author.errors import (
    AuthorError,
    ParentExistsError,
    RequiredValueError,
    SpoolError,
    UnknownAttributeError,
)
from farmhand.api.tractor.author.job import Assign, DirMap, Job
from farmhand.api.tractor.author.task import Instance, Task

__all__ = [
    "Assign",
    "AuthorError",
    "Command",
    "DirMap",
    "Instance",
    "Job",
    "ParentExistsError",
    "RequiredValueError",
    "SpoolError",
    "Task",
    "UnknownAttributeError",
    "closeEngineClient",
    "setEngineClientParam",
]
