"""The local farm itself: puts its parts together and is what the HTTP routes talk to.

Everything runs on one asyncio event loop: HTTP handlers, the scheduler and the executor's
process exits. The parts, each in its own module:

* ``state`` — jobs and tasks in memory; ``loaded_jobs`` — which are loaded, from where;
* ``record`` — their changes written to SQLite once per loop iteration; ``followers`` —
  clients waiting for a job to change;
* ``submission`` — taking a job in; ``scheduler`` — which task runs next, and what its end
  means (retries, dependents, scouts); ``output_scans`` — the files tasks wrote;
* ``actions`` — kill, retry, release; ``owed_uploads`` — uploads an upload daemon sends;
  ``recovery`` — the record picked up after a stop or crash;
* ``store`` — uploaded files by md5, ``landing`` — how they become durable;
  ``multipart`` — big files arriving in parts, ``upload_stream`` — receiving any upload.

Routes use ``farm.submissions``, ``farm.actions``, ``farm.owed_uploads`` and
``farm.multipart`` for changes and
the read helpers below (``job_row``, ``task_row``...) for answers built from the record.
"""

import asyncio
import concurrent.futures
import hashlib
import socket
import time
from typing import Any, Dict, Optional, Sequence, Set, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.farm import task_env
from farmhand.farm.actions import JobActions
from farmhand.farm.config import FarmConfig
from farmhand.farm.db import Database
from farmhand.farm.errors import NotFoundError, UnavailableError
from farmhand.farm.executor import KILL_GRACE, Executor, Run
from farmhand.farm.followers import Followers
from farmhand.farm.idempotency import SubmitKeys
from farmhand.farm.ids import no_such_task
from farmhand.farm.loaded_jobs import LoadedJobs
from farmhand.farm.model import RUNNING, JobSpec, job_id_text
from farmhand.farm.multipart import MultipartUploads
from farmhand.farm.owed_uploads import OwedUploads
from farmhand.farm.paths import FarmPaths
from farmhand.farm.record import Record
from farmhand.farm.recovery import recover
from farmhand.farm.scheduler import Scheduler
from farmhand.farm.state import JobState
from farmhand.farm.store import BlobStore
from farmhand.farm.submission import Submissions

# Parsing a payload of this many bytes or more moves off the event loop.
BIG_PAYLOAD = 512 * 1024
# After a kill's grace period, how long recording a killed task's outputs may take at most.
KILL_SETTLE = 5.0
# Threads writing and hashing uploads: up to three lanes per upload (upload_stream.py).
UPLOAD_THREADS = 6


class Farm:
    def __init__(
        self,
        paths: FarmPaths,
        config: FarmConfig,
        catalogue: Catalogue,
        slots: int,
        loop: asyncio.AbstractEventLoop,
    ) -> None:
        self.paths = paths.ensure()
        self.config = config
        self.catalogue = catalogue
        self.slots = slots
        self.loop = loop
        self.started_at = time.time()
        self.closing = False
        self.db = Database(paths.db)
        self.submit_keys = SubmitKeys(self.db)
        self.store = BlobStore(paths.store, paths.store_tmp, background=True)
        self.store.clean_tmp()
        self.executor = Executor(loop)
        self.threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=2, thread_name_prefix="farm-io"
        )
        # Receiving uploads (writing, hashing): apart from the scans and file placing above,
        # so a big upload never waits behind them or they behind it.
        self.upload_threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=UPLOAD_THREADS, thread_name_prefix="farm-upload"
        )
        self.multipart = MultipartUploads(self.store, self.upload_threads)
        self.record = Record(self.db, loop, self._flushed)
        self.followers = Followers(loop, self.record.flush)
        self.loaded = LoadedJobs(self.db, paths, self.record.flush)
        self.scheduler = Scheduler(
            loop,
            self.record,
            self.loaded.jobs,
            self.executor,
            self.store,
            paths,
            self.threads,
            slots,
            host=socket.gethostname(),
            token_prefix=hashlib.md5(paths.root.encode("utf-8")).hexdigest()[:12],
        )
        self.owed_uploads = OwedUploads(
            self.record, self.db, self.loaded, self.store, self.scheduler
        )
        self.actions = JobActions(
            self.record, self.loaded, self.scheduler, self.executor, self.owed_uploads
        )
        self.submissions = Submissions(
            loop,
            self.threads,
            self.record,
            self.db,
            self.store,
            self.loaded,
            self.scheduler,
            task_env.clean_base(),
        )

    def _flushed(self, jobs: Set[JobState]) -> None:
        for job in jobs:
            self.followers.changed(job)
            self.loaded.unload_if_done(job)

    @property
    def running(self) -> Dict[object, Run]:
        return self.scheduler.running

    def flush(self) -> None:
        self.record.flush()

    async def submit(self, spec: JobSpec, submit_key: Optional[Tuple[str, str]] = None) -> int:
        """``submit_key``: the request's ``(Idempotency-Key, body digest)``, stored with the job."""
        if self.closing:
            raise UnavailableError(
                "the farm is shutting down; submit again once it is back", retry_after=2
            )
        return await self.submissions.submit(spec, submit_key)

    def recover(self) -> Dict[str, int]:
        return recover(self.record, self.db, self.loaded, self.scheduler)

    # -- reading (answers are built from the record) ----------------------------------------

    async def wait_for_change(self, job_id: int, revision: int, timeout: float) -> None:
        await self.followers.wait_for_change(self.loaded.get(job_id), revision, timeout)

    async def wait_until_ended(self, job_id: int, indices: Optional[Sequence[int]] = None) -> None:
        """Return once the job's (or the given) tasks that were running have ended.

        A kill signals the process group and the end is recorded when the processes are gone
        (SIGKILL follows after the executor's grace period), so a ``kill`` answered before
        that would let an immediate ``retry`` find the task still running. The kill routes
        wait here, bounded by the grace period plus the time to record outputs.
        """
        job = self.loaded.get(job_id)
        if job is None:
            return
        deadline = time.monotonic() + KILL_GRACE + KILL_SETTLE
        while True:
            tasks = job.tasks if indices is None else [job.tasks[i] for i in indices]
            if all(t.status != RUNNING for t in tasks):
                return
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return
            self.flush()
            await self.followers.wait_for_change(job, job.revision, min(remaining, 0.05))

    def job_row(self, job_id: int) -> Any:
        self.flush()
        row = self.db.job(job_id)
        if row is None:
            raise NotFoundError("no job {}".format(job_id_text(job_id)))
        return row

    def task_row(self, job_id: int, index: int) -> Any:
        row = self.job_row(job_id)
        count = row["task_count"]
        if not 0 <= index < count:
            raise no_such_task(job_id_text(job_id), index, count)
        return self.db.task(job_id, index)

    def status_counts(self) -> Tuple[Dict[str, int], Dict[str, int]]:
        self.flush()
        return self.db.status_counts()

    # -- stopping ---------------------------------------------------------------------------

    def refuse_new_jobs(self) -> None:
        """From now on a submit is answered 503 with ``Retry-After`` (the client sends it
        again, to the restarted farm); requests already past that check still finish."""
        self.closing = True

    async def shutdown(self, grace: float = 2.0) -> None:
        """Stop cleanly: running tasks are stopped and recorded as preempted (requeued)."""
        self.closing = True
        await self.scheduler.stop(grace)
        self.flush()
        await self.loop.run_in_executor(None, self.store.close)  # verified uploads land
        self.upload_threads.shutdown(wait=False)
        self.threads.shutdown(wait=False)
        self.executor.close()
        self.db.close()
