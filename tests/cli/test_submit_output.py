"""The submit/jobs commands' text: the live status lines and the tables (no farm needed)."""

import io

from farmhand.cli.jobs import jobs_table, table, tasks_table
from farmhand.cli.progress_line import StatusLine, TransferProgress, duration, job_line
from farmhand.core.connectors import JobInfo, TaskInfo
from farmhand.core.transfer import ProgressEvent


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_duration():
    assert duration(None) == "?"
    assert duration(0) == "0:00"
    assert duration(75.4) == "1:15"
    assert duration(3725) == "1:02:05"


def test_job_line_counts_and_eta():
    job = JobInfo(
        "00007",
        "t",
        "running",
        counts={"success": 2, "running": 2, "pending": 3, "held": 2, "failed": 1},
        task_count=10,
    )
    assert job_line(job, 30.0) == (
        "job 00007: 2/10 done, 2 running, 3 queued, 2 held, 1 failed, elapsed 0:30, ETA 1:10"
    )
    fresh = JobInfo("00008", "t", "pending", counts={"pending": 4}, task_count=4)
    assert job_line(fresh, 1.0).endswith("elapsed 0:01, ETA ?")
    finished = JobInfo("00009", "t", "success", counts={"success": 4}, task_count=4)
    assert job_line(finished, 61.0) == (
        "job 00009: 4/4 done, 0 running, 0 held, 0 failed, elapsed 1:01, ETA 0:00"
    )


def test_status_line_redraws_in_place_on_a_terminal():
    stream = Tty()
    line = StatusLine(stream)
    line.show("uploading: 1/2 files")
    line.show("up")
    line.done()
    assert stream.getvalue() == "\ruploading: 1/2 files\rup                  \n"


def test_status_line_prints_sparse_lines_in_logs():
    stream = io.StringIO()
    line = StatusLine(stream, every=3600)
    line.show("a", important=True)
    line.show("b")  # not due, not important: skipped
    line.show("c", important=True)
    line.show("c", important=True)  # unchanged: skipped
    line.done()
    assert stream.getvalue() == "a\nc\n"


def test_transfer_progress_text():
    stream = io.StringIO()
    progress = TransferProgress(StatusLine(stream, every=3600))
    progress(ProgressEvent("hashing", 0, 2048, 0, 2, elapsed=0.0))
    progress(ProgressEvent("hashing", 2048, 2048, 2, 2, elapsed=1.0, message="2 files hashed"))
    progress(ProgressEvent("submitting", message="creating the job"))
    assert stream.getvalue().splitlines() == [
        "hashing: 0/2 files, 0 B of 2.0 KiB, 0 B/s",
        "hashing: 2/2 files, 2.0 KiB of 2.0 KiB, 2.0 KiB/s",
        "submitting: creating the job",
    ]


def test_table_alignment():
    assert table([["1", "long value", "x y z"]], ["A", "B", "LAST"]) == (
        "A  B           LAST\n1  long value  x y z\n"
    )


def test_jobs_and_tasks_tables():
    job = JobInfo("00007", "My job", "running", counts={"success": 1, "running": 1}, task_count=2)
    text = jobs_table([job])
    assert text.splitlines()[0].split() == [
        "JOB",
        "STATE",
        "DONE",
        "RUNNING",
        "HELD",
        "FAILED",
        "SUBMITTED",
        "TITLE",
    ]
    assert text.splitlines()[1].split()[:6] == ["00007", "running", "1/2", "1", "0", "0"]
    assert text.rstrip().endswith("My job")
    tasks = [
        TaskInfo(
            "00007",
            "000",
            "success",
            frames="1",
            attempts=1,
            duration=2.0,
            outputs=["/out/f1.png"],
            scout=True,
        ),
        TaskInfo("00007", "001", "held", frames="2-3"),
    ]
    lines = tasks_table(tasks).splitlines()
    assert lines[0].split() == [
        "TASK",
        "STATE",
        "ATTEMPTS",
        "DURATION",
        "FRAMES",
        "FILES",
        "WRITTEN",
    ]
    assert lines[1].split() == ["000", "success", "(scout)", "1", "0:02", "1", "/out/f1.png"]
    assert lines[2].split() == ["001", "held", "0", "-", "2-3", "-"]
