"""What every farm connector offers, so the CLI, the Qt monitor and the seed APIs stay
engine-agnostic: each engine (local farm, Conductor-compatible services, Slurm, Tractor,
OpenCue, OpenJD, GridMarkets) implements this class and is listed in ``registry.CONNECTORS``.

The contract, for a payload (plus the ``depends_on`` task dependencies a job model can hold):

- ``capabilities`` (class attribute) declares what the engine honours; ``validate`` turns a
  payload into the warnings of what it will not (``capabilities.unhonoured``), which the
  preview shows instead of the engine dropping a setting silently;
- ``export`` writes the engine's native form to a folder (for preview and export; ``submit``
  goes through the same translation);
- ``submit``, then ``jobs``/``status``/``job``/``follow`` report, ``logs`` reads a task's log,
  ``kill`` cancels, ``retry`` and ``release`` steer, ``fetch_outputs`` brings rendered files
  back where the engine keeps them apart;
- ``from_environment`` builds the connector from its own settings (environment variables,
  config files), which is how ``connect("slurm")`` and ``farmhand submit --farm`` open it.

Job and task records are plain value objects with the fields a monitor shows; ``raw`` keeps
the engine's own answer for anything engine-specific.
"""

import abc
import threading
import time
from typing import Any, Dict, Iterator, List, Mapping, Optional, Type, TypeVar

from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors.capabilities import Capabilities, payload_of, unhonoured
from farmhand.core.errors import UnsupportedError
from farmhand.core.transfer.progress import ProgressCallback
from farmhand.core.validation.report import Message

ConnectorType = TypeVar("ConnectorType", bound="Connector")

# Task states every connector maps its engine's states onto.
TASK_STATES = ("held", "waiting", "pending", "running", "success", "failed", "killed")
FINAL_TASK_STATES = ("success", "failed", "killed")
# How long ``follow`` lets an engine hold one answer until the job changes.
FOLLOW_WAIT = 10.0


class SubmitResult(object):
    """The job id plus what the submission cost (for the CLI, the progress dialog, tests)."""

    __slots__ = (
        "job_id",
        "uri",
        "response",
        "status_code",
        "files",
        "hashed_files",
        "cached_files",
        "uploaded_files",
        "uploaded_bytes",
        "seconds",
    )

    def __init__(self, job_id: str, uri: str, response: Dict[str, Any], status_code: int) -> None:
        self.job_id = job_id
        self.uri = uri
        self.response = response
        self.status_code = status_code
        self.files = 0
        self.hashed_files = 0
        self.cached_files = 0
        self.uploaded_files = 0
        self.uploaded_bytes = 0
        self.seconds = 0.0

    def __repr__(self) -> str:
        return "SubmitResult(job_id={!r}, uploaded_bytes={}, hashed_files={})".format(
            self.job_id, self.uploaded_bytes, self.hashed_files
        )


