"""Which files each task wrote into the job's ``output_path``.

Tasks write straight into ``output_path`` (the user's folder), several at a time, so the farm
works out afterwards who wrote what: a file that appeared or changed is given to the task
whose run covered its modification time. When two tasks ran at that moment, the frame number
in the file name decides (``beauty.0042.exr`` belongs to the task rendering frame 42); without
one, the task that just finished takes it. A scan runs in a worker thread after each task
ends and only reads the file system; the service records the result.
"""

import os
import re
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional, Sequence, Tuple

from farmhand.farm.store import file_md5

# File times come from the kernel's coarse clock (one tick, up to 10 ms, behind the precise
# clock the farm records starts and ends with): widen each run's window by a little more.
SLACK_NS = 15_000_000
DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Window:
    """One attempt's run: task index, start and end (ns), the task's frames."""

    index: int
    start_ns: int
    end_ns: Optional[int]  # None while it runs
    frames: Any = None  # a fileseq FrameSet, or None

    def covers(self, mtime_ns: int, now_ns: int) -> bool:
        end = now_ns if self.end_ns is None else self.end_ns
        return self.start_ns - SLACK_NS <= mtime_ns <= end + SLACK_NS


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


def _owner(
    mtime_ns: int, path: str, windows: Sequence[Window], finishing: Sequence[int], now_ns: int
) -> Tuple[Optional[int], bool]:
    """(task index, defer): who wrote the file, or defer while a still-running task may have."""
    candidates = [w for w in windows if w.covers(mtime_ns, now_ns)]
    if not candidates:
        return None, False
    number = frame_number(path)
    if number is not None:
        by_frame = [w for w in candidates if w.frames is not None and number in w.frames]
        if by_frame:
            chosen = max(by_frame, key=lambda w: w.start_ns)
            return (None, True) if chosen.end_ns is None else (chosen.index, False)
    done = [w for w in candidates if w.end_ns is not None]
    if not done:
        return None, True
    preferred = [w for w in done if w.index in finishing] or done
    return max(preferred, key=lambda w: w.start_ns).index, False


def scan(
    root: str,
    known: Dict[str, Tuple[int, int]],
    windows: Sequence[Window],
    finishing: Sequence[int],
    now_ns: int,
) -> Tuple[List[Found], Dict[str, Tuple[int, int]]]:
    """New or changed files under ``root`` with their owner; also the files now settled.

    ``known`` maps path -> (size, mtime_ns) of files already settled; the returned map holds
    the newly settled ones (attributed or not), so the caller adds them to ``known``.
    """
    found: List[Found] = []
    settled: Dict[str, Tuple[int, int]] = {}
    if not root or not os.path.isdir(root):
        return found, settled
    for path, size, mtime_ns in walk_files(root):
        if known.get(path) == (size, mtime_ns):
            continue
        if mtime_ns > now_ns:
            continue  # written after the runs were listed: the next scan knows who ran then
        index, defer = _owner(mtime_ns, path, windows, finishing, now_ns)
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
