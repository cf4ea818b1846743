"""Which jobs are in memory, and how a job gets there: from a submission or from the record.

Only jobs that can still change are kept loaded (a farm that ran 100,000 jobs does not hold
them all); a finished job is dropped once nothing of it runs and is read back from SQLite
when an action (retry, release) needs it again. Building a just-submitted job from its
``JobSpec`` instead of reading it back saves re-parsing 100,000 task rows.
"""

import json
from typing import Any, Callable, Dict, List, Optional

from farmhand.farm.db import Database
from farmhand.farm.errors import NotFoundError
from farmhand.farm.model import SUCCESS, SYNC_FAILED, SYNC_PENDING, Command, JobSpec, job_id_text
from farmhand.farm.paths import FarmPaths
from farmhand.farm.state import (
    FINISHED_JOB_STATES,
    JobState,
    TaskState,
    current_status,
    run_window,
)


class LoadedJobs:
    def __init__(self, db: Database, paths: FarmPaths, flush: Callable[[], None]) -> None:
        self.db = db
        self.paths = paths
        self.flush = flush
        self.jobs: Dict[int, JobState] = {}

    def get(self, job_id: int) -> Optional[JobState]:
        """The job if it is in memory (a job that is not cannot be running anything)."""
        return self.jobs.get(job_id)

    def load(self, job_id: int) -> JobState:
        """The in-memory job, built from the record when it is not loaded yet."""
        job = self.jobs.get(job_id)
        if job is not None:
            return job
        self.flush()
        row = self.db.job(job_id)
        if row is None:
            raise NotFoundError("no job {}".format(job_id_text(job_id)))
        job = JobState(job_id)
        job.priority = row["priority"]
        job.revision = row["revision"]
        job.output_path = row["output_path"]
        job.env = json.loads(row["environment"])
        job.retry_failed = row["retry_failed"]
        job.retry_preempted = row["retry_preempted"]
        job.release_on_scout_success = bool(row["release_on_scout_success"])
        job.started_at = row["started_at"]
        job.completed_at = row["completed_at"]
        job.status = row["status"]
        self._place(job)
        job.uploads = [(r["md5"], r["destination"]) for r in self.db.job_files(job_id)]
        job.prepared = not job.uploads
        upload = self.db.job_upload(job_id)
        if upload is not None:
            job.upload_id = upload["id"]
            if upload["status"] in ("pending", "uploading"):
                job.sync_state = SYNC_PENDING
            elif upload["status"] == "failed":
                job.sync_state = SYNC_FAILED
            elif upload["status"] == "cancelled":
                job.upload_cancelled = True
        for task_row in self.db.tasks(job_id):
            task = TaskState(job, task_row["idx"])
            task.status = task_row["status"]
            task.attempts = task_row["attempts"]
            task.failed_count = task_row["failed_count"]
            task.preempted_count = task_row["preempted_count"]
            task.exit_code = task_row["exit_code"]
            task.started_at = task_row["started_at"]
            task.completed_at = task_row["completed_at"]
            task.scout = bool(task_row["scout"])
            task.frames = task_row["frames"]
            task.commands = tuple(Command.from_json(c) for c in json.loads(task_row["commands"]))
            task.depends_on = tuple(json.loads(task_row["depends_on"]))
            job.tasks.append(task)
            job.counts[task.status] += 1
        _link_dependencies(job)
        for task in job.tasks:
            task.remaining = sum(1 for d in task.depends_on if job.tasks[d].status != SUCCESS)
        if job.output_path:
            for out in self.db.outputs(job_id):
                job.known_outputs[out["path"]] = (out["size"], out["mtime_ns"])
            ended = [a for a in self.db.attempts(job_id) if a["completed_at"] is not None]
            for attempt in sorted(ended, key=lambda a: a["completed_at"]):
                job.runs.add(
                    run_window(attempt["idx"], attempt["started_at"], attempt["completed_at"])
                )
        self.jobs[job_id] = job
        return job

    def add_submitted(
        self,
        job_id: int,
        spec: JobSpec,
        env: Dict[str, str],
        statuses: List[str],
        scouts: List[bool],
        upload: Optional[Dict[str, Any]],
    ) -> JobState:
        """The in-memory job of a submission just stored (what ``load`` would read back)."""
        job = JobState(job_id)
        job.priority = spec.priority
        job.revision = 1
        job.output_path = spec.output_path
        job.env = env
        job.retry_failed = spec.retry.failed
        job.retry_preempted = spec.retry.preempted
        job.release_on_scout_success = spec.release_on_scout_success
        self._place(job)
        job.uploads = [(ref.md5 or "", ref.destination) for ref in spec.uploads]
        job.prepared = not job.uploads
        if upload is not None:
            job.sync_state = SYNC_PENDING
            job.upload_id = upload["id"]
        for index, (task_spec, status, scout) in enumerate(zip(spec.tasks, statuses, scouts)):
            task = TaskState(job, index)
            task.status = status
            task.scout = scout
            task.frames = task_spec.frames
            task.commands = task_spec.commands
            task.depends_on = task_spec.depends_on
            task.remaining = len(task_spec.depends_on)
            job.tasks.append(task)
            job.counts[status] += 1
        _link_dependencies(job)
        job.status = current_status(job)
        self.jobs[job_id] = job
        return job

    def unload_if_done(self, job: JobState) -> None:
        """Drop a finished job whose runs and output scans are all over."""
        if (
            job.status in FINISHED_JOB_STATES
            and not job.scan_running
            and not job.finishing
            and not job.has_live_runs()
        ):
            self.jobs.pop(job.id, None)  # reloaded from the record if retried

    def _place(self, job: JobState) -> None:
        job.log_dir = self.paths.job_log_dir(job.jid)
        job.work_dir = self.paths.job_work_dir(job.jid)


def _link_dependencies(job: JobState) -> None:
    for task in job.tasks:
        for dep in task.depends_on:
            job.tasks[dep].dependents.append(task.index)
