"""Picking up the record after the farm stopped or crashed.

An attempt is committed as ``running`` before its process is spawned (``scheduler.py``), so
after a crash every task process that ever ran has an attempt on record. Tasks the record
says were running did not finish: their attempt is closed as ``preempted`` whether its
process never started (the farm died between the commit and the spawn), ended while the farm
was dead, or still runs. Still-running ones (orphans: a farm's SIGKILL does not reach its
tasks' process groups) are found by their ``FARMHAND_RUN`` token and killed, and are gone,
before anything is queued again, so no task ever runs twice at once. Then each task is
queued again within its retry policy. Uploads a daemon was sending are owed again.
"""

import logging
import time
from typing import Dict

from farmhand.farm.db import Database
from farmhand.farm.loaded_jobs import LoadedJobs
from farmhand.farm.model import PREEMPTED, RUNNING
from farmhand.farm.orphans import kill_runs
from farmhand.farm.record import Record
from farmhand.farm.scheduler import Scheduler
from farmhand.farm.state import FINISHED_JOB_STATES, run_window

log = logging.getLogger("farmhand.farm")


def recover(record: Record, db: Database, jobs: LoadedJobs, scheduler: Scheduler) -> Dict[str, int]:
    """Requeue what was running; returns counts for the farm's log."""
    requeued = failed = 0
    orphans = kill_runs(scheduler.token_prefix)
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
                if token not in orphans and attempt["pid"] is None:
                    log.warning("%s: interrupted before its process id was recorded", token)
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
    return {"requeued": requeued, "failed": failed, "killed_orphans": len(orphans)}
