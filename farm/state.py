"""The jobs and tasks the farm is working on, as plain objects in memory.

Scheduling decisions are made thousands of times a second (a task ends, its dependents
become ready, the next one starts), so they read and change these objects, never the
database; ``record.Record`` writes the changes to SQLite once per loop iteration. Only jobs
that can still change are kept: a finished job is dropped and read back from the record if
someone retries it (``loaded_jobs.LoadedJobs``).
"""

import asyncio
from typing import Dict, List, Optional, Tuple

from farmhand.farm import outputs as outputs_scan
from farmhand.farm.executor import Run
from farmhand.farm.model import (
    FAILED,
    HELD,
    HOLDING,
    KILLED,
    PENDING,
    RUNNING,
    SUCCESS,
    TASK_STATES,
    WAITING,
    Command,
    job_id_text,
)

FINISHED_JOB_STATES = (SUCCESS, FAILED, KILLED)


class TaskState:
    """One task: its place in its job's dependency graph and where its current run is."""

    __slots__ = (
        "job",
        "index",
        "status",
        "attempts",
        "failed_count",
        "preempted_count",
        "remaining",
        "dependents",
        "depends_on",
        "scout",
        "commands",
        "frames",
        "token",
        "run",
        "exit_code",
        "started_at",
        "completed_at",
    )

    def __init__(self, job: "JobState", index: int) -> None:
        self.job = job
        self.index = index
        self.status = PENDING
        self.attempts = 0
        self.failed_count = 0
        self.preempted_count = 0
        self.remaining = 0  # dependencies that have not succeeded yet
        self.dependents: List[int] = []
        self.depends_on: Tuple[int, ...] = ()
        self.scout = False
        self.commands: Tuple[Command, ...] = ()
        self.frames = ""
        self.token = 0  # queue entries with an older token are stale
        self.run: Optional[Run] = None
        self.exit_code: Optional[int] = None
        self.started_at: Optional[float] = None
        self.completed_at: Optional[float] = None


class JobState:
    """One job: its tasks, how many are in each state, and what it waits for (its uploaded
    files, an upload daemon, the scan of its output folder)."""

    __slots__ = (
        "id",
        "jid",
        "priority",
        "tasks",
        "counts",
        "revision",
        "output_path",
        "env",
        "retry_failed",
        "retry_preempted",
        "release_on_scout_success",
        "started_at",
        "completed_at",
        "prepared",
        "uploads",
        "log_dir",
        "work_dir",
        "dirs_ready",
        "runs",
        "owners",
        "known_outputs",
        "finishing",
        "scan_running",
        "scan_again",
        "preparing",
        "status",
        "notified_at",
        "notify_handle",
        "sync_state",
        "upload_id",
        "upload_cancelled",
    )

    def __init__(self, job_id: int) -> None:
        self.id = job_id
        self.jid = job_id_text(job_id)
        self.priority = 5
        self.tasks: List[TaskState] = []
        self.counts: Dict[str, int] = dict.fromkeys(TASK_STATES, 0)
        self.revision = 0
        self.output_path = ""
        self.env: Dict[str, str] = {}
        self.retry_failed = 0
        self.retry_preempted = 1
        self.release_on_scout_success = False
        self.started_at: Optional[float] = None
        self.completed_at: Optional[float] = None
        self.prepared = False  # its uploaded files are in place for its tasks
        self.uploads: List[Tuple[str, str]] = []  # (md5, destination)
        self.log_dir = ""
        self.work_dir = ""
        self.dirs_ready = False
        self.runs = outputs_scan.Runs()
        self.owners: Optional[Dict[int, Tuple[int, ...]]] = None
        self.known_outputs: Dict[str, Tuple[int, int]] = {}
        # Task ends waiting for the output scan: (task, outcome, exit code, end time).
        self.finishing: List[Tuple[TaskState, str, Optional[int], float]] = []
        self.scan_running = False
        self.scan_again = False
        self.preparing = False
        self.status = PENDING
        self.notified_at = 0.0
        self.notify_handle: Optional[asyncio.TimerHandle] = None
        self.sync_state: Optional[str] = None  # SYNC_PENDING/SYNC_FAILED: waiting for uploads
        self.upload_id = ""
        self.upload_cancelled = False  # killed while its upload was owed

    def has_live_runs(self) -> bool:
        return any(t.run for t in self.tasks if t.status == RUNNING)


def job_status(counts: Dict[str, int]) -> str:
    """A job's state from its tasks' (see docs/protocol.md)."""
    if counts[RUNNING]:
        return RUNNING
    if counts[PENDING]:
        return PENDING
    if counts[HELD]:
        return HOLDING
    # Waiting tasks with nothing running, pending or held can never start: a dependency
    # failed or was killed, so the job ends with that.
    if counts[FAILED]:
        return FAILED
    if counts[KILLED]:
        return KILLED
    if counts[WAITING]:
        return FAILED
    return SUCCESS


def current_status(job: JobState) -> str:
    """The state a job shows: an upload it waits for comes first, and a job is not over
    while the files its last tasks wrote are still being recorded. An upload-only job (no
    tasks) succeeds once its files are in place, or ends killed if it was killed while an
    upload daemon still owed them."""
    if not job.tasks:
        if job.sync_state:
            return job.sync_state
        if job.upload_cancelled:
            return KILLED
        return SUCCESS if job.prepared else PENDING
    status = job.sync_state or job_status(job.counts)
    if (job.scan_running or job.finishing) and status in FINISHED_JOB_STATES:
        return RUNNING
    return status


def run_window(index: int, start: float, end: Optional[float]) -> outputs_scan.Window:
    """A task's run (seconds since the epoch) as the output scan sees it (nanoseconds)."""
    return outputs_scan.Window(index, int(start * 1e9), None if end is None else int(end * 1e9))
