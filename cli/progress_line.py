"""One live status line on stderr for ``farmhand submit`` (uploads) and ``--wait`` (tasks).

On a terminal the line is redrawn in place; otherwise (CI logs, pipes) a line is printed on
each phase change and at most every few seconds, so logs stay readable. stdout is never
touched: it carries only the job id.
"""

import sys
import time
from typing import IO, Optional

from farmhand.core.connectors import JobInfo
from farmhand.core.transfer import ProgressEvent, eta_text
from farmhand.core.units import human_bytes


def duration(seconds: Optional[float]) -> str:
    if seconds is None:
        return "?"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return (
        "{}:{:02d}:{:02d}".format(hours, minutes, secs)
        if hours
        else "{}:{:02d}".format(minutes, secs)
    )


class StatusLine(object):
    def __init__(self, stream: Optional[IO[str]] = None, every: float = 5.0) -> None:
        self.stream = stream or sys.stderr
        self.live = bool(getattr(self.stream, "isatty", lambda: False)())
        self.every = every
        self._last_text = ""
        self._last_print = 0.0
        self._width = 0

    def show(self, text: str, important: bool = False) -> None:
        if self.live:
            pad = max(0, self._width - len(text))
            self.stream.write("\r" + text + " " * pad)
            self.stream.flush()
            self._width = len(text)
        else:
            now = time.monotonic()
            due = important or now - self._last_print >= self.every
            if due and text != self._last_text:
                self.stream.write(text + "\n")
                self.stream.flush()
                self._last_print = now
        self._last_text = text

    def done(self) -> None:
        """End the live line so the next output starts on a fresh line."""
        if self.live and self._width:
            self.stream.write("\n")
            self.stream.flush()
            self._width = 0


class TransferProgress(object):
    """A ``progress=`` callback for ``Connector.submit``."""

    def __init__(self, line: StatusLine) -> None:
        self.line = line
        self._phase = ""

    def __call__(self, event: ProgressEvent) -> None:
        phase_changed = event.phase != self._phase
        if phase_changed and self._phase:
            self.line.done()
        self._phase = event.phase
        if event.files_total or event.bytes_total:
            text = "{}: {}/{} files, {} of {}, {}/s{}".format(
                event.phase,
                event.files_done,
                event.files_total,
                human_bytes(event.bytes_done),
                human_bytes(event.bytes_total),
                human_bytes(event.rate),
                eta_text(event.eta, ", "),
            )
        else:
            text = "{}: {}".format(event.phase, event.message) if event.message else event.phase
        final = bool(event.message) or event.phase in ("submitting", "done")
        self.line.show(text, important=phase_changed or final)


def job_line(job: JobInfo, elapsed: float) -> str:
    """``job 00007: 3/10 done, 2 running, 5 held, 0 failed, elapsed 0:12, ETA 0:30``."""
    if job.upload_only:
        return "job {}: upload only, {}, elapsed {}".format(
            job.job_id, job.status, duration(elapsed)
        )
    counts = job.counts
    done = counts.get("success", 0)
    finished = done + counts.get("failed", 0) + counts.get("killed", 0)
    remaining = job.task_count - finished
    eta = None
    if finished and remaining > 0:
        eta = elapsed / finished * remaining
    elif remaining <= 0:
        eta = 0.0
    parts = [
        "{}/{} done".format(done, job.task_count),
        "{} running".format(counts.get("running", 0)),
        "{} held".format(counts.get("held", 0)),
        "{} failed".format(counts.get("failed", 0)),
    ]
    waiting = counts.get("pending", 0) + counts.get("waiting", 0)
    if waiting:
        parts.insert(2, "{} queued".format(waiting))
    if counts.get("killed", 0):
        parts.append("{} killed".format(counts["killed"]))
    return "job {}: {}, elapsed {}, ETA {}".format(
        job.job_id, ", ".join(parts), duration(elapsed), duration(eta)
    )
