"""The local farm itself: jobs and tasks in memory for scheduling, SQLite as the record.

Everything runs on one asyncio event loop: HTTP handlers, the scheduler and the executor's
process exits. State changes are applied in memory at once and written to SQLite in one
transaction per loop iteration (``_flush``), so a burst of task ends costs one commit and the
record is never more than one iteration behind. A farm killed at any point restarts from that
record: tasks it was running are counted as preempted and run again.

Scheduling: a heap of ready (``pending``) tasks ordered by job priority (higher first), then
job id (submission order), then task index; ``slots`` tasks run at once. Tasks that wait for
a scout release are ``held``; tasks whose ``depends_on`` have not all succeeded are
``waiting``.
"""

import asyncio
import concurrent.futures
import hashlib
import heapq
import json
import logging
import os
import socket
import time
import uuid
from typing import Any, Dict, List, Optional, Sequence, Set, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.core.errors import InputError
from farmhand.farm import outputs as outputs_scan
from farmhand.farm import task_env
from farmhand.farm.config import FarmConfig
from farmhand.farm.db import Database, Op, dumps
from farmhand.farm.errors import ConflictError, NotFoundError, RequestError
from farmhand.farm.executor import Executor, Run
from farmhand.farm.model import (
    FAILED,
    FINISHED,
    HELD,
    HOLDING,
    KILLED,
    PENDING,
    PREEMPTED,
    RUNNING,
    SUCCESS,
    SYNC_FAILED,
    SYNC_PENDING,
    TASK_STATES,
    WAITING,
    Command,
    JobSpec,
    job_id_text,
    task_id_text,
)
from farmhand.farm.orphans import kill_orphaned_group
from farmhand.farm.paths import FarmPaths
from farmhand.farm.scouts import intersects, parse_frames
from farmhand.farm.store import BlobStore

log = logging.getLogger("farmhand.farm")

FINISHED_JOB_STATES = (SUCCESS, FAILED, KILLED)
# Clients following a job are woken at most this often (and at once when it ends).
NOTIFY_INTERVAL = 0.1
# Parsing a payload of this many bytes or more moves off the event loop.
BIG_PAYLOAD = 512 * 1024


class TaskState:
    __slots__ = (
        "job",
        "index",
        "status",
        "attempts",
        "failed_count",
        "preempted_count",
        "remaining",
        "dependents",
        "depends_on",
        "scout",
        "commands",
        "frames",
        "token",
        "run",
        "exit_code",
        "started_at",
        "completed_at",
    )

    def __init__(self, job: "JobState", index: int) -> None:
        self.job = job
        self.index = index
        self.status = PENDING
        self.attempts = 0
        self.failed_count = 0
        self.preempted_count = 0
        self.remaining = 0
        self.dependents: List[int] = []
        self.depends_on: Tuple[int, ...] = ()
        self.scout = False
        self.commands: Tuple[Command, ...] = ()
        self.frames = ""
        self.token = 0
        self.run: Optional[Run] = None
        self.exit_code: Optional[int] = None
        self.started_at: Optional[float] = None
        self.completed_at: Optional[float] = None


class JobState:
    __slots__ = (
        "id",
        "jid",
        "priority",
        "tasks",
        "counts",
        "revision",
        "output_path",
        "env",
        "retry_failed",
        "retry_preempted",
        "release_on_scout_success",
        "started_at",
        "completed_at",
        "prepared",
        "uploads",
        "log_dir",
        "work_dir",
        "dirs_ready",
        "runs",
        "owners",
        "known_outputs",
        "finishing",
        "scan_running",
        "scan_again",
        "preparing",
        "status",
        "notified_at",
        "notify_handle",
        "sync_state",
        "upload_id",
    )

    def __init__(self, job_id: int) -> None:
        self.id = job_id
        self.jid = job_id_text(job_id)
        self.priority = 5
        self.tasks: List[TaskState] = []
        self.counts: Dict[str, int] = dict.fromkeys(TASK_STATES, 0)
        self.revision = 0
        self.output_path = ""
        self.env: Dict[str, str] = {}
        self.retry_failed = 0
        self.retry_preempted = 1
        self.release_on_scout_success = False
        self.started_at: Optional[float] = None
        self.completed_at: Optional[float] = None
        self.prepared = False
        self.uploads: List[Tuple[str, str]] = []  # (md5, destination)
        self.log_dir = ""
        self.work_dir = ""
        self.dirs_ready = False
        self.runs = outputs_scan.Runs()
        self.owners: Optional[Dict[int, Tuple[int, ...]]] = None
        self.known_outputs: Dict[str, Tuple[int, int]] = {}
        self.finishing: List[Tuple[TaskState, str, Optional[int], float]] = []
        self.scan_running = False
        self.scan_again = False
        self.preparing = False
        self.status = PENDING
        self.notified_at = 0.0
        self.notify_handle: Optional[asyncio.TimerHandle] = None
        self.sync_state: Optional[str] = None  # SYNC_PENDING/SYNC_FAILED: waiting for uploads
        self.upload_id = ""


