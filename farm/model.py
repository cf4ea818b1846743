"""The local farm's job model: what a submitted job asks for, independent of the wire format.

A payload (ciocore's or Farmhand's) and a Tractor job script both translate into a
``JobSpec``: tasks with an ordered list of commands (a shell string or an argv) and
dependency edges, so the store and the executor serve every front end alike.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

# Task states (see docs/protocol.md).
HELD = "held"
WAITING = "waiting"
PENDING = "pending"
RUNNING = "running"
SUCCESS = "success"
FAILED = "failed"
KILLED = "killed"
TASK_STATES = (HELD, WAITING, PENDING, RUNNING, SUCCESS, FAILED, KILLED)
FINISHED = frozenset((SUCCESS, FAILED, KILLED))

# Attempt outcomes.
PREEMPTED = "preempted"
OUTCOMES = (RUNNING, SUCCESS, FAILED, KILLED, PREEMPTED)

# Job states, derived from the tasks' (and from its upload, while an upload daemon sends it).
HOLDING = "holding"
SYNC_PENDING = "sync_pending"
SYNC_FAILED = "sync_failed"
JOB_STATES = (RUNNING, PENDING, HOLDING, FAILED, KILLED, SUCCESS, SYNC_PENDING, SYNC_FAILED)


@dataclass(frozen=True)
class Command:
    """One command of a task: ``shell`` runs by ``/bin/sh -c``, ``argv`` runs without a shell."""

    shell: Optional[str] = None
    argv: Optional[Tuple[str, ...]] = None

    def to_json(self) -> Dict[str, Any]:
        if self.argv is not None:
            return {"argv": list(self.argv)}
        return {"shell": self.shell}

    @classmethod
    def from_json(cls, data: Dict[str, Any]) -> "Command":
        if "argv" in data:
            return cls(argv=tuple(data["argv"]))
        return cls(shell=str(data["shell"]))

    @property
    def text(self) -> str:
        """How a listing shows the command."""
        if self.argv is not None:
            import shlex

            return " ".join(shlex.quote(arg) for arg in self.argv)
        return self.shell or ""


@dataclass(frozen=True)
class TaskSpec:
    commands: Tuple[Command, ...]
    frames: str = ""
    title: str = ""
    depends_on: Tuple[int, ...] = ()


@dataclass(frozen=True)
class UploadRef:
    md5: Optional[str]  # base64, as ciocore sends it; None: the upload daemon computes it
    destination: str
    size: int = -1


@dataclass(frozen=True)
class RetryPolicy:
    failed: int = 0
    preempted: int = 1

    def to_json(self) -> Dict[str, Dict[str, int]]:
        return {
            "failed": {"max_retries": self.failed},
            "preempted": {"max_retries": self.preempted},
        }


@dataclass(frozen=True)
class JobSpec:
    tasks: Tuple[TaskSpec, ...]
    title: str = "Untitled job"
    project: str = "default"
    instance_type: str = ""
    priority: int = 5
    owner: str = ""
    location: str = ""
    output_path: str = ""
    scout_frames: str = ""
    release_on_scout_success: bool = False
    environment: Dict[str, str] = field(default_factory=dict)
    env_policies: Dict[str, str] = field(default_factory=dict)
    retry: RetryPolicy = RetryPolicy()
    uploads: Tuple[UploadRef, ...] = ()
    local_upload: bool = True  # False: an upload daemon sends the files after the submit
    metadata: Dict[str, str] = field(default_factory=dict)
    payload: Dict[str, Any] = field(default_factory=dict)
    kind: str = "conductor"  # which front end submitted it (conductor, tractor...)

    @property
    def upload_only(self) -> bool:
        """No tasks: the job only brings its files to the farm (``payload.check_upload_only``)."""
        return not self.tasks

    def task_commands_json(self) -> List[List[Dict[str, Any]]]:
        return [[c.to_json() for c in task.commands] for task in self.tasks]


def job_id_text(number: int) -> str:
    return str(number).zfill(5)


def task_id_text(index: int) -> str:
    return str(index).zfill(3)
