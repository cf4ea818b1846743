"""``farmhand submit JOBFILE``: upload what the job needs, create the job, print its id.

stdout gets exactly one line, the job id, so scripts can do ``JOB=$(farmhand submit job.json)``;
progress and summaries go to stderr. With ``--wait`` the command follows the job and exits 0
only when every task succeeded; otherwise it lists the tasks that did not, with their logs.
"""

import argparse
import sys
import time
from typing import Any, Optional

from farmhand.cli.arguments import add_farm_argument, add_jobfile_argument, open_connector
from farmhand.cli.progress_line import StatusLine, TransferProgress, duration, job_line
from farmhand.core.catalogue import Catalogue
from farmhand.core.connectors import Connector, JobInfo
from farmhand.core.units import human_bytes, plural


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "submit",
        help="submit a job file to a farm; prints the job id",
        description="Resolve the job file, upload the files it needs (only content the farm "
        "lacks), create the job and print its id on stdout.",
    )
    add_jobfile_argument(parser)
    parser.add_argument(
        "--wait",
        action="store_true",
        help="follow the job until it ends; exit 0 only if every task succeeded",
    )
    parser.add_argument(
        "--release-on-scout-success",
        action="store_true",
        help="release the tasks held behind the scout frames once every scout task succeeded",
    )
    add_farm_argument(parser)
    parser.set_defaults(run=run)


def build_submission(jobfile: str, catalogue: Optional[Catalogue], settings: Any = None) -> Any:
    """The job model's Submission for ``jobfile`` (its ``settings`` when already loaded);
    the first validation error stops here (``farmhand preview --info`` lists them all)."""
    from farmhand.core.job import build_job_file
    from farmhand.core.job import build_submission as build
    from farmhand.core.job.job_file import job_file_context

    if settings is None:
        return build_job_file(jobfile, catalogue).check()
    return build(settings, job_file_context(jobfile), catalogue).check()


def run(args: argparse.Namespace) -> int:
    from farmhand.core.job import load_job_file

    started = time.monotonic()
    line = StatusLine()
    settings = load_job_file(args.jobfile)
    with open_connector(args, settings.farm) as connector:
        submission = build_submission(args.jobfile, connector.catalogue(), settings)
        for message in connector.validate(submission):
            print("farmhand: {}: {}".format(message.level, message), file=sys.stderr)
        extra = {"release_on_scout_success": True} if args.release_on_scout_success else None
        try:
            result = connector.submit(submission, progress=TransferProgress(line), extra=extra)
        finally:
            line.done()
        print(
            "submitted job {} to the {}: {} files ({} hashed, {} uploaded, {})".format(
                result.job_id,
                connector.describe(),
                result.files,
                result.hashed_files,
                result.uploaded_files,
                human_bytes(result.uploaded_bytes),
            ),
            file=sys.stderr,
        )
        sys.stdout.write(result.job_id + "\n")
        sys.stdout.flush()
        if not args.wait:
            return 0
        return wait_for(connector, result.job_id, line, started)


def _idle_held(job: JobInfo) -> bool:
    """Only held tasks are left: nothing will happen until someone releases them."""
    busy = sum(job.counts.get(s, 0) for s in ("running", "pending", "waiting"))
    return busy == 0 and job.counts.get("held", 0) > 0


def wait_for(connector: Connector, job_id: str, line: StatusLine, started: float) -> int:
    job = None
    for job in connector.follow(job_id):
        stop = job.is_final or _idle_held(job)
        line.show(job_line(job, time.monotonic() - started), important=stop)
        if stop:
            break
    line.done()
    final = connector.status(job_id)
    if final.upload_only:
        print(
            "job {}: upload-only job {}, elapsed {}".format(
                job_id,
                "done: its files are on the farm" if final.succeeded else final.status,
                duration(time.monotonic() - started),
            ),
            file=sys.stderr,
        )
        return 0 if final.succeeded else 1
    if final.succeeded:
        print(
            "job {}: {} succeeded, elapsed {}".format(
                job_id,
                "all {:,} tasks".format(final.task_count) if final.task_count != 1 else "its task",
                duration(time.monotonic() - started),
            ),
            file=sys.stderr,
        )
        return 0
    unfinished = [t for t in final.tasks or [] if t.status != "success"]
    print(
        "job {}: {:,} of {} did not succeed:".format(
            job_id, len(unfinished), plural(final.task_count, "task")
        ),
        file=sys.stderr,
    )
    for task in unfinished:
        detail = task.status
        if task.exit_code is not None and task.status == "failed":
            detail += " (exit code {}, {})".format(task.exit_code, plural(task.attempts, "attempt"))
        print(
            "  task {} {}{}".format(task.task_id, detail, ": log " + task.log if task.log else ""),
            file=sys.stderr,
        )
    if _idle_held(final):
        print(
            "  held tasks wait for `farmhand release {}` (or submit with "
            "--release-on-scout-success)".format(job_id),
            file=sys.stderr,
        )
    return 1