def _window(index: int, start: float, end: Optional[float]) -> outputs_scan.Window:
    return outputs_scan.Window(index, int(start * 1e9), None if end is None else int(end * 1e9))


def job_status(counts: Dict[str, int]) -> str:
    """A job's state from its tasks' (see docs/protocol.md)."""
    if counts[RUNNING]:
        return RUNNING
    if counts[PENDING]:
        return PENDING
    if counts[HELD]:
        return HOLDING
    # Waiting tasks with nothing running, pending or held can never start: a dependency
    # failed or was killed, so the job ends with that.
    if counts[FAILED]:
        return FAILED
    if counts[KILLED]:
        return KILLED
    if counts[WAITING]:
        return FAILED
    return SUCCESS


def parse_job_id(text: Any) -> int:
    try:
        number = int(str(text))
    except ValueError:
        raise NotFoundError("no job {!r} (job ids are numbers like 00007)".format(text)) from None
    if number <= 0:
        raise NotFoundError("no job {!r}".format(text))
    return number


def parse_task_index(text: Any) -> int:
    try:
        number = int(str(text))
    except ValueError:
        raise NotFoundError("no task {!r} (task ids are numbers like 003)".format(text)) from None
    if number < 0:
        raise NotFoundError("no task {!r}".format(text))
    return number


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
        self.db = Database(paths.db)
        self.store = BlobStore(paths.store, paths.store_tmp)
        self.store.clean_tmp()
        self.executor = Executor(loop)
        self.jobs: Dict[int, JobState] = {}
        self.queue: List[Tuple[int, int, int, int]] = []
        self.running: Dict[object, Run] = {}
        self.free = slots
        self.host = socket.gethostname()
        self.base_env = task_env.clean_base()
        self.account_env = list(config.environment)
        self.token_prefix = hashlib.md5(paths.root.encode("utf-8")).hexdigest()[:12]
        self.started_at = time.time()
        self.closing = False
        self.threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=2, thread_name_prefix="farm-io"
        )
        self._ops: List[Op] = []
        self._dirty_tasks: Set[TaskState] = set()
        self._dirty_jobs: Set[JobState] = set()
        self._flush_handle: Optional[asyncio.Handle] = None
        self._dispatch_handle: Optional[asyncio.Handle] = None
        self._waiters: Dict[int, List["asyncio.Future[None]"]] = {}
        self._idle: Optional[asyncio.Event] = None
        self._scans: Set["asyncio.Future[Any]"] = set()

    # =====================================================================================
    # record keeping
    # =====================================================================================

    def _op(self, sql: str, params: Sequence[Any]) -> None:
        self._ops.append((sql, params))
        self._schedule_flush()

    def _schedule_flush(self) -> None:
        if self._flush_handle is None:
            self._flush_handle = self.loop.call_soon(self.flush)

    def _set_status(self, task: TaskState, status: str) -> None:
        job = task.job
        job.counts[task.status] -= 1
        job.counts[status] += 1
        task.status = status
        self._touch(task)

    def _touch(self, task: TaskState) -> None:
        self._dirty_tasks.add(task)
        job = task.job
        if job not in self._dirty_jobs:
            self._dirty_jobs.add(job)
            job.revision += 1
        self._schedule_flush()

    def flush(self) -> None:
        """Write everything changed since the last flush in one transaction."""
        self._flush_handle = None
        if not (self._ops or self._dirty_tasks or self._dirty_jobs):
            return
        ops = self._ops
        self._ops = []
        for task in self._dirty_tasks:
            ops.append(
                (
                    "UPDATE tasks SET status=?, attempts=?, failed_count=?, preempted_count=?, "
                    "exit_code=?, started_at=?, completed_at=? WHERE job_id=? AND idx=?",
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
            status = job.sync_state or job_status(job.counts)
            if job.scan_running or job.finishing:
                status = RUNNING if status in FINISHED_JOB_STATES else status
            if status in FINISHED_JOB_STATES:
                job.completed_at = job.completed_at or now
            else:
                job.completed_at = None
            job.status = status
            ops.append(
                (
                    "UPDATE jobs SET status=?, revision=?, counts=?, started_at=?, "
                    "completed_at=? WHERE id=?",
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
        for job in jobs:
            if job.id in self._waiters:
                self._notify(job)
            if (
                job.status in FINISHED_JOB_STATES
                and not job.scan_running
                and not job.finishing
                and not any(t.run for t in job.tasks if t.status == RUNNING)
            ):
                self.jobs.pop(job.id, None)  # reloaded from the record if retried

    def _notify(self, job: JobState) -> None:
        """Wake the clients following this job: at once when it ends, else at most every
        ``NOTIFY_INTERVAL`` (a progress display needs no more, and a busy farm answers fewer
        polls)."""
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

    # =====================================================================================
    # submitting and loading
    # =====================================================================================

    async def submit(self, spec: JobSpec) -> int:
        """Store the job (one transaction) and queue its ready tasks; returns the job id."""
        if self.closing:
            raise ConflictError("the farm is shutting down; submit again once it is back")
        refs = spec.uploads
        absent: List[int] = []
        if refs:
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
        if len(spec.tasks) > 1000:
            scouts = await self.loop.run_in_executor(self.threads, self._scout_flags, spec)
        else:
            scouts = self._scout_flags(spec)
        has_scouts = bool(spec.scout_frames.strip())
        statuses = []
        for task, scout in zip(spec.tasks, scouts):
            if has_scouts and not scout:
                statuses.append(HELD)
            elif task.depends_on:
                statuses.append(WAITING)
            else:
                statuses.append(PENDING)
        counts = dict.fromkeys(TASK_STATES, 0)
        for status in statuses:
            counts[status] += 1
        upload = None
        if absent:  # local_upload is off: an upload daemon owes the farm these files
            now = time.time()
            upload = {
                "id": uuid.uuid4().hex,
                "project": spec.project,
                "location": spec.location,
                "files": dumps({refs[i].destination: refs[i].md5 for i in absent}),
                "status": "pending",
                "created_at": now,
                "updated_at": now,
            }
        env = task_env.merge(self.base_env, spec.environment, spec.env_policies)
        row = {
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
            "status": SYNC_PENDING if upload else job_status(counts),
            "revision": 1,
            "created_at": time.time(),
        }
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
        self.flush()  # earlier changes first: the record stays in order
        job_id = self.db.insert_job(row, task_rows, files, upload)
        job = self._new_job(job_id, spec, env, statuses, scouts, upload)
        self._activate(job, new=True)
        return job_id

    @staticmethod
    def _scout_flags(spec: JobSpec) -> List[bool]:
        scout_set = parse_frames(spec.scout_frames, "scout_frames")
        if scout_set is None:
            return [False] * len(spec.tasks)
        return [
            intersects(parse_frames(t.frames, "tasks_data[{}].frames".format(i)), scout_set)
            for i, t in enumerate(spec.tasks)
        ]

    def _new_job(
        self,
        job_id: int,
        spec: JobSpec,
        env: Dict[str, str],
        statuses: List[str],
        scouts: List[bool],
        upload: Optional[Dict[str, Any]],
    ) -> JobState:
        """The in-memory job of a submission just stored (what ``_load`` would read back)."""
        job = JobState(job_id)
        job.priority = spec.priority
        job.revision = 1
        job.output_path = spec.output_path
        job.env = env
        job.retry_failed = spec.retry.failed
        job.retry_preempted = spec.retry.preempted
        job.release_on_scout_success = spec.release_on_scout_success
        job.log_dir = self.paths.job_log_dir(job.jid)
        job.work_dir = self.paths.job_work_dir(job.jid)
        job.uploads = [(ref.md5 or "", ref.destination) for ref in spec.uploads]
        job.prepared = not job.uploads
        if upload is not None:
            job.sync_state = SYNC_PENDING
            job.upload_id = upload["id"]
        tasks = job.tasks
        for index, (task_spec, status, scout) in enumerate(zip(spec.tasks, statuses, scouts)):
            task = TaskState(job, index)
            task.status = status
            task.scout = scout
            task.frames = task_spec.frames
            task.commands = task_spec.commands
            task.depends_on = task_spec.depends_on
            task.remaining = len(task_spec.depends_on)
            tasks.append(task)
            job.counts[status] += 1
        for task in tasks:
            for dep in task.depends_on:
                tasks[dep].dependents.append(task.index)
        job.status = job.sync_state or job_status(job.counts)
        self.jobs[job_id] = job
        return job

    def _load(self, job_id: int) -> JobState:
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
        job.log_dir = self.paths.job_log_dir(job.jid)
        job.work_dir = self.paths.job_work_dir(job.jid)
        job.uploads = [(r["md5"], r["destination"]) for r in self.db.job_files(job_id)]
        job.prepared = not job.uploads
        upload = self.db.job_upload(job_id)
        if upload is not None:
            job.upload_id = upload["id"]
            if upload["status"] in ("pending", "uploading"):
                job.sync_state = SYNC_PENDING
            elif upload["status"] == "failed":
                job.sync_state = SYNC_FAILED
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
        for task in job.tasks:
            for dep in task.depends_on:
                job.tasks[dep].dependents.append(task.index)
            task.remaining = sum(1 for d in task.depends_on if job.tasks[d].status != SUCCESS)
        if job.output_path:
            for out in self.db.outputs(job_id):
                job.known_outputs[out["path"]] = (out["size"], out["mtime_ns"])
            ended = [a for a in self.db.attempts(job_id) if a["completed_at"] is not None]
            for attempt in sorted(ended, key=lambda a: a["completed_at"]):
                job.runs.add(
                    _window(attempt["idx"], attempt["started_at"], attempt["completed_at"])
                )
        self.jobs[job_id] = job
        return job

    def _frame_owners(self, job: JobState) -> Optional[Dict[int, Tuple[int, ...]]]:
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

    def _activate(self, job: JobState, new: bool = False) -> None:
        """Queue the job's pending tasks, once its uploaded files are in place (and, for a
        new job, once the files already in its output folder are known: nobody's output)."""
        if new and job.output_path:
            listing = self.loop.run_in_executor(
                self.threads, outputs_scan.baseline, job.output_path
            )

            def listed(done: "asyncio.Future[Dict[str, Tuple[int, int]]]") -> None:
                if done.exception() is None:
                    job.known_outputs.update(done.result())
                self._activate(job)

            listing.add_done_callback(listed)
            return
        if job.sync_state is not None:
            return  # the upload daemon has not delivered the files yet
        if not job.prepared:
            if job.preparing:
                return
            job.preparing = True
            future = self.loop.run_in_executor(self.threads, self._prepare_inputs, job)

            def prepared(done: "asyncio.Future[None]") -> None:
                error = done.exception()
                if error is not None:
                    log.error("job %s: preparing its files failed: %s", job.jid, error)
                job.preparing = False
                job.prepared = True
                self._activate(job)

            future.add_done_callback(prepared)
            return
        for task in job.tasks:
            if task.status == PENDING:
                self._push(task)
        self._schedule_dispatch()

    def _prepare_inputs(self, job: JobState) -> None:
        """Link the job's uploads under ``inputs/<jid>``; restore missing destinations."""
        root = self.paths.job_inputs_dir(job.jid)
        for md5, destination in job.uploads:
            target = os.path.join(root, destination.lstrip("/"))
            if not os.path.exists(target):
                self.store.link_or_copy(md5, target, allow_link=True)
            if os.path.isabs(destination) and not os.path.lexists(destination):
                try:
                    self.store.link_or_copy(md5, destination, allow_link=False)
                except OSError as error:
                    log.warning("job %s: cannot restore %s: %s", job.jid, destination, error)

    def recover(self) -> Dict[str, int]:
        """Pick up the record after a stop or a crash: requeue what was running."""
        requeued = failed = killed_groups = 0
        now = time.time()
        self._op(
            "UPDATE uploads SET status='pending', updated_at=? WHERE status='uploading'", (now,)
        )
        self.flush()  # an upload a daemon was sending when the farm stopped is owed again
        for job_id in self.db.active_job_ids(FINISHED_JOB_STATES):
            job = self._load(job_id)
            for task in job.tasks:
                if task.status != RUNNING:
                    continue
                for attempt in self.db.running_attempts(job_id):
                    if attempt["idx"] != task.index:
                        continue
                    token = self._run_token(job, task, attempt["attempt"])
                    if attempt["pid"] and kill_orphaned_group(attempt["pid"], token):
                        killed_groups += 1
                    self._op(
                        "UPDATE attempts SET outcome=?, completed_at=? "
                        "WHERE job_id=? AND idx=? AND attempt=?",
                        (PREEMPTED, now, job_id, task.index, attempt["attempt"]),
                    )
                    if job.output_path:
                        job.runs.add(_window(task.index, attempt["started_at"], now))
                if self._preempted(task, now):
                    requeued += 1
                else:
                    failed += 1
            self._touch_job(job)
            self._activate(job)
        self.flush()
        return {"requeued": requeued, "failed": failed, "killed_orphans": killed_groups}

    def _touch_job(self, job: JobState) -> None:
        if job not in self._dirty_jobs:
            self._dirty_jobs.add(job)
            job.revision += 1
        self._schedule_flush()

    # =====================================================================================
    # scheduling and running
    # =====================================================================================

    def _push(self, task: TaskState) -> None:
        task.token += 1
        heapq.heappush(self.queue, (-task.job.priority, task.job.id, task.index, task.token))

    def _schedule_dispatch(self) -> None:
        if self._dispatch_handle is None and not self.closing:
            self._dispatch_handle = self.loop.call_soon(self._dispatch)

    def _dispatch(self) -> None:
        self._dispatch_handle = None
        queue = self.queue
        while self.free > 0 and queue and not self.closing:
            _, job_id, index, token = heapq.heappop(queue)
            job = self.jobs.get(job_id)
            if job is None:
                continue
            task = job.tasks[index]
            if task.status != PENDING or task.token != token:
                continue
            self._start(task)

    def _run_token(self, job: JobState, task: TaskState, attempt: int) -> str:
        return "{}/{}/{}/{}".format(self.token_prefix, job.jid, task.index, attempt)

    def _start(self, task: TaskState) -> None:
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
        env["FARMHAND_RUN"] = self._run_token(job, task, attempt)
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
        self.executor.start(run)
        task.run = run
        self.running[run.key] = run
        self.free -= 1
        task.started_at = run.started_at
        task.completed_at = None
        task.exit_code = None
        if job.started_at is None:
            job.started_at = run.started_at
        self._set_status(task, RUNNING)
        self._op(
            "INSERT INTO attempts(job_id, idx, attempt, outcome, pid, host, log_path, started_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (job.id, task.index, attempt, RUNNING, run.pid, self.host, log_path, run.started_at),
        )

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
        self._op(
            "UPDATE attempts SET outcome=?, exit_code=?, completed_at=? "
            "WHERE job_id=? AND idx=? AND attempt=?",
            (outcome, code, end, job.id, task.index, task.attempts),
        )
        if job.output_path and not self.closing:
            job.runs.add(_window(task.index, run.started_at, end))
            job.finishing.append((task, outcome, code, end))
            self._request_scan(job)
        else:
            self._finalize(task, outcome, code, end)
        self._schedule_dispatch()

    def _finalize(self, task: TaskState, outcome: str, code: Optional[int], end: float) -> None:
        job = task.job
        task.exit_code = code
        task.completed_at = end
        if outcome == SUCCESS:
            self._set_status(task, SUCCESS)
            for index in task.dependents:
                child = job.tasks[index]
                child.remaining -= 1
                if child.remaining == 0 and child.status == WAITING:
                    self._set_status(child, PENDING)
                    self._push(child)
            if (
                task.scout
                and job.release_on_scout_success
                and all(t.status == SUCCESS for t in job.tasks if t.scout)
            ):
                self._release(job)
        elif outcome == FAILED:
            task.failed_count += 1
            if task.failed_count <= job.retry_failed:
                self._requeue(task)
            else:
                self._set_status(task, FAILED)
        elif outcome == KILLED:
            self._set_status(task, KILLED)
        else:
            self._preempted(task, end)

    def _preempted(self, task: TaskState, end: float) -> bool:
        """Count a preemption; requeue within the policy (True) or fail the task."""
        task.preempted_count += 1
        task.completed_at = end
        if task.preempted_count <= task.job.retry_preempted:
            self._requeue(task, push=not self.closing)
            return True
        self._set_status(task, FAILED)
        return False

    def _requeue(self, task: TaskState, push: bool = True) -> None:
        if task.remaining > 0:
            self._set_status(task, WAITING)
            return
        self._set_status(task, PENDING)
        if not push:
            return
        if task.job.prepared:
            self._push(task)
            self._schedule_dispatch()
        else:
            self._activate(task.job)  # queues every pending task once the files are ready

    # -- outputs ----------------------------------------------------------------------------

    def _request_scan(self, job: JobState) -> None:
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
                running.append(_window(task.index, run.started_at, None))
        # ``known`` and ``runs`` are shared with the scan thread: only this job's scan-done
        # callback changes ``known``, and ``runs`` is append-only (the scan sees ``count``).
        request = outputs_scan.ScanInput(
            root=job.output_path,
            known=job.known_outputs,
            runs=job.runs,
            count=len(job.runs.windows),
            running=running,
            finishing={t.index for t, _, _, _ in finishing},
            owners=self._frame_owners(job),
            now_ns=time.time_ns(),
        )
        future: "asyncio.Future[Any]" = self.loop.run_in_executor(
            self.threads, outputs_scan.scan, request
        )

        def scanned(done: "asyncio.Future[Any]") -> None:
            self._scans.discard(done)
            job.scan_running = False
            error = done.exception()
            if error is None:
                found, settled = done.result()
                job.known_outputs.update(settled)
                for item in found:
                    self._op(
                        "INSERT OR REPLACE INTO outputs(job_id, path, idx, size, mtime_ns, md5) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (job.id, item.path, item.index, item.size, item.mtime_ns, item.md5),
                    )
            else:
                log.error("job %s: scanning %s failed: %s", job.jid, job.output_path, error)
            for task, outcome, code, end in finishing:
                self._finalize(task, outcome, code, end)
            self._touch_job(job)
            if job.scan_again or job.finishing:
                self._request_scan(job)

        self._scans.add(future)
        future.add_done_callback(scanned)

    # =====================================================================================
    # actions
    # =====================================================================================

    def job(self, job_id: int) -> JobState:
        return self._load(job_id)

    def task(self, job_id: int, index: int) -> TaskState:
        job = self._load(job_id)
        if not 0 <= index < len(job.tasks):
            raise NotFoundError(
                "job {} has no task {} (it has tasks 000 to {})".format(
                    job.jid, task_id_text(index), task_id_text(len(job.tasks) - 1)
                )
            )
        return job.tasks[index]

    def kill_job(self, job_id: int) -> int:
        job = self._load(job_id)
        if job.sync_state is not None:
            self._op(
                "UPDATE uploads SET status='cancelled', updated_at=? WHERE id=?",
                (time.time(), job.upload_id),
            )
            job.sync_state = None
        count = 0
        for task in job.tasks:
            count += self._kill(task)
        self._touch_job(job)
        return count

    def kill_task(self, job_id: int, index: int) -> int:
        task = self.task(job_id, index)
        if task.status in FINISHED:
            raise ConflictError(
                "task {}:{} already ended ({}); nothing to kill".format(
                    task.job.jid, task_id_text(index), task.status
                )
            )
        return self._kill(task)

    def _kill(self, task: TaskState) -> int:
        if task.status in (HELD, WAITING, PENDING):
            task.completed_at = time.time()
            self._set_status(task, KILLED)
            return 1
        if task.status == RUNNING and task.run is not None:
            self.executor.kill(task.run)
            return 1
        return 0

    def retry_job(self, job_id: int) -> int:
        job = self._load(job_id)
        if job.sync_state == SYNC_FAILED:  # give the failed upload to the daemon again
            self._op(
                "UPDATE uploads SET status='pending', error='', updated_at=? WHERE id=?",
                (time.time(), job.upload_id),
            )
            job.sync_state = SYNC_PENDING
            self._touch_job(job)
            return 0
        tasks = [t for t in job.tasks if t.status in (FAILED, KILLED)]
        if not tasks:
            raise ConflictError(
                "job {} has no failed or killed tasks to retry (its status is {})".format(
                    job.jid, job_status(job.counts)
                )
            )
        for task in tasks:
            self._retry(task)
        return len(tasks)

    def retry_task(self, job_id: int, index: int) -> int:
        task = self.task(job_id, index)
        if task.status not in (FAILED, KILLED):
            raise ConflictError(
                "task {}:{} is {}; only failed or killed tasks can be retried".format(
                    task.job.jid, task_id_text(index), task.status
                )
            )
        self._retry(task)
        return 1

    def _retry(self, task: TaskState) -> None:
        task.failed_count = 0
        task.preempted_count = 0
        task.exit_code = None
        task.completed_at = None
        task.job.completed_at = None
        self._requeue(task)

    def release_job(self, job_id: int) -> int:
        return self._release(self._load(job_id))

    def _release(self, job: JobState) -> int:
        count = 0
        for task in job.tasks:
            if task.status == HELD:
                self._requeue(task)
                count += 1
        self._touch_job(job)
        return count

    # -- the upload daemon ------------------------------------------------------------------

    def next_upload(self, location: str) -> Any:
        """The oldest upload a daemon at ``location`` may send, marked as being sent."""
        self.flush()
        row = self.db.next_upload(location)
        if row is not None:
            self._op(
                "UPDATE uploads SET status='uploading', updated_at=? WHERE id=?",
                (time.time(), row["id"]),
            )
            self.flush()
        return row

    def _upload_row(self, upload_id: str) -> Any:
        self.flush()
        row = self.db.upload(upload_id)
        if row is None:
            raise NotFoundError("no upload {!r}".format(upload_id))
        return row

    def upload_progress(self, upload_id: str, transfer_size: int, transferred: int) -> None:
        self._upload_row(upload_id)
        self._op(
            "UPDATE uploads SET transfer_size=?, bytes_transferred=?, updated_at=? WHERE id=?",
            (transfer_size, transferred, time.time(), upload_id),
        )

    def finish_upload(self, upload_id: str, md5s: Dict[str, str]) -> None:
        """The daemon sent every file: check them against the store, then start the job."""
        row = self._upload_row(upload_id)
        if row["status"] not in ("pending", "uploading"):
            raise ConflictError(
                "upload {} is {}; it cannot finish".format(upload_id, row["status"])
            )
        owed = json.loads(row["files"])
        ops: List[Op] = []
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
        ops.append(
            (
                "UPDATE uploads SET status='finished', updated_at=? WHERE id=?",
                (time.time(), upload_id),
            )
        )
        for sql, params in ops:
            self._op(sql, params)
        self.flush()
        job = self._load(row["job_id"])
        job.sync_state = None
        job.uploads = [(r["md5"], r["destination"]) for r in self.db.job_files(job.id)]
        job.prepared = not job.uploads
        self._touch_job(job)
        self._activate(job)

    def fail_upload(self, upload_id: str, message: str) -> None:
        row = self._upload_row(upload_id)
        self._op(
            "UPDATE uploads SET status='failed', error=?, updated_at=? WHERE id=?",
            (message[:10000], time.time(), upload_id),
        )
        job = self._load(row["job_id"])
        if job.sync_state is not None:
            job.sync_state = SYNC_FAILED
            self._touch_job(job)

    # =====================================================================================
    # reading
    # =====================================================================================

    async def wait_for_change(self, job_id: int, revision: int, timeout: float) -> None:
        job = self.jobs.get(job_id)
        if job is None or job.revision != revision or timeout <= 0:
            return
        future: "asyncio.Future[None]" = self.loop.create_future()
        self._waiters.setdefault(job_id, []).append(future)
        try:
            await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            pass

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
            raise NotFoundError(
                "job {} has no task {} (it has tasks 000 to {})".format(
                    job_id_text(job_id), task_id_text(index), task_id_text(count - 1)
                )
            )
        return self.db.task(job_id, index)

    def status_counts(self) -> Tuple[Dict[str, int], Dict[str, int]]:
        self.flush()
        return self.db.status_counts()

    # =====================================================================================
    # stopping
    # =====================================================================================

    async def shutdown(self, grace: float = 2.0) -> None:
        """Stop cleanly: running tasks are stopped and recorded as preempted (requeued)."""
        self.closing = True
        self._idle = asyncio.Event()
        runs = list(self.running.values())
        for run in runs:
            self.executor.kill(run, grace=grace, preempt=True)
        if self.running:
            try:
                await asyncio.wait_for(self._idle.wait(), grace + 5.0)
            except asyncio.TimeoutError:
                log.error("%d task(s) did not stop in time", len(self.running))
        if self._scans:  # scans in flight finish their tasks' records
            await asyncio.wait(list(self._scans), timeout=10.0)
            await asyncio.sleep(0)  # let their done-callbacks run
        self.flush()
        self.threads.shutdown(wait=False)
        self.executor.close()
        self.db.close()
