"""Clients following a job (``GET /api/v1/jobs/<jid>?wait=&revision=``) without polling.

A follower's request is held until the job's revision changes. Waking every follower on
every change would answer a thousand polls a second for a busy job, so followers are woken
at once when the job ends and otherwise at most every ``NOTIFY_INTERVAL``: a progress
display needs no more, and a busy farm answers fewer requests.
"""

import asyncio
import time
from typing import Callable, Dict, List, Optional

from farmhand.farm.state import FINISHED_JOB_STATES, JobState

NOTIFY_INTERVAL = 0.1


class Followers:
    def __init__(self, loop: asyncio.AbstractEventLoop, flush: Callable[[], None]) -> None:
        self.loop = loop
        self.flush = flush
        self._waiters: Dict[int, List["asyncio.Future[None]"]] = {}

    async def wait_for_change(self, job: Optional[JobState], revision: int, timeout: float) -> None:
        """Return when ``job`` moves past ``revision`` or after ``timeout`` seconds; at once
        for a job that is not loaded (it cannot change until something reloads it)."""
        if job is None or job.revision != revision or timeout <= 0:
            return
        future: "asyncio.Future[None]" = self.loop.create_future()
        self._waiters.setdefault(job.id, []).append(future)
        try:
            await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            pass

    def changed(self, job: JobState) -> None:
        """The job's new state is in the record: wake its followers now or soon."""
        if job.id not in self._waiters:
            return
        now = time.monotonic()
        if job.status in FINISHED_JOB_STATES or now - job.notified_at >= NOTIFY_INTERVAL:
            if job.notify_handle is not None:
                job.notify_handle.cancel()
            self._wake(job)
        elif job.notify_handle is None:
            job.notify_handle = self.loop.call_at(
                job.notified_at + NOTIFY_INTERVAL, self._wake, job
            )

    def _wake(self, job: JobState) -> None:
        job.notify_handle = None
        job.notified_at = time.monotonic()
        self.flush()
        for future in self._waiters.pop(job.id, None) or ():
            if not future.done():
                future.set_result(None)
