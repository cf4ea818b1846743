"""Taking a parsed job (``JobSpec``) in: check its files, store it, queue its tasks.

Either the whole job is stored (job, tasks, file references and any upload owed by a
daemon, in one transaction) or nothing is: a job naming a file the store lacks is refused
before anything is written. Work that grows with the job's size (checking 100,000 md5s,
matching 100,000 tasks against the scout frames) runs in a worker thread so the farm keeps
dispatching meanwhile.
"""

import asyncio
import concurrent.futures
import time
from typing import Any, Dict, List, Optional, Tuple

from farmhand.farm import task_env
from farmhand.farm.db import Database, dumps
from farmhand.farm.errors import RequestError
from farmhand.farm.loaded_jobs import LoadedJobs
from farmhand.farm.model import HELD, PENDING, SYNC_PENDING, TASK_STATES, WAITING, JobSpec
from farmhand.farm.owed_uploads import new_upload_row
from farmhand.farm.record import Record
from farmhand.farm.scheduler import Scheduler
from farmhand.farm.scouts import intersects, parse_frames
from farmhand.farm.state import job_status
from farmhand.farm.store import BlobStore

# Jobs with more tasks than this are matched against their scout frames off the loop.
BIG_JOB = 1000


class Submissions:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        threads: concurrent.futures.Executor,
        record: Record,
        db: Database,
        store: BlobStore,
        jobs: LoadedJobs,
        scheduler: Scheduler,
        base_env: Dict[str, str],
    ) -> None:
        self.loop = loop
        self.threads = threads
        self.record = record
        self.db = db
        self.store = store
        self.jobs = jobs
        self.scheduler = scheduler
        self.base_env = base_env

    async def submit(self, spec: JobSpec, submit_key: Optional[Tuple[str, str]] = None) -> int:
        """Store the job (one transaction, with its idempotency key and body digest if
        given) and queue its ready tasks; returns the job id."""
        refs = spec.uploads
        absent: List[int] = []
        if refs:
            # Files still landing count as present: the job may name them only once they
            # are on disk (one that failed to land is missing after all).
            await self.store.settled(r.md5 for r in refs if r.md5 is not None)
            absent = await self.loop.run_in_executor(
                self.threads,
                lambda: [
                    i for i, r in enumerate(refs) if r.md5 is None or not self.store.has(r.md5)
                ],
            )
            if absent and spec.local_upload:
                first = refs[absent[0]]
                raise RequestError(
                    "md5 {} of {} is not in the farm's store ({} of {} files missing); upload the"
                    " files (POST /api/v2/files/get_upload_urls) before submitting".format(
                        first.md5, first.destination, len(absent), len(refs)
                    ),
                    field="upload_files[{}].md5".format(absent[0]),
                )
        if len(spec.tasks) > BIG_JOB:
            scouts = await self.loop.run_in_executor(self.threads, scout_flags, spec)
        else:
            scouts = scout_flags(spec)
        statuses = first_statuses(spec, scouts)
        counts = dict.fromkeys(TASK_STATES, 0)
        for status in statuses:
            counts[status] += 1
        # local_upload is off: an upload daemon owes the farm the files the store lacks.
        upload: Optional[Dict[str, Any]] = new_upload_row(spec, absent) if absent else None
        env = task_env.merge(self.base_env, spec.environment, spec.env_policies)
        if upload:
            status = SYNC_PENDING
        elif spec.upload_only:
            status = PENDING  # succeeds once its files are in place
        else:
            status = job_status(counts)
        row = job_row(spec, env, counts, status)
        task_rows = [
            (
                index,
                task.title,
                task.frames,
                dumps([c.to_json() for c in task.commands]),
                dumps(list(task.depends_on)),
                int(scout),
                status,
            )
            for index, (task, scout, status) in enumerate(zip(spec.tasks, scouts, statuses))
        ]
        files = [(ref.md5 or "", ref.destination, ref.size) for ref in refs]
        self.record.flush()  # earlier changes first: the record stays in order
        job_id = self.db.insert_job(row, task_rows, files, upload, submit_key)
        job = self.jobs.add_submitted(job_id, spec, env, statuses, scouts, upload)
        self.scheduler.activate(job, new=True)
        return job_id


def scout_flags(spec: JobSpec) -> List[bool]:
    """Which tasks hold a scout frame (they run; the others are held)."""
    scout_set = parse_frames(spec.scout_frames, "scout_frames")
    if scout_set is None:
        return [False] * len(spec.tasks)
    return [
        intersects(parse_frames(t.frames, "tasks_data[{}].frames".format(i)), scout_set)
        for i, t in enumerate(spec.tasks)
    ]


def first_statuses(spec: JobSpec, scouts: List[bool]) -> List[str]:
    has_scouts = bool(spec.scout_frames.strip())
    statuses = []
    for task, scout in zip(spec.tasks, scouts):
        if has_scouts and not scout:
            statuses.append(HELD)
        elif task.depends_on:
            statuses.append(WAITING)
        else:
            statuses.append(PENDING)
    return statuses


def job_row(
    spec: JobSpec, env: Dict[str, str], counts: Dict[str, int], status: str
) -> Dict[str, Any]:
    """The ``jobs`` row of a new submission."""
    return {
        "kind": spec.kind,
        "title": spec.title,
        "project": spec.project,
        "instance_type": spec.instance_type,
        "priority": spec.priority,
        "owner": spec.owner,
        "location": spec.location,
        "output_path": spec.output_path,
        "scout_frames": spec.scout_frames,
        "release_on_scout_success": int(spec.release_on_scout_success),
        "environment": dumps(env),
        "env_policies": dumps(spec.env_policies),
        "retry_failed": spec.retry.failed,
        "retry_preempted": spec.retry.preempted,
        "metadata": dumps(spec.metadata),
        "payload": dumps({k: v for k, v in spec.payload.items() if k not in ("tasks_data",)}),
        "task_count": len(spec.tasks),
        "counts": dumps(counts),
        "status": status,
        "revision": 1,
        "created_at": time.time(),
    }
