"""The dependency scan over 100,000 files: 1,000 sequences of 100 frames (issue 5).

The tree is 100 folders of 10 sequences each (1,000 frames per folder, empty files: the
scan never reads contents). The job names the 1,000 sequences by pattern
(``shot/seqNN.####.exr``) and renders frames 1-100; ``smart`` resolves each sequence's
frames, ``glob`` every file of each sequence on disk. Two ways a scan could be written
without per-folder listings are timed next to them, as yardsticks: a stat per needed frame
(``os.path.isfile``, the obvious smart scan) and ``glob.glob`` per sequence (the obvious
glob scan: one listing per pattern, so each folder is read ten times).

System calls: counted in-process by wrapping ``os.scandir``/``os.stat``/``os.lstat``/
``os.listdir`` (the scan's own calls), and for the whole process with ``strace -c -f``
(one run each, in a child interpreter; strace slows it, so its times are not used).

Run: ``.venv/bin/python -m bench.deps_scan [--rounds N]``.
"""

import argparse
import glob
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict, List, Optional, Tuple

from bench.scratch_home import scratch_home

FOLDERS = int(os.environ.get("BENCH_SCAN_FOLDERS", "100"))
SEQUENCES_PER_FOLDER = 10
FRAMES = 100


def make_tree(root: str) -> List[str]:
    """The tree; returns the 1,000 sequence patterns."""
    patterns = []
    for folder_index in range(FOLDERS):
        folder = os.path.join(root, "shot{:03d}".format(folder_index))
        os.makedirs(folder)
        for sequence in range(SEQUENCES_PER_FOLDER):
            for frame in range(1, FRAMES + 1):
                name = "seq{:02d}.{:04d}.exr".format(sequence, frame)
                os.close(os.open(os.path.join(folder, name), os.O_CREAT | os.O_WRONLY, 0o644))
            patterns.append(os.path.join(folder, "seq{:02d}.####.exr".format(sequence)))
    return patterns


def farmhand_scan(patterns: List[str], policy: str) -> int:
    from farmhand.core.deps import resolve_uploads
    from farmhand.core.frames import FrameSpec

    result = resolve_uploads(patterns, policy=policy, frames=FrameSpec("1-{}".format(FRAMES)))
    assert not result.missing, result.missing[:3]
    return len(result.files)


def stat_per_frame(patterns: List[str]) -> int:
    found = 0
    for pattern in patterns:
        for frame in range(1, FRAMES + 1):
            if os.path.isfile(pattern.replace("####", "{:04d}".format(frame))):
                found += 1
    return found


def glob_per_sequence(patterns: List[str]) -> int:
    found = 0
    for pattern in patterns:
        regex = re.compile(re.escape(os.path.basename(pattern)).replace("\\#\\#\\#\\#", r"\d{4}"))
        for path in glob.glob(pattern.replace("####", "[0-9][0-9][0-9][0-9]")):
            if regex.fullmatch(os.path.basename(path)):
                found += 1
    return found


def counted(function: Callable[[], int]) -> Tuple[int, Dict[str, int]]:
    """Run ``function`` counting its calls of os.scandir/stat/lstat/listdir."""
    counts = {"scandir": 0, "stat": 0, "lstat": 0, "listdir": 0}
    originals = {name: getattr(os, name) for name in counts}

    def wrap(name: str) -> Callable[..., object]:
        original = originals[name]

        def call(*args: object, **kwargs: object) -> object:
            counts[name] += 1
            return original(*args, **kwargs)

        return call

    for name in counts:
        setattr(os, name, wrap(name))
    try:
        files = function()
    finally:
        for name, original in originals.items():
            setattr(os, name, original)
    return files, counts


_CHILD = r"""
import json, sys
sys.path.insert(0, {root!r})
from bench.deps_scan import CASES
patterns = json.load(open({patterns!r}))
CASES[{case!r}](patterns[:{count}])
"""

