"""Which files each task wrote into the job's ``output_path``.

Tasks write straight into ``output_path`` (the user's folder), several at a time, so the farm
works out afterwards who wrote what, from two pieces of evidence:

* the frame number in the file name: ``beauty.0042.exr`` belongs to the task rendering frame
  42, if that task's run covered the file's modification time; while that task has not run
  to its end yet, the file waits for a later scan (file times come from the kernel's coarse
  clock and can lag a few milliseconds, so time alone cannot tell back-to-back tasks apart);
* otherwise the time: the task whose run covered the modification time; if several did, the
  one that just ended takes it, and a file only a still-running task could have written
  waits.

A scan runs in a worker thread after each task ends and only reads the file system; the
service records the result. Finished runs are kept in one list in the order they ended, so a
scan looks only at the runs that ended after a file's time: cheap even for 100,000 tasks.
"""

import bisect
import os
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Mapping, Optional, Sequence, Set, Tuple

from farmhand.farm.store import file_md5

# File times come from the kernel's coarse clock (one tick, up to 10 ms, behind the precise
# clock the farm records starts and ends with): widen each run's window by a little more.
SLACK_NS = 15_000_000
DIGITS = re.compile(r"\d+")
# Frame numbers are mapped to their tasks for jobs of up to this many frames.
MAX_OWNED_FRAMES = 2_000_000


@dataclass(frozen=True)
class Window:
    """One attempt's run: task index, start and end (ns); ``end_ns`` is None while it runs."""

    index: int
    start_ns: int
    end_ns: Optional[int]

    def covers(self, mtime_ns: int, now_ns: int) -> bool:
        end = now_ns if self.end_ns is None else self.end_ns
        return self.start_ns - SLACK_NS <= mtime_ns <= end + SLACK_NS


class Runs:
    """The finished runs of a job in the order they ended (append-only), and which tasks
    have finished a run, with the position of their first: a scan given ``count`` sees the
    record as it was when the scan was asked for, while the loop keeps appending."""

    def __init__(self) -> None:
        self.windows: List[Window] = []
        self.ends: List[int] = []
        self.first: Dict[int, int] = {}

    def add(self, window: Window) -> None:
        assert window.end_ns is not None
        position = len(self.windows)
        self.windows.append(window)
        # A clock stepping back must not break the order bisect relies on.
        self.ends.append(max(window.end_ns, self.ends[-1] if self.ends else window.end_ns))
        self.first.setdefault(window.index, position)

    def covering(self, mtime_ns: int, count: int) -> List[Window]:
        start = bisect.bisect_left(self.ends, mtime_ns - SLACK_NS, 0, count)
        return [w for w in self.windows[start:count] if w.covers(mtime_ns, 0)]

    def finished_before(self, index: int, count: int) -> bool:
        return self.first.get(index, count) < count


@dataclass(frozen=True)
class Found:
    path: str
    index: int
    size: int
    mtime_ns: int
    md5: str


def frame_number(path: str) -> Optional[int]:
    name = os.path.basename(path)
    stem = name.split(".")
    # beauty.0042.exr -> 0042; frame_7.png -> 7; ignore digits of the extension (.mp4)
    text = ".".join(stem[:-1]) if len(stem) > 1 else name
    matches = list(DIGITS.finditer(text))
    if not matches:
        return None
    last = matches[-1]
    number = int(last.group(0))
    start = last.start()
    # A minus sign only counts after a separator: "frame.-005" is -5, "shot-0005" is 5.
    if start >= 1 and text[start - 1] == "-" and (start == 1 or text[start - 2] in "._"):
        number = -number
    return number


def frame_owners(frames_by_task: Sequence[Any]) -> Optional[Dict[int, Tuple[int, ...]]]:
    """frame -> indices of the tasks rendering it (tiles share frames); None when too big."""
    total = sum(len(f) for f in frames_by_task if f is not None)
    if total > MAX_OWNED_FRAMES:
        return None
    owners: Dict[int, Tuple[int, ...]] = {}
    for index, frames in enumerate(frames_by_task):
        for frame in frames or ():
            owners[frame] = owners.get(frame, ()) + (index,)
    return owners


def walk_files(root: str) -> Iterator[Tuple[str, int, int]]:
    stack = [root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    info = entry.stat(follow_symlinks=False)
                    yield entry.path, info.st_size, info.st_mtime_ns
            except OSError:
                continue


def baseline(root: str) -> Dict[str, Tuple[int, int]]:
    """The files already in ``root`` before a job starts: nobody's output."""
    if not root or not os.path.isdir(root):
        return {}
    return {path: (size, mtime_ns) for path, size, mtime_ns in walk_files(root)}


@dataclass
class ScanInput:
    """What one scan needs, taken on the event loop when the scan is asked for."""

    root: str
    known: Mapping[str, Tuple[int, int]]
    runs: Runs
    count: int  # runs[:count] had ended
    running: Sequence[Window]
    finishing: Set[int]
    owners: Optional[Mapping[int, Tuple[int, ...]]]
    now_ns: int


def owner_of(path: str, mtime_ns: int, scan: ScanInput) -> Tuple[Optional[int], bool]:
    """(task index, defer): who wrote the file, or wait for a later scan."""
    done = scan.runs.covering(mtime_ns, scan.count)
    running = [w for w in scan.running if w.covers(mtime_ns, scan.now_ns)]
    number = frame_number(path)
    owners = scan.owners.get(number, ()) if scan.owners is not None and number is not None else ()
    if owners:
        if any(w.index in owners for w in running):
            return None, True
        mine = [w for w in done if w.index in owners]
        if mine:
            return max(mine, key=lambda w: w.start_ns).index, False
        if not all(scan.runs.finished_before(o, scan.count) for o in owners):
            return None, True  # its task has not run yet: the time may be a lagging clock's
    if not done:
        return None, bool(running)
    preferred = [w for w in done if w.index in scan.finishing] or done
    return max(preferred, key=lambda w: w.start_ns).index, False


def scan(job: ScanInput) -> Tuple[List[Found], Dict[str, Tuple[int, int]]]:
    """New or changed files under the job's root with their owner; also the files settled.

    The returned map holds the newly settled files (attributed or not), for ``known``.
    """
    found: List[Found] = []
    settled: Dict[str, Tuple[int, int]] = {}
    if not job.root or not os.path.isdir(job.root):
        return found, settled
    for path, size, mtime_ns in walk_files(job.root):
        if job.known.get(path) == (size, mtime_ns):
            continue
        if mtime_ns > job.now_ns:
            continue  # written after the runs were listed: the next scan knows who ran then
        index, defer = owner_of(path, mtime_ns, job)
        if defer:
            continue
        settled[path] = (size, mtime_ns)
        if index is None:
            continue
        try:
            md5 = file_md5(path)
        except OSError:
            continue
        found.append(Found(path, index, size, mtime_ns, md5))
    return found, settled
