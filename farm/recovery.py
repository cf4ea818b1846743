"""Picking up the record after the farm stopped or crashed.

Tasks the record says were running did not finish: their processes may even survive a
crashed farm, so each one still found (by its ``FARMHAND_RUN`` token) is killed, the attempt
is recorded as ``preempted`` and the task is queued again within its retry policy. Uploads
a daemon was sending are owed again.
"""

import time
from typing import Dict

from farmhand.farm.db import Database
from farmhand.farm.loaded_jobs import LoadedJobs
from farmhand.farm.model import PREEMPTED, RUNNING
from farmhand.farm.orphans import kill_orphaned_group
from farmhand.farm.record import Record
from farmhand.farm.scheduler import Scheduler
from farmhand.farm.state import FINISHED_JOB_STATES, run_window


def recover(record: Record, db: Database, jobs: LoadedJobs, scheduler: Scheduler) -> Dict[str, int]:
    """Requeue what was running; returns counts for the farm's log."""
    requeued = failed = killed_groups = 0
    now = time.time()
    record.op("UPDATE uploads SET status='pending', updated_at=? WHERE status='uploading'", (now,))
    record.flush()
    for job_id in db.active_job_ids(FINISHED_JOB_STATES):
        job = jobs.load(job_id)
        attempts = None
        for task in job.tasks:
            if task.status != RUNNING:
                continue
            if attempts is None:
                attempts = db.running_attempts(job_id)
            for attempt in attempts:
                if attempt["idx"] != task.index:
                    continue
                token = scheduler.run_token(job, task.index, attempt["attempt"])
                if attempt["pid"] and kill_orphaned_group(attempt["pid"], token):
                    killed_groups += 1
                record.op(
                    "UPDATE attempts SET outcome=?, completed_at=? "
                    "WHERE job_id=? AND idx=? AND attempt=?",
                    (PREEMPTED, now, job_id, task.index, attempt["attempt"]),
                )
                if job.output_path:
                    job.runs.add(run_window(task.index, attempt["started_at"], now))
            if scheduler.preempted(task, now):
                requeued += 1
            else:
                failed += 1
        record.touch_job(job)
        scheduler.activate(job)
    record.flush()
    return {"requeued": requeued, "failed": failed, "killed_orphans": killed_groups}
