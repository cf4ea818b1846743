"""Asks for the scans of a job's output folder and records what they find.

When a task of a job with an ``output_path`` ends, its end waits (``job.finishing``) until
a scan has attributed the files it wrote (see ``outputs.py``): only then is the task
finalized, so a client that sees ``success`` also sees the task's outputs. One scan per job
runs at a time in a worker thread; ends that arrive meanwhile are picked up by the next.
"""

import asyncio
import concurrent.futures
import logging
import time
from typing import Any, Callable, Dict, Optional, Set, Tuple

from farmhand.core.errors import InputError
from farmhand.farm import outputs as outputs_scan
from farmhand.farm.executor import Run
from farmhand.farm.record import Record
from farmhand.farm.scouts import parse_frames
from farmhand.farm.state import JobState, TaskState, run_window

log = logging.getLogger("farmhand.farm")

OUTPUT_INSERT = (
    "INSERT OR REPLACE INTO outputs(job_id, path, idx, size, mtime_ns, md5) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
Finalize = Callable[[TaskState, str, Optional[int], float], None]


class OutputScans:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        threads: concurrent.futures.Executor,
        record: Record,
        running: Dict[object, Run],
        finalize: Finalize,
    ) -> None:
        self.loop = loop
        self.threads = threads
        self.record = record
        self.running = running  # the scheduler's runs: which windows are still open
        self.finalize = finalize
        self.in_flight: Set["asyncio.Future[Any]"] = set()

    def request(self, job: JobState) -> None:
        """Scan the job's folder now, or once the scan in flight is done."""
        if job.scan_running:
            job.scan_again = True
            return
        job.scan_running = True
        job.scan_again = False
        finishing = list(job.finishing)
        job.finishing = []
        running = []
        for run in self.running.values():
            task: TaskState = run.context  # type: ignore[assignment]
            if task.job is job:
                running.append(run_window(task.index, run.started_at, None))
        # ``known`` and ``runs`` are shared with the scan thread: only this job's scan-done
        # callback changes ``known``, and ``runs`` is append-only (the scan sees ``count``).
        request = outputs_scan.ScanInput(
            root=job.output_path,
            known=job.known_outputs,
            runs=job.runs,
            count=len(job.runs.windows),
            running=running,
            finishing={t.index for t, _, _, _ in finishing},
            owners=frame_owners(job),
            now_ns=time.time_ns(),
        )
        future: "asyncio.Future[Any]" = self.loop.run_in_executor(
            self.threads, outputs_scan.scan, request
        )

        def scanned(done: "asyncio.Future[Any]") -> None:
            self.in_flight.discard(done)
            job.scan_running = False
            error = done.exception()
            if error is None:
                found, settled = done.result()
                job.known_outputs.update(settled)
                for item in found:
                    self.record.op(
                        OUTPUT_INSERT,
                        (job.id, item.path, item.index, item.size, item.mtime_ns, item.md5),
                    )
            else:
                log.error("job %s: scanning %s failed: %s", job.jid, job.output_path, error)
            for task, outcome, code, end in finishing:
                self.finalize(task, outcome, code, end)
            self.record.touch_job(job)
            if job.scan_again or job.finishing:
                self.request(job)

        self.in_flight.add(future)
        future.add_done_callback(scanned)

    async def wait(self, timeout: float) -> None:
        """Let the scans in flight finish their tasks' records (stopping the farm)."""
        if self.in_flight:
            await asyncio.wait(list(self.in_flight), timeout=timeout)
            await asyncio.sleep(0)  # let their done-callbacks run


def frame_owners(job: JobState) -> Optional[Dict[int, Tuple[int, ...]]]:
    """frame -> tasks, built once per job (only jobs with an output_path need it)."""
    if job.owners is None:
        frames = []
        for task in job.tasks:
            try:
                frames.append(parse_frames(task.frames, "frames"))
            except InputError:
                frames.append(None)
        job.owners = outputs_scan.frame_owners(frames) or {}
    return job.owners