class TaskInfo(object):
    __slots__ = (
        "job_id",
        "task_id",
        "status",
        "frames",
        "command",
        "attempts",
        "duration",
        "exit_code",
        "log",
        "outputs",
        "scout",
        "raw",
    )

    def __init__(
        self,
        job_id: str,
        task_id: str,
        status: str,
        frames: str = "",
        command: str = "",
        attempts: int = 0,
        duration: Optional[float] = None,
        exit_code: Optional[int] = None,
        log: str = "",
        outputs: Optional[List[str]] = None,
        scout: bool = False,
        raw: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.job_id = job_id
        self.task_id = task_id
        self.status = status
        self.frames = frames
        self.command = command
        self.attempts = attempts
        self.duration = duration
        self.exit_code = exit_code
        self.log = log
        self.outputs = outputs or []
        self.scout = scout
        self.raw = raw or {}

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_TASK_STATES

    def __repr__(self) -> str:
        return "TaskInfo({}:{} {})".format(self.job_id, self.task_id, self.status)


class JobInfo(object):
    __slots__ = (
        "job_id",
        "title",
        "status",
        "counts",
        "task_count",
        "output_path",
        "created_at",
        "started_at",
        "completed_at",
        "revision",
        "tasks",
        "raw",
    )

    def __init__(
        self,
        job_id: str,
        title: str,
        status: str,
        counts: Optional[Dict[str, int]] = None,
        task_count: int = 0,
        output_path: str = "",
        created_at: Optional[float] = None,
        started_at: Optional[float] = None,
        completed_at: Optional[float] = None,
        revision: Optional[int] = None,
        tasks: Optional[List[TaskInfo]] = None,
        raw: Optional[Dict[str, Any]] = None,
    ) -> None:
        self.job_id = job_id
        self.title = title
        self.status = status
        self.counts = dict.fromkeys(TASK_STATES, 0)
        self.counts.update(counts or {})
        self.task_count = task_count
        self.output_path = output_path
        self.created_at = created_at
        self.started_at = started_at
        self.completed_at = completed_at
        self.revision = revision
        self.tasks = tasks
        self.raw = raw or {}

    @property
    def upload_only(self) -> bool:
        """A job without tasks: it only brought its files to the farm."""
        return self.task_count == 0

    @property
    def is_final(self) -> bool:
        """Nothing will run any more without a user action (held tasks count as not final).
        An upload-only job has no tasks to tell: its own state says it."""
        if self.upload_only:
            return self.status in FINAL_TASK_STATES
        unfinished = sum(self.counts.get(s, 0) for s in TASK_STATES if s not in FINAL_TASK_STATES)
        return unfinished == 0

    @property
    def succeeded(self) -> bool:
        if self.upload_only:
            return self.status == "success"
        return self.counts.get("success", 0) == self.task_count

    def __repr__(self) -> str:
        return "JobInfo({} {} {})".format(self.job_id, self.status, self.counts)


class Connector(abc.ABC):
    """One farm engine. Methods may block on the network: call them off a UI thread."""

    #: registry name (``local``, ``conductor``, ``slurm``...)
    name = ""
    #: one line for ``farmhand farms``: what the engine is and how it is reached
    summary = ""
    #: what the engine honours of a payload (see ``capabilities.FEATURES``)
    capabilities = Capabilities()

    @classmethod
    def from_environment(
        cls: Type[ConnectorType], environ: Optional[Mapping[str, str]] = None
    ) -> ConnectorType:
        """The connector configured by ``environ`` (default ``os.environ``) and the engine's
        own config files; an engine that is not set up here raises ``UnsupportedError`` or an
        ``InputError`` naming the variable to set."""
        raise UnsupportedError(
            "the {} farm cannot be opened by name".format(cls.name or cls.__name__), cls.name
        )

    def validate(self, submission: Any) -> List[Message]:
        """What this farm will not honour of ``submission`` (warnings; nothing blocks)."""
        return unhonoured(self.capabilities, payload_of(submission), self.name)

    def export(
        self, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
    ) -> List[str]:
        """Write the engine's native form of ``submission`` into ``folder`` (created if
        needed) without submitting anything; the paths written, for the user to inspect."""
        raise UnsupportedError(
            "the {} farm has no native form to export".format(self.name), self.name
        )

    def fetch_outputs(self, job_id: str, destination: str) -> List[str]:
        """Copy the job's rendered files to ``destination``; the paths written. Engines that
        render in place on a shared filesystem have nothing to fetch."""
        raise UnsupportedError(
            "the {} farm writes outputs in place; there is nothing to fetch".format(self.name),
            self.name,
        )

    @abc.abstractmethod
    def describe(self) -> str:
        """Where this connector submits, for messages (``local farm at http://...``)."""

    @abc.abstractmethod
    def catalogue(self) -> Catalogue:
        """Projects, instance types and software packages the farm offers."""

    @abc.abstractmethod
    def submit(
        self,
        submission: Any,
        progress: Optional[ProgressCallback] = None,
        cancel: Optional[threading.Event] = None,
        extra: Optional[Mapping[str, Any]] = None,
    ) -> SubmitResult:
        """Upload what the job needs and create the job. ``submission`` is a
        ``farmhand.core.job`` Submission or a raw payload dict; ``extra`` adds payload keys
        (``release_on_scout_success``...). Nothing is created when ``cancel`` is set before
        the job is sent (``CancelledError``)."""

    @abc.abstractmethod
    def jobs(self) -> List[JobInfo]:
        """Every job, newest first, without their tasks."""

    @abc.abstractmethod
    def status(self, job_id: str) -> JobInfo:
        """One job with its tasks; an unknown id is an ``InputError``."""

    def job(self, job_id: str, wait: float = 0.0, revision: Optional[int] = None) -> JobInfo:
        """The job (its tasks optional). An engine that can hold its answer until the job's
        revision differs from ``revision`` (at most ``wait`` seconds) overrides this; the
        default answers at once."""
        return self.status(job_id)

    @abc.abstractmethod
    def logs(self, job_id: str, task_id: str) -> str:
        """The task's log text (every attempt, oldest first)."""

    @abc.abstractmethod
    def kill(self, job_id: str) -> None: ...

    @abc.abstractmethod
    def retry(self, job_id: str, task_id: Optional[str] = None) -> None: ...

    @abc.abstractmethod
    def release(self, job_id: str) -> None:
        """Let the tasks held behind the scout frames run."""

    def follow(
        self, job_id: str, timeout: float = FOLLOW_WAIT, cancel: Optional[threading.Event] = None
    ) -> Iterator[JobInfo]:
        """Yield the job each time it changes, until it is final (or ``cancel`` is set).

        Each round asks ``job`` to wait up to ``timeout`` for a change; an engine that answers
        at once unchanged is asked again a second later, so following never spins.
        """
        last: Optional[int] = None
        while True:
            asked = time.monotonic()
            job = self.job(job_id, wait=timeout if last is not None else 0.0, revision=last)
            changed = last is None or job.revision is None or job.revision != last
            if changed:
                yield job
            if job.is_final or (cancel is not None and cancel.is_set()):
                return
            if not changed and time.monotonic() - asked < 0.5:
                time.sleep(1.0)
            last = job.revision

    def close(self) -> None:  # noqa: B027 (optional hook, most connectors hold nothing)
        """Release network resources."""

    def __enter__(self) -> "Connector":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
