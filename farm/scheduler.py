"""Which task runs next, starting it, and what its end means for the rest of its job.

A heap of ready (``pending``) tasks ordered by job priority (higher first), then job id
(submission order), then task index; ``slots`` tasks run at once. Tasks that wait for a
scout release are ``held``; tasks whose ``depends_on`` have not all succeeded are
``waiting``. Starting and ending tasks happen on the event loop (the executor reports a
process exit through a pidfd), so a finished task frees its slot at once and the next one
starts in the same loop iteration; the record write is batched (``record.py``), except that
the attempts a dispatch starts are committed before their processes are spawned, so a crash
can never leave a task process that no attempt records (``recovery.py`` closes the others).
"""

import asyncio
import concurrent.futures
import heapq
import logging
import os
import time
from typing import Dict, List, Optional, Tuple

from farmhand.farm import outputs as outputs_scan
from farmhand.farm.executor import Executor, Run
from farmhand.farm.fault_points import reached as fault_point_reached
from farmhand.farm.job_inputs import place_inputs
from farmhand.farm.model import (
    FAILED,
    HELD,
    KILLED,
    PENDING,
    PREEMPTED,
    RUNNING,
    SUCCESS,
    WAITING,
    task_id_text,
)
from farmhand.farm.output_scans import OutputScans
from farmhand.farm.paths import FarmPaths
from farmhand.farm.record import Record
from farmhand.farm.state import JobState, TaskState, run_window
from farmhand.farm.store import BlobStore

log = logging.getLogger("farmhand.farm")

