"""What a user can do to a job or a task: kill, retry, release.

Each action checks before it changes anything and raises ``ConflictError`` (409) when it
does not apply, so a multi-id request (``jobs_multi``) can skip the ids it does not apply
to and leave them exactly as they were. Every action returns how many tasks it touched.
"""

import time

from farmhand.farm.errors import ConflictError
from farmhand.farm.executor import Executor
from farmhand.farm.ids import no_such_task
from farmhand.farm.loaded_jobs import LoadedJobs
from farmhand.farm.model import (
    FAILED,
    FINISHED,
    HELD,
    KILLED,
    PENDING,
    RUNNING,
    WAITING,
    task_id_text,
)
from farmhand.farm.owed_uploads import OwedUploads
from farmhand.farm.record import Record
from farmhand.farm.scheduler import Scheduler
from farmhand.farm.state import TaskState, job_status


class JobActions:
    def __init__(
        self,
        record: Record,
        jobs: LoadedJobs,
        scheduler: Scheduler,
        executor: Executor,
        owed: OwedUploads,
    ) -> None:
        self.record = record
        self.jobs = jobs
        self.scheduler = scheduler
        self.executor = executor
        self.owed = owed

    def task(self, job_id: int, index: int) -> TaskState:
        job = self.jobs.load(job_id)
        if not 0 <= index < len(job.tasks):
            raise no_such_task(job.jid, index, len(job.tasks))
        return job.tasks[index]

    # -- kill -------------------------------------------------------------------------------

    def kill_job(self, job_id: int) -> int:
        job = self.jobs.load(job_id)
        self.owed.cancel(job)
        count = 0
        for task in job.tasks:
            count += self._kill(task)
        self.record.touch_job(job)
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
            self.record.set_status(task, KILLED)
            return 1
        if task.status == RUNNING and task.run is not None:
            self.executor.kill(task.run)  # its end is recorded when the process is gone
            return 1
        return 0

    # -- retry ------------------------------------------------------------------------------

    def retry_job(self, job_id: int) -> int:
        job = self.jobs.load(job_id)
        if self.owed.owe_again(job):
            return 0
        if not job.tasks:
            raise ConflictError(
                "job {} is an upload-only job ({}); it has no tasks to retry".format(
                    job.jid, job.status
                )
            )
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
        self.scheduler.requeue(task)

    # -- release ----------------------------------------------------------------------------

    def release_job(self, job_id: int) -> int:
        return self.scheduler.release(self.jobs.load(job_id))
