"""Progress of a submission: what a progress bar, a log line or a Qt signal needs.

Hashing and uploading run on worker threads; ``ProgressTracker`` sums their bytes and calls the
user's callback at most every ``interval`` seconds (plus once when a phase starts and once when
it ends), never from two threads at once. The callback runs on a worker thread: a Qt dialog
re-emits the event as a signal, it does not touch widgets there.
"""

import threading
import time
from typing import Callable, Dict, Optional

from farmhand.core.units import human_bytes

PHASES = ("hashing", "uploading", "submitting", "done")
# Seconds between two progress callbacks of one phase (phase start and end always report).
PROGRESS_INTERVAL = 0.1


class ProgressEvent(object):
    """One snapshot. ``path``/``file_bytes``/``file_size`` describe the file that just advanced
    (``None``/0 for phase-level events); the other counters are totals for the phase.
    ``bytes_skipped`` counts the part of ``bytes_done`` that needed no work (files found in
    the md5 cache, parts the farm held already): done at once, so ``rate`` and ``eta`` leave
    it out."""

    __slots__ = (
        "phase",
        "path",
        "file_bytes",
        "file_size",
        "bytes_done",
        "bytes_total",
        "files_done",
        "files_total",
        "elapsed",
        "message",
        "bytes_skipped",
    )

    def __init__(
        self,
        phase: str,
        bytes_done: int = 0,
        bytes_total: int = 0,
        files_done: int = 0,
        files_total: int = 0,
        elapsed: float = 0.0,
        path: Optional[str] = None,
        file_bytes: int = 0,
        file_size: int = 0,
        message: str = "",
        bytes_skipped: int = 0,
    ) -> None:
        self.phase = phase
        self.path = path
        self.file_bytes = file_bytes
        self.file_size = file_size
        self.bytes_done = bytes_done
        self.bytes_total = bytes_total
        self.files_done = files_done
        self.files_total = files_total
        self.elapsed = elapsed
        self.message = message
        self.bytes_skipped = bytes_skipped

    @property
    def rate(self) -> float:
        """Bytes per second of real work (hashed or sent) over the phase so far."""
        worked = self.bytes_done - self.bytes_skipped
        return worked / self.elapsed if self.elapsed > 0 and worked > 0 else 0.0

    @property
    def eta(self) -> Optional[float]:
        """Seconds the phase still needs at its rate so far; None while it cannot be told."""
        left = self.bytes_total - self.bytes_done
        if left <= 0:
            return 0.0 if self.bytes_total else None
        rate = self.rate
        return left / rate if rate > 0 else None

    @property
    def fraction(self) -> float:
        if self.bytes_total:
            return min(1.0, self.bytes_done / float(self.bytes_total))
        if self.files_total:
            return min(1.0, self.files_done / float(self.files_total))
        return 1.0 if self.phase == "done" else 0.0

    def __str__(self) -> str:
        if not (self.files_total or self.bytes_total):
            return "{}: {}".format(self.phase, self.message) if self.message else self.phase
        text = "{}: {}/{} files, {} of {} ({}/s{})".format(
            self.phase,
            self.files_done,
            self.files_total,
            human_bytes(self.bytes_done),
            human_bytes(self.bytes_total),
            human_bytes(self.rate),
            eta_text(self.eta, ", "),
        )
        return text + (" - " + self.message if self.message else "")

    def __repr__(self) -> str:
        return "ProgressEvent({})".format(
            ", ".join("{}={!r}".format(name, getattr(self, name)) for name in self.__slots__)
        )


ProgressCallback = Callable[[ProgressEvent], None]


def eta_text(eta: Optional[float], prefix: str = "") -> str:
    """``ETA 1:05`` (or ``ETA 0:03``); empty while the ETA is unknown or nothing is left."""
    if eta is None or eta <= 0:
        return ""
    seconds = int(eta + 0.5)
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    clock = (
        "{}:{:02d}:{:02d}".format(hours, minutes, seconds)
        if hours
        else "{}:{:02d}".format(minutes, seconds)
    )
    return "{}ETA {}".format(prefix, clock)


class ProgressTracker(object):
    """Counts one phase's bytes and files from any number of threads."""

    def __init__(
        self,
        callback: Optional[ProgressCallback],
        phase: str,
        bytes_total: int,
        files_total: int,
        interval: Optional[float] = None,
    ) -> None:
        self.callback = callback
        self.phase = phase
        self.bytes_total = bytes_total
        self.files_total = files_total
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.bytes_done = 0
        self.bytes_skipped = 0
        self.files_done = 0
        self.started = time.monotonic()
        self._file_bytes: Dict[str, int] = {}
        self._last_emit = 0.0
        self._lock = threading.Lock()  # counters
        self._emit_lock = threading.Lock()  # serialises the callback

    def start(self) -> None:
        self._emit(self._snapshot(None), force=True)

    def _due(self) -> bool:
        """Whether a callback wants an event now (events are only built when one does)."""
        return self.callback is not None and time.monotonic() - self._last_emit >= self.interval

    def advance(self, path: str, count: int, file_size: int) -> None:
        with self._lock:
            self.bytes_done += count
            done = self._file_bytes.get(path, 0) + count
            self._file_bytes[path] = done
            event = self._snapshot(path, done, file_size) if self._due() else None
        if event is not None:
            self._emit(event)

    def skip(self, path: str, count: int, file_size: int) -> None:
        """Bytes of a file that need no work (a part the farm holds already)."""
        with self._lock:
            self.bytes_skipped += count
        self.advance(path, count, file_size)

    def file_done(self, path: str, file_size: int, skipped_bytes: int = 0) -> None:
        """A file finished; ``skipped_bytes`` counts bytes that needed no work (cache hits)."""
        with self._lock:
            self.files_done += 1
            self.bytes_done += skipped_bytes
            self.bytes_skipped += skipped_bytes
            self._file_bytes.pop(path, None)
            event = self._snapshot(path, file_size, file_size) if self._due() else None
        if event is not None:
            self._emit(event)

    def files_skipped(self, count: int, size: int) -> None:
        """``count`` files of ``size`` bytes in all needed no work (md5 cache hits): one
        event for all of them, not one each."""
        with self._lock:
            self.files_done += count
            self.bytes_done += size
            self.bytes_skipped += size
            event = self._snapshot(None)
        self._emit(event, force=True)

    def finish(self, message: str = "") -> None:
        event = self._snapshot(None)
        event.message = message
        self._emit(event, force=True)

    def _snapshot(
        self, path: Optional[str], file_bytes: int = 0, file_size: int = 0
    ) -> ProgressEvent:
        return ProgressEvent(
            self.phase,
            bytes_done=self.bytes_done,
            bytes_total=self.bytes_total,
            files_done=self.files_done,
            files_total=self.files_total,
            elapsed=time.monotonic() - self.started,
            path=path,
            file_bytes=file_bytes,
            file_size=file_size,
            bytes_skipped=self.bytes_skipped,
        )

    def _emit(self, event: ProgressEvent, force: bool = False) -> None:
        if self.callback is None:
            return
        now = time.monotonic()
        if not force and now - self._last_emit < self.interval:
            return
        with self._emit_lock:
            self._last_emit = now
            self.callback(event)


def emit_phase(callback: Optional[ProgressCallback], phase: str, message: str) -> None:
    """A one-off event for phases without bytes (``submitting``, ``done``)."""
    if callback is not None:
        callback(ProgressEvent(phase, message=message))
