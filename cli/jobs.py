"""``farmhand jobs [JOB]``, ``logs JOB TASK``, ``kill JOB``, ``retry JOB [TASK]``,
``release JOB``: watch and steer jobs on the local farm or a Conductor-compatible service.

An unknown job or task id is bad input (exit 2, one line naming it), like every other CLI
error; tables go to stdout so they can be piped.
"""

import argparse
import sys
import time
from typing import List, Optional, Sequence

from farmhand.cli.arguments import add_farm_argument, open_connector
from farmhand.cli.progress_line import duration
from farmhand.core.connectors import JobInfo, TaskInfo
from farmhand.core.units import plural


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    jobs = subparsers.add_parser(
        "jobs",
        help="list jobs, or one job's tasks",
        description="Without JOB: every job with its state and task counts. With JOB: each "
        "task's state, attempts, duration and the files it wrote.",
    )
    jobs.add_argument("job", nargs="?", metavar="JOB", help="a job id (00042 or 42)")
    add_farm_argument(jobs)
    jobs.set_defaults(run=run_jobs)

    logs = subparsers.add_parser("logs", help="print a task's log (every attempt)")
    logs.add_argument("job", metavar="JOB")
    logs.add_argument("task", metavar="TASK", help="a task id (003 or 3)")
    add_farm_argument(logs)
    logs.set_defaults(run=run_logs)

    kill = subparsers.add_parser("kill", help="kill a job's running and waiting tasks")
    kill.add_argument("job", metavar="JOB")
    add_farm_argument(kill)
    kill.set_defaults(run=run_kill)

    retry = subparsers.add_parser(
        "retry", help="run a job's failed/killed tasks (or one task) again"
    )
    retry.add_argument("job", metavar="JOB")
    retry.add_argument("task", nargs="?", metavar="TASK")
    add_farm_argument(retry)
    retry.set_defaults(run=run_retry)

    release = subparsers.add_parser("release", help="release the tasks held behind the scouts")
    release.add_argument("job", metavar="JOB")
    add_farm_argument(release)
    release.set_defaults(run=run_release)


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    """Left-aligned columns; the last column is not padded (it may be long)."""
    widths = [len(h) for h in header]
    for row in rows:
        for index, cell in enumerate(row[:-1]):
            widths[index] = max(widths[index], len(cell))
    lines = []
    for row in [list(header)] + [list(r) for r in rows]:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _when(stamp: Optional[float]) -> str:
    if stamp is None:
        return "-"
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(stamp))


def jobs_table(jobs: List[JobInfo]) -> str:
    rows = []
    for job in jobs:
        counts = job.counts
        rows.append(
            [
                job.job_id,
                job.status,
                "{}/{}".format(counts.get("success", 0), job.task_count),
                str(counts.get("running", 0)),
                str(counts.get("held", 0)),
                str(counts.get("failed", 0)),
                _when(job.created_at),
                job.title,
            ]
        )
    return table(rows, ["JOB", "STATE", "DONE", "RUNNING", "HELD", "FAILED", "SUBMITTED", "TITLE"])


def tasks_table(tasks: List[TaskInfo]) -> str:
    rows = []
    for task in tasks:
        rows.append(
            [
                task.task_id,
                task.status + (" (scout)" if task.scout else ""),
                str(task.attempts),
                duration(task.duration) if task.duration is not None else "-",
                task.frames or "-",
                " ".join(task.outputs) if task.outputs else "-",
            ]
        )
    return table(rows, ["TASK", "STATE", "ATTEMPTS", "DURATION", "FRAMES", "FILES WRITTEN"])


def run_jobs(args: argparse.Namespace) -> int:
    with open_connector(args) as connector:
        if args.job is None:
            sys.stdout.write(jobs_table(connector.jobs()))
            return 0
        job = connector.status(args.job)
    sys.stdout.write(
        "job {} {}: {} ({} tasks)\n".format(job.job_id, job.title, job.status, job.task_count)
    )
    if job.output_path:
        sys.stdout.write("output: {}\n".format(job.output_path))
    sys.stdout.write(tasks_table(job.tasks or []))
    return 0


def run_logs(args: argparse.Namespace) -> int:
    with open_connector(args) as connector:
        text = connector.logs(args.job, args.task)
    sys.stdout.write(text)
    if not text:  # say so on stderr: an empty stdout alone looks like a broken command
        print("task {} of job {} has no log yet".format(args.task, args.job), file=sys.stderr)
    return 0


def _done(message: str) -> int:
    print(message, file=sys.stderr)
    return 0


def run_kill(args: argparse.Namespace) -> int:
    """Killing a job that already ended changes nothing; say so rather than 'killed'."""
    with open_connector(args) as connector:
        job = connector.status(args.job)
        if job.is_final:
            return _done("job {} already ended ({}); nothing to kill".format(args.job, job.status))
        connector.kill(args.job)
    return _done("killed job {}".format(args.job))


def run_retry(args: argparse.Namespace) -> int:
    with open_connector(args) as connector:
        connector.retry(args.job, args.task)
    what = (
        "task {} of job {}".format(args.task, args.job) if args.task else "job {}".format(args.job)
    )
    return _done("retrying {}".format(what))


def run_release(args: argparse.Namespace) -> int:
    with open_connector(args) as connector:
        held = connector.status(args.job).counts.get("held", 0)
        if not held:
            return _done("job {} has no held tasks; nothing to release".format(args.job))
        connector.release(args.job)
    return _done("released {} of job {}".format(plural(held, "held task"), args.job))