ATTEMPT_INSERT = (
    "INSERT INTO attempts(job_id, idx, attempt, outcome, pid, host, log_path, started_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
ATTEMPT_PID = "UPDATE attempts SET pid=? WHERE job_id=? AND idx=? AND attempt=?"
ATTEMPT_END = (
    "UPDATE attempts SET outcome=?, exit_code=?, completed_at=? "
    "WHERE job_id=? AND idx=? AND attempt=?"
)


class Scheduler:
    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        record: Record,
        jobs: Dict[int, JobState],
        executor: Executor,
        store: BlobStore,
        paths: FarmPaths,
        threads: concurrent.futures.Executor,
        slots: int,
        host: str,
        token_prefix: str,
    ) -> None:
        self.loop = loop
        self.record = record
        self.jobs = jobs  # the loaded jobs, by id (``LoadedJobs.jobs``)
        self.executor = executor
        self.store = store
        self.paths = paths
        self.threads = threads
        self.slots = slots
        self.free = slots
        self.host = host
        self.token_prefix = token_prefix
        self.queue: List[Tuple[int, int, int, int]] = []
        self.running: Dict[object, Run] = {}
        self.closing = False
        self.scans = OutputScans(loop, threads, record, self.running, self.finalize)
        self._dispatch_handle: Optional[asyncio.Handle] = None
        self._idle: Optional[asyncio.Event] = None

    # -- getting a job ready ----------------------------------------------------------------

    def activate(self, job: JobState, new: bool = False) -> None:
        """Queue the job's pending tasks, once its uploaded files are in place (and, for a
        new job, once the files already in its output folder are known: nobody's output)."""
        if new and job.output_path:
            listing = self.loop.run_in_executor(
                self.threads, outputs_scan.baseline, job.output_path
            )

            def listed(done: "asyncio.Future[Dict[str, Tuple[int, int]]]") -> None:
                if done.exception() is None:
                    job.known_outputs.update(done.result())
                self.activate(job)

            listing.add_done_callback(listed)
            return
        if job.sync_state is not None:
            return  # the upload daemon has not delivered the files yet
        if not job.prepared:
            if job.preparing:
                return
            job.preparing = True
            if not job.tasks and job.started_at is None:  # upload-only: placing is its work
                job.started_at = time.time()
            future = self.loop.run_in_executor(
                self.threads,
                place_inputs,
                self.store,
                self.paths.job_inputs_dir(job.jid),
                job.jid,
                list(job.uploads),
            )

            def prepared(done: "asyncio.Future[None]") -> None:
                error = done.exception()
                if error is not None:
                    log.error("job %s: preparing its files failed: %s", job.jid, error)
                job.preparing = False
                job.prepared = True
                if not job.tasks:
                    self.record.touch_job(job)  # an upload-only job is done now
                self.activate(job)

            future.add_done_callback(prepared)
            return
        for task in job.tasks:
            if task.status == PENDING:
                self._push(task)
        self._schedule_dispatch()

    def release(self, job: JobState) -> int:
        """Every held task of the job becomes pending (or waiting); returns how many."""
        count = 0
        for task in job.tasks:
            if task.status == HELD:
                self.requeue(task)
                count += 1
        self.record.touch_job(job)
        return count

    def requeue(self, task: TaskState, push: bool = True) -> None:
        if task.remaining > 0:
            self.record.set_status(task, WAITING)
            return
        self.record.set_status(task, PENDING)
        if not push:
            return
        if task.job.prepared:
            self._push(task)
            self._schedule_dispatch()
        else:
            self.activate(task.job)  # queues every pending task once the files are ready

    # -- starting ---------------------------------------------------------------------------

    def _push(self, task: TaskState) -> None:
        task.token += 1
        heapq.heappush(self.queue, (-task.job.priority, task.job.id, task.index, task.token))

    def _schedule_dispatch(self) -> None:
        if self._dispatch_handle is None and not self.closing:
            self._dispatch_handle = self.loop.call_soon(self._dispatch)

    def _dispatch(self) -> None:
        self._dispatch_handle = None
        queue = self.queue
        starting: List[Run] = []
        while self.free > 0 and queue and not self.closing:
            _, job_id, index, token = heapq.heappop(queue)
            job = self.jobs.get(job_id)
            if job is None:
                continue
            task = job.tasks[index]
            if task.status != PENDING or task.token != token:
                continue  # a stale entry: the task was killed, or pushed again since
            starting.append(self._record_start(task))
        if not starting:
            return
        # The attempts are committed before any of their processes exists: a farm killed
        # from here on leaves attempts on record for recovery to close, never a run that
        # no attempt records. One transaction for every task this dispatch starts.
        try:
            self.record.flush()
        except Exception:  # noqa: BLE001 - the farm goes on; these tasks did not start
            log.exception("recording the start of %d task(s) failed; not started", len(starting))
            for run in starting:
                self._not_started(run)
            return
        fault_point_reached("after_record")
        for run in starting:
            self._spawn(run)
        fault_point_reached("after_spawn")

    def run_token(self, job: JobState, index: int, attempt: int) -> str:
        """``FARMHAND_RUN``: lets a restarted farm recognise the processes of its attempts."""
        return "{}/{}/{}/{}".format(self.token_prefix, job.jid, index, attempt)

    def _record_start(self, task: TaskState) -> Run:
        """The attempt, recorded as running (with its run token), and its slot taken; the
        process is spawned once this is committed (``_spawn``)."""
        job = task.job
        if not job.dirs_ready:
            os.makedirs(job.log_dir, exist_ok=True)
            os.makedirs(job.work_dir, exist_ok=True)
            if job.output_path:
                try:
                    os.makedirs(job.output_path, exist_ok=True)
                except OSError as error:
                    log.warning("job %s: cannot create %s: %s", job.jid, job.output_path, error)
            job.dirs_ready = True
        task.attempts += 1
        attempt = task.attempts
        tid = task_id_text(task.index)
        env = dict(job.env)
        env["FARMHAND_JOB_ID"] = job.jid
        env["FARMHAND_TASK_ID"] = tid
        env["FARMHAND_ATTEMPT"] = str(attempt)
        env["FARMHAND_FRAMES"] = task.frames
        env["FARMHAND_OUTPUT_PATH"] = job.output_path
        env["FARMHAND_INPUTS"] = self.paths.job_inputs_dir(job.jid)
        env["FARMHAND_RUN"] = self.run_token(job, task.index, attempt)
        log_path = os.path.join(job.log_dir, "{}.{}.log".format(tid, attempt))
        run = Run(
            key=(job.id, task.index),
            commands=task.commands,
            env=env,
            cwd=job.work_dir,
            log_path=log_path,
            header="[farmhand] {}:{} attempt {} on {}".format(job.jid, tid, attempt, self.host),
            on_done=self._on_run_done,
            context=task,
        )
        run.started_at = time.time()
        task.run = run
        self.running[run.key] = run
        self.free -= 1
        task.started_at = run.started_at
        task.completed_at = None
        task.exit_code = None
        if job.started_at is None:
            job.started_at = run.started_at
        self.record.set_status(task, RUNNING)
        self.record.op(
            ATTEMPT_INSERT,
            (job.id, task.index, attempt, RUNNING, None, self.host, log_path, run.started_at),
        )
        return run

    def _spawn(self, run: Run) -> None:
        task: TaskState = run.context  # type: ignore[assignment]
        self.executor.start(run)
        if run.pid:
            self.record.op(ATTEMPT_PID, (run.pid, task.job.id, task.index, task.attempts))

    def _not_started(self, run: Run) -> None:
        """An attempt whose start could not be committed: its process is never spawned (a
        run must not exist unrecorded) and it ends as preempted, queued again within the
        task's policy, so a record that keeps failing ends the task instead of spinning."""
        run.killed = run.preempted = True
        run.fd = -1
        self._on_run_done(run)

    # -- ending -----------------------------------------------------------------------------

    def _on_run_done(self, run: Run) -> None:
        task: TaskState = run.context  # type: ignore[assignment]
        job = task.job
        self.running.pop(run.key, None)
        self.free += 1
        if self._idle is not None and not self.running:
            self._idle.set()
        task.run = None
        end = time.time()
        code = run.exit_code
        if run.preempted:
            outcome = PREEMPTED
        elif run.killed:
            outcome = KILLED
        elif code == 0:
            outcome = SUCCESS
        else:
            outcome = FAILED
        self.record.op(ATTEMPT_END, (outcome, code, end, job.id, task.index, task.attempts))
        if job.output_path and not self.closing:
            job.runs.add(run_window(task.index, run.started_at, end))
            job.finishing.append((task, outcome, code, end))
            self.scans.request(job)  # finalized once the files it wrote are recorded
        else:
            self.finalize(task, outcome, code, end)
        self._schedule_dispatch()

    def finalize(self, task: TaskState, outcome: str, code: Optional[int], end: float) -> None:
        """What an attempt's outcome means: dependents freed, scouts released, retries."""
        job = task.job
        task.exit_code = code
        task.completed_at = end
        if outcome == SUCCESS:
            self.record.set_status(task, SUCCESS)
            for index in task.dependents:
                child = job.tasks[index]
                child.remaining -= 1
                if child.remaining == 0 and child.status == WAITING:
                    self.record.set_status(child, PENDING)
                    self._push(child)
                    # finalize may run after the output scan, once the run's dispatch is past
                    self._schedule_dispatch()
            if (
                task.scout
                and job.release_on_scout_success
                and all(t.status == SUCCESS for t in job.tasks if t.scout)
            ):
                self.release(job)
        elif outcome == FAILED:
            task.failed_count += 1
            if task.failed_count <= job.retry_failed:
                self.requeue(task)
            else:
                self.record.set_status(task, FAILED)
        elif outcome == KILLED:
            self.record.set_status(task, KILLED)
        else:
            self.preempted(task, end)

    def preempted(self, task: TaskState, end: float) -> bool:
        """Count a preemption; requeue within the policy (True) or fail the task."""
        task.preempted_count += 1
        task.completed_at = end
        if task.preempted_count <= task.job.retry_preempted:
            self.requeue(task, push=not self.closing)
            return True
        self.record.set_status(task, FAILED)
        return False

    # -- stopping ---------------------------------------------------------------------------

    async def stop(self, grace: float) -> None:
        """Stop every run (recorded as preempted: requeued on the next start) and wait for
        their ends and the output scans they asked for."""
        self.closing = True
        self._idle = asyncio.Event()
        for run in list(self.running.values()):
            self.executor.kill(run, grace=grace, preempt=True)
        if self.running:
            try:
                await asyncio.wait_for(self._idle.wait(), grace + 5.0)
            except asyncio.TimeoutError:
                log.error("%d task(s) did not stop in time", len(self.running))
        await self.scans.wait(10.0)