_STRACE_LINE = re.compile(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$")


def strace_counts(case: str, patterns_file: str, folder: str) -> Optional[Dict[str, int]]:
    """System calls of a whole child process running one case (None: no strace here)."""
    if shutil.which("strace") is None:
        return None
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    output = os.path.join(folder, "strace-{}.txt".format(case))
    baseline = os.path.join(folder, "strace-baseline.txt")
    for path, count in ((output, None), (baseline, 1)):
        script = _CHILD.format(root=root, patterns=patterns_file, case=case, count=count)
        subprocess.run(
            ["strace", "-c", "-f", "-o", path, sys.executable, "-c", script],
            check=True,
            timeout=600,
        )
    counts = {}
    for path in (output, baseline):
        calls: Dict[str, int] = {}
        with open(path) as handle:
            for line in handle:
                match = _STRACE_LINE.match(line)
                if match and match.group(2) != "total":
                    calls[match.group(2)] = int(match.group(1))
        counts[path] = calls
    # What the scan itself cost: the child's calls minus those of the same child scanning
    # one sequence (start-up, imports and the case's first-call costs).
    return {
        name: calls - counts[baseline].get(name, 0)
        for name, calls in counts[output].items()
        if calls - counts[baseline].get(name, 0) > 0
    }


CASES: Dict[str, Callable[[List[str]], int]] = {
    "farmhand_smart": lambda patterns: farmhand_scan(patterns, "smart"),
    "farmhand_glob": lambda patterns: farmhand_scan(patterns, "glob"),
    "stat_per_frame": stat_per_frame,
    "glob_per_sequence": glob_per_sequence,
}

LABELS = {
    "farmhand_smart": "Farmhand smart (frames 1-100)",
    "farmhand_glob": "Farmhand glob",
    "stat_per_frame": "yardstick: os.path.isfile per needed frame",
    "glob_per_sequence": "yardstick: glob.glob per sequence",
}


def main(argv: Optional[List[str]] = None) -> Dict[str, object]:
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    with scratch_home("farmhand-bench-scan-") as scratch:
        root = os.path.join(scratch, "tree")
        started = time.perf_counter()
        patterns = make_tree(root)
        made = time.perf_counter() - started
        patterns_file = os.path.join(scratch, "patterns.json")
        with open(patterns_file, "w") as handle:
            json.dump(patterns, handle)
        times: Dict[str, List[float]] = {name: [] for name in CASES}
        found: Dict[str, int] = {}
        for case in CASES.values():  # imports and first-call costs out of the timings
            case(patterns[:1])
        for _ in range(args.rounds):
            for name, case in CASES.items():
                start = time.perf_counter()
                found[name] = case(patterns)
                times[name].append(time.perf_counter() - start)
        calls = {name: counted(lambda case=case: case(patterns))[1] for name, case in CASES.items()}
        traced = {name: strace_counts(name, patterns_file, scratch) for name in CASES}
    results = {name: statistics.median(values) for name, values in times.items()}
    base = results["farmhand_smart"]
    print(
        "Scan of {:,} files ({:,} sequences x {} frames in {} folders; tree made in {:.1f} s, "
        "dentries warm; median of {} rounds)".format(
            FOLDERS * SEQUENCES_PER_FOLDER * FRAMES,
            FOLDERS * SEQUENCES_PER_FOLDER,
            FRAMES,
            FOLDERS,
            made,
            args.rounds,
        )
    )
    print(
        "| case | files | time | vs Farmhand smart | scandir / listdir / stat / lstat calls "
        "| strace -c -f: getdents64 / stat-like / openat / all |"
    )
    print("|---|---|---|---|---|---|")
    for name in CASES:
        counts = calls[name]
        strace = traced[name]
        if strace is None:
            strace_text = "no strace"
        else:
            stats = sum(
                v
                for k, v in strace.items()
                if k in ("newfstatat", "stat", "lstat", "statx", "fstat")
            )
            strace_text = "{:,} / {:,} / {:,} / {:,}".format(
                strace.get("getdents64", 0), stats, strace.get("openat", 0), sum(strace.values())
            )
        print(
            "| {} | {:,} | {:.3f} s | {:.2f}x | {:,} / {:,} / {:,} / {:,} | {} |".format(
                LABELS[name],
                found[name],
                results[name],
                results[name] / base,
                counts["scandir"],
                counts["listdir"],
                counts["stat"],
                counts["lstat"],
                strace_text,
            )
        )
    sys.stdout.flush()
    return {"times": results, "calls": calls, "strace": traced}


if __name__ == "__main__":
    main()
