"""The farm's changes on their way to SQLite: one transaction per event-loop iteration.

Everything runs on one asyncio loop, and the in-memory state (``state.py``) changes at
once; this module remembers what changed and writes it in one transaction at the end of
the loop iteration (``flush``), so a burst of task ends costs one commit and the record is
never more than one iteration behind. A farm killed at any point restarts from that record
(``recovery.py``). Readers that answer from the database call ``flush`` first, so what they
read is never older than what the farm already decided.
"""

import asyncio
import time
from typing import Any, Callable, List, Optional, Sequence, Set

from farmhand.farm.db import Database, Op, dumps
from farmhand.farm.state import FINISHED_JOB_STATES, JobState, TaskState, current_status

TASK_UPDATE = (
    "UPDATE tasks SET status=?, attempts=?, failed_count=?, preempted_count=?, "
    "exit_code=?, started_at=?, completed_at=? WHERE job_id=? AND idx=?"
)
JOB_UPDATE = (
    "UPDATE jobs SET status=?, revision=?, counts=?, started_at=?, completed_at=? WHERE id=?"
)


class Record:
    """Collects statements and dirty tasks/jobs; ``flush`` writes them and then tells
    ``after_flush`` which jobs changed (to wake their followers, to unload finished ones)."""

    def __init__(
        self,
        db: Database,
        loop: asyncio.AbstractEventLoop,
        after_flush: Callable[[Set[JobState]], None],
    ) -> None:
        self.db = db
        self.loop = loop
        self.after_flush = after_flush
        self._ops: List[Op] = []
        self._dirty_tasks: Set[TaskState] = set()
        self._dirty_jobs: Set[JobState] = set()
        self._handle: Optional[asyncio.Handle] = None

    def op(self, sql: str, params: Sequence[Any]) -> None:
        """A statement for the next transaction (in order with every other change)."""
        self._ops.append((sql, params))
        self._schedule()

    def set_status(self, task: TaskState, status: str) -> None:
        job = task.job
        job.counts[task.status] -= 1
        job.counts[status] += 1
        task.status = status
        self.touch(task)

    def touch(self, task: TaskState) -> None:
        self._dirty_tasks.add(task)
        self.touch_job(task.job)

    def touch_job(self, job: JobState) -> None:
        """The job changed: a new revision (once per flush) wakes the clients following it."""
        if job not in self._dirty_jobs:
            self._dirty_jobs.add(job)
            job.revision += 1
        self._schedule()

    def _schedule(self) -> None:
        if self._handle is None:
            self._handle = self.loop.call_soon(self.flush)

    def flush(self) -> None:
        """Write everything changed since the last flush in one transaction."""
        self._handle = None
        if not (self._ops or self._dirty_tasks or self._dirty_jobs):
            return
        ops = self._ops
        self._ops = []
        for task in self._dirty_tasks:
            ops.append(
                (
                    TASK_UPDATE,
                    (
                        task.status,
                        task.attempts,
                        task.failed_count,
                        task.preempted_count,
                        task.exit_code,
                        task.started_at,
                        task.completed_at,
                        task.job.id,
                        task.index,
                    ),
                )
            )
        self._dirty_tasks = set()
        jobs = self._dirty_jobs
        self._dirty_jobs = set()
        now = time.time()
        for job in jobs:
            status = current_status(job)
            if status in FINISHED_JOB_STATES:
                job.completed_at = job.completed_at or now
            else:
                job.completed_at = None
            job.status = status
            ops.append(
                (
                    JOB_UPDATE,
                    (
                        status,
                        job.revision,
                        dumps(job.counts),
                        job.started_at,
                        job.completed_at,
                        job.id,
                    ),
                )
            )
        self.db.apply(ops)
        self.after_flush(jobs)
