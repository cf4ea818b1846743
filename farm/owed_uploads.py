"""The uploads a daemon owes the farm (jobs submitted with ``local_upload: false``).

Such a job is stored at once in ``sync_pending`` with one ``uploads`` row listing the files
the store lacks; an upload daemon (ciocore's ``conductor upload``) takes the row, sends the
files through the ordinary upload routes and reports ``finish`` (or ``fail``). The job's
tasks start only once every owed file is in the store with the md5 it was submitted with.
A row being sent when the farm stops is owed again on the next start (``recovery.py``).
"""

import json
import time
import uuid
from typing import Any, Dict, List, Sequence

from farmhand.farm.db import Database, Op, dumps
from farmhand.farm.errors import ConflictError, NotFoundError, RequestError
from farmhand.farm.loaded_jobs import LoadedJobs
from farmhand.farm.model import SYNC_FAILED, SYNC_PENDING, JobSpec
from farmhand.farm.record import Record
from farmhand.farm.scheduler import Scheduler
from farmhand.farm.state import JobState
from farmhand.farm.store import BlobStore

SET_STATUS = "UPDATE uploads SET status=?, updated_at=? WHERE id=?"


def new_upload_row(spec: JobSpec, absent: Sequence[int]) -> Dict[str, Any]:
    """The ``uploads`` row of a job whose files at ``absent`` (indices into
    ``spec.uploads``) a daemon still has to send; stored with the job."""
    now = time.time()
    refs = spec.uploads
    return {
        "id": uuid.uuid4().hex,
        "project": spec.project,
        "location": spec.location,
        "files": dumps({refs[i].destination: refs[i].md5 for i in absent}),
        "status": "pending",
        "created_at": now,
        "updated_at": now,
    }


class OwedUploads:
    def __init__(
        self,
        record: Record,
        db: Database,
        jobs: LoadedJobs,
        store: BlobStore,
        scheduler: Scheduler,
    ) -> None:
        self.record = record
        self.db = db
        self.jobs = jobs
        self.store = store
        self.scheduler = scheduler

    def next_upload(self, location: str) -> Any:
        """The oldest upload a daemon at ``location`` may send, marked as being sent."""
        self.record.flush()
        row = self.db.next_upload(location)
        if row is not None:
            self.record.op(SET_STATUS, ("uploading", time.time(), row["id"]))
            self.record.flush()
        return row

    def _row(self, upload_id: str) -> Any:
        self.record.flush()
        row = self.db.upload(upload_id)
        if row is None:
            raise NotFoundError("no upload {!r}".format(upload_id))
        return row

    def progress(self, upload_id: str, transfer_size: int, transferred: int) -> None:
        self._row(upload_id)
        self.record.op(
            "UPDATE uploads SET transfer_size=?, bytes_transferred=?, updated_at=? WHERE id=?",
            (transfer_size, transferred, time.time(), upload_id),
        )

    async def finish(self, upload_id: str, md5s: Dict[str, str]) -> None:
        """The daemon sent every file: check them against the store, then start the job."""
        row = self._row(upload_id)
        if row["status"] not in ("pending", "uploading"):
            raise ConflictError(
                "upload {} is {}; it cannot finish".format(upload_id, row["status"])
            )
        owed = json.loads(row["files"])
        for destination, announced in sorted(owed.items()):
            got = md5s.get(destination)
            where = "upload_files[{!r}]".format(destination)
            if got is None:
                raise RequestError(
                    "the upload owes {} but the daemon did not report it".format(destination),
                    field=where,
                )
            if announced and got != announced:
                raise RequestError(
                    "{} was submitted with md5 {} but uploaded as {}".format(
                        destination, announced, got
                    ),
                    field=where,
                )
        await self.store.settled(md5s[d] for d in owed)  # on disk before the job names them
        row = self._row(upload_id)
        if row["status"] not in ("pending", "uploading"):  # killed while waiting
            raise ConflictError(
                "upload {} is {}; it cannot finish".format(upload_id, row["status"])
            )
        ops: List[Op] = []
        for destination in sorted(owed):
            got = md5s[destination]
            if not self.store.has(got):
                raise RequestError(
                    "md5 {} of {} is not in the farm's store; upload it first".format(
                        got, destination
                    ),
                    field="upload_files[{!r}]".format(destination),
                )
            ops.append(
                (
                    "UPDATE job_files SET md5=? WHERE job_id=? AND destination=?",
                    (got, row["job_id"], destination),
                )
            )
        ops.append((SET_STATUS, ("finished", time.time(), upload_id)))
        for sql, params in ops:
            self.record.op(sql, params)
        self.record.flush()
        job = self.jobs.load(row["job_id"])
        job.sync_state = None
        job.uploads = [(r["md5"], r["destination"]) for r in self.db.job_files(job.id)]
        job.prepared = not job.uploads
        self.record.touch_job(job)
        self.scheduler.activate(job)

    def fail(self, upload_id: str, message: str) -> None:
        row = self._row(upload_id)
        self.record.op(
            "UPDATE uploads SET status='failed', error=?, updated_at=? WHERE id=?",
            (message[:10000], time.time(), upload_id),
        )
        job = self.jobs.load(row["job_id"])
        if job.sync_state is not None:
            job.sync_state = SYNC_FAILED
            self.record.touch_job(job)

    # -- what job actions do to the upload --------------------------------------------------

    def cancel(self, job: JobState) -> None:
        """Killing a job that waits for its files: the daemon is no longer owed them."""
        if job.sync_state is not None:
            self.record.op(SET_STATUS, ("cancelled", time.time(), job.upload_id))
            job.sync_state = None
            job.upload_cancelled = True

    def owe_again(self, job: JobState) -> bool:
        """Retrying a job whose upload failed gives the upload to a daemon again."""
        if job.sync_state != SYNC_FAILED:
            return False
        self.record.op(
            "UPDATE uploads SET status='pending', error='', updated_at=? WHERE id=?",
            (time.time(), job.upload_id),
        )
        job.sync_state = SYNC_PENDING
        self.record.touch_job(job)
        return True
