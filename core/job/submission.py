"""``Submission``: a job resolved from its settings, and its Conductor-compatible payload.

The payload is the contract every other part reads (DESIGN.md): the preview shows
``payload_json()``, ``farmhand preview`` prints it, connectors translate ``to_payload()``.
Its keys are those of the seed API and of ciocore's ``conductor_submit.Submit``: ``notify``
is ``{"emails": [...]}`` and ``owner`` is the submitting user, as ciocore sends them;
``upload_paths`` is the resolved list of local files. What ciocore adds while uploading
(``upload_files`` with md5s, ``upload_size``) is added by the client when it hashes the
files; ciocore's ``docker_image`` is left out (no Farmhand setting maps to it, and a farm reads
its absence as the default), and ``max_instances`` is sent only when set (above 0), so a job
without a limit keeps the payload it always had.
"""

from typing import Any, Dict, FrozenSet, List, Optional

from farmhand.core.catalogue import InstanceType
from farmhand.core.deps import MissingUpload
from farmhand.core.frames import FramePlan, FramesInfo, FrameSpec
from farmhand.core.job.context import HostContext
from farmhand.core.job.payload_json import payload_json
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.tasks import Task, TaskColumns, paused_gc
from farmhand.core.validation import Message, ValidationReport


def autoretry_policy(settings: JobSettings) -> Dict[str, Dict[str, int]]:
    """``autoretry_policy`` as given, else ``retries`` for both failed and preempted tasks."""
    if settings.autoretry_policy is not None:
        return {kind: dict(rule) for kind, rule in settings.autoretry_policy.items()}
    retries = settings.retries if isinstance(settings.retries, int) else 0
    return {"failed": {"max_retries": retries}, "preempted": {"max_retries": retries}}


class Submission:
    """Everything resolved for one submission (read-only once built).

    Built by ``build_submission``; ``validation`` holds its errors, warnings and info (an
    error blocks a submit, the preview still shows what could be resolved).
    """

    def __init__(
        self,
        settings: JobSettings,
        context: HostContext,
        validation: ValidationReport,
        plan: Optional[FramePlan] = None,
        tasks: Optional[List[Task]] = None,
        task_columns: Optional[TaskColumns] = None,
        scout_frames: Optional[FrameSpec] = None,
        scout_tasks: Optional[FrozenSet[int]] = None,
        job_title: str = "",
        metadata: Optional[Dict[str, str]] = None,
        output_path: str = "",
        instance_type: str = "",
        instance: Optional[InstanceType] = None,
        environment: Optional[Dict[str, str]] = None,
        software_package_ids: Optional[List[str]] = None,
        upload_files: Optional[List[str]] = None,
        missing_uploads: Optional[List[MissingUpload]] = None,
        timestamp: str = "",
        owner: str = "",
    ) -> None:
        self.settings = settings
        self.context = context
        self.validation = validation
        self.plan = plan
        self._tasks: Optional[List[Task]] = tasks
        self._task_columns = task_columns
        self.scout_frames = scout_frames or FrameSpec()
        self._scout_tasks = scout_tasks
        self.job_title = job_title
        self.metadata = metadata or {}
        self.output_path = output_path
        self.instance_type = instance_type
        self.instance = instance
        self.environment = environment or {}
        self.software_package_ids = software_package_ids or []
        self.upload_files = upload_files or []
        self.missing_uploads = missing_uploads or []
        self.timestamp = timestamp
        self.owner = owner
        self._payload_text: Optional[str] = None

    # validation
    @property
    def report(self) -> ValidationReport:
        return self.validation

    @property
    def errors(self) -> List[Message]:
        return self.validation.errors

    @property
    def warnings(self) -> List[Message]:
        return self.validation.warnings

    @property
    def infos(self) -> List[Message]:
        return self.validation.infos

    @property
    def ok(self) -> bool:
        return self.validation.ok

    def check(self) -> "Submission":
        """Raise the first validation error as its typed exception; else return self."""
        self.validation.raise_first()
        return self

    # frames and tasks
    @property
    def tasks(self) -> List[Task]:
        """``[{command, frames}, ...]``: generated tasks become dicts on first use only."""
        if self._tasks is None:
            self._tasks = self._task_columns.as_dicts() if self._task_columns else []
        return self._tasks

    @property
    def task_count(self) -> int:
        if self._tasks is None and self._task_columns is not None:
            return len(self._task_columns.commands)
        return len(self.tasks)

    @property
    def frames_info(self) -> Optional[FramesInfo]:
        return self.plan.info if self.plan is not None else None

    @property
    def chunk_size(self) -> int:
        return self.plan.chunk_size if self.plan is not None else self.settings.chunk_size

    def is_scout(self, task_index: int) -> bool:
        """Whether task ``task_index`` holds a scout frame (it runs first; the rest wait)."""
        if self._scout_tasks is not None:
            return task_index in self._scout_tasks
        if self.plan is None:
            return False
        return self.plan.is_scout(task_index // self.plan.tiles)

    @property
    def scout_task_count(self) -> int:
        if self._scout_tasks is not None:
            return len(self._scout_tasks)
        return self.plan.info.scout_task_count if self.plan is not None else 0

    # payload
    def to_payload(self) -> Dict[str, Any]:
        """The Conductor-compatible payload (a new dict; the task dicts are shared)."""
        payload = self._payload_without_tasks()
        payload["tasks_data"] = list(self.tasks)
        return payload

    def _payload_without_tasks(self) -> Dict[str, Any]:
        settings = self.settings
        payload = {
            "autoretry_policy": autoretry_policy(settings),
            "chunk_size": self.chunk_size,
            "environment": dict(self.environment),
            "instance_type": self.instance_type,
            "job_title": self.job_title,
            "local_upload": bool(settings.local_upload or not self.upload_files),
            "location": settings.location,
            "metadata": dict(self.metadata),
            "notify": {"emails": [address.strip() for address in settings.notify]},
            "output_path": self.output_path,
            "owner": self.owner,
            "preemptible": bool(settings.preemptible),
            "priority": settings.priority,
            "project": settings.project,
            "scout_frames": ",".join(str(frame) for frame in self.scout_frames),
            "software_package_ids": list(self.software_package_ids),
            "tasks_data": [],
            "upload_paths": list(self.upload_files),
        }  # type: Dict[str, Any]
        if isinstance(settings.max_instances, int) and settings.max_instances > 0:
            payload["max_instances"] = settings.max_instances
        return payload

    def payload_json(self) -> str:
        """The payload's canonical text: sorted keys, 2-space indent, ASCII, newline at the end.

        Exactly what ``farmhand preview`` prints and the preview dialog shows.
        """
        if self._payload_text is None:
            with paused_gc():
                if self._tasks is None and self._task_columns is not None:
                    columns = (self._task_columns.commands, self._task_columns.frames)
                    text = payload_json(self._payload_without_tasks(), columns)
                else:
                    text = payload_json(self.to_payload())
            self._payload_text = text
        return self._payload_text

    def __repr__(self) -> str:
        return "<Submission {!r}: {} tasks, {} files, {!r}>".format(
            self.job_title, self.task_count, len(self.upload_files), self.validation
        )
