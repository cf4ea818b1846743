"""Hash many files in parallel, reusing the persistent md5 cache.

Cache hits cost one SQLite lookup per batch of files; only files whose size, mtime or inode
changed are read. Reads use big buffers on a few threads (hashlib releases the GIL), and the
cache is updated as results arrive, so a cancelled run keeps the work it finished.
"""

import errno
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Dict, List, Optional, Sequence, Set, Tuple

from farmhand.core.errors import CancelledError, InputError
from farmhand.core.transfer.files import LocalFile
from farmhand.core.transfer.md5 import file_md5
from farmhand.core.transfer.md5_cache import Md5Cache
from farmhand.core.transfer.progress import ProgressCallback, ProgressTracker

# Flush new md5s to the cache at least this often while a long hashing run goes on.
_FLUSH_SECONDS = 2.0
# Small files are hashed in groups of up to this many files / bytes per thread-pool task.
_BATCH_FILES = 256
_BATCH_BYTES = 16 * 1024 * 1024


def default_workers() -> int:
    return max(2, min(8, os.cpu_count() or 2))


class HashReport(object):
    """The md5 of every file and what it cost."""

    __slots__ = ("md5s", "hashed_files", "hashed_bytes", "cached_files", "seconds")

    def __init__(self) -> None:
        self.md5s: Dict[str, str] = {}
        self.hashed_files = 0
        self.hashed_bytes = 0
        self.cached_files = 0
        self.seconds = 0.0


def hash_files(
    files: Sequence[LocalFile],
    cache: Optional[Md5Cache] = None,
    progress: Optional[ProgressCallback] = None,
    cancel: Optional[threading.Event] = None,
    workers: Optional[int] = None,
) -> HashReport:
    """``HashReport`` with ``md5s[path]`` for every file; raises ``CancelledError`` on cancel.

    A file that changes while it is read is an ``InputError``: its bytes and its md5 would not
    agree by the time it is uploaded.
    """
    started = time.monotonic()
    report = HashReport()
    cached = cache.lookup(files) if cache is not None else {}
    todo: List[LocalFile] = []
    cached_bytes = 0
    for local in files:
        md5 = cached.get(local.path)
        if md5 is None:
            todo.append(local)
        else:
            report.md5s[local.path] = md5
            report.cached_files += 1
            cached_bytes += local.size
    tracker = ProgressTracker(progress, "hashing", sum(f.size for f in files), len(files))
    tracker.start()
    if report.cached_files:
        tracker.files_skipped(report.cached_files, cached_bytes)
    if todo:
        _hash_parallel(todo, cache, tracker, cancel, workers or default_workers(), report)
    report.seconds = time.monotonic() - started
    tracker.finish(
        "{} files hashed, {} from the cache".format(report.hashed_files, report.cached_files)
    )
    return report


def _hash_one(
    local: LocalFile,
    tracker: ProgressTracker,
    cancel: Optional[threading.Event],
    stop: threading.Event,
) -> Tuple[LocalFile, str]:
    def on_bytes(count: int) -> None:
        if stop.is_set():  # another file failed: no point finishing this one
            raise CancelledError("hashing stopped")
        tracker.advance(local.path, count, local.size)

    try:
        md5 = file_md5(local.path, cancel=cancel, on_bytes=on_bytes)
    except OSError as error:
        raise unreadable(local.path, error) from None
    if local.changed():
        raise InputError(
            "{} changed while it was being hashed; save it and submit again".format(local.path),
            field="upload_paths",
        )
    return local, md5


def unreadable(path: str, error: OSError) -> InputError:
    """A file that was listed but cannot be read: say why, in the user's terms."""
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        why = "it was deleted after the dependency scan"
    elif error.errno in (errno.EACCES, errno.EPERM):
        why = "permission denied; make it readable for this user"
    else:
        why = error.strerror or str(error)
    return InputError("cannot read {}: {}".format(path, why), field="upload_paths")


def _hash_batch(
    batch: List[LocalFile],
    tracker: ProgressTracker,
    cancel: Optional[threading.Event],
    stop: threading.Event,
) -> List[Tuple[LocalFile, str]]:
    return [_hash_one(local, tracker, cancel, stop) for local in batch]


def _batches(queue: List[LocalFile]) -> List[List[LocalFile]]:
    """Big files alone, small ones grouped: one thread-pool task per file would cost more
    than hashing a small file (thousands of textures or cache frames are common)."""
    batches: List[List[LocalFile]] = []
    current: List[LocalFile] = []
    size = 0
    for local in queue:
        if current and (size + local.size > _BATCH_BYTES or len(current) >= _BATCH_FILES):
            batches.append(current)
            current, size = [], 0
        current.append(local)
        size += local.size
    if current:
        batches.append(current)
    return batches


def _hash_parallel(
    todo: List[LocalFile],
    cache: Optional[Md5Cache],
    tracker: ProgressTracker,
    cancel: Optional[threading.Event],
    workers: int,
    report: HashReport,
) -> None:
    # Largest first: the long files start early and the small ones fill the gaps.
    batches = _batches(sorted(todo, key=lambda f: -f.size))
    pending_cache: List[Tuple[LocalFile, str]] = []
    last_flush = time.monotonic()
    executor = ThreadPoolExecutor(max_workers=min(workers, len(batches)))
    running: "Set[Future[List[Tuple[LocalFile, str]]]]" = set()
    stop = threading.Event()
    try:
        position = 0
        while position < len(batches) or running:
            # Keep a bounded number of batches in flight so cancel stops quickly.
            while position < len(batches) and len(running) < 2 * workers:
                running.add(executor.submit(_hash_batch, batches[position], tracker, cancel, stop))
                position += 1
            finished, running = wait(running, return_when=FIRST_COMPLETED)
            for future in finished:
                for local, md5 in future.result():
                    report.md5s[local.path] = md5
                    report.hashed_files += 1
                    report.hashed_bytes += local.size
                    pending_cache.append((local, md5))
                    tracker.file_done(local.path, local.size)
            if cancel is not None and cancel.is_set():
                raise CancelledError("hashing cancelled")
            if cache is not None and time.monotonic() - last_flush > _FLUSH_SECONDS:
                cache.store(pending_cache)
                pending_cache = []
                last_flush = time.monotonic()
    finally:
        stop.set()
        for future in running:
            future.cancel()
        executor.shutdown(wait=True)
        if cache is not None:
            cache.store(pending_cache)
