"""Writing 1 GiB of received bytes the three ways the farm could: into a new file through the
page cache (the farm before ``farm/direct_io.py``), over the same file's pages again, and
with ``O_DIRECT`` from one reused aligned buffer (the farm now). Wall time, the process's
user and kernel CPU time, and the fsync that follows.

On a virtual machine whose free memory the host takes back, the first write into new
page-cache pages pays a host fault per page, which shows as kernel time in the copy; the
overwrite reuses the pages and shows what the copy alone costs. A pause before each new
file lets freed memory go back to the host, as it does between uploads.

Run: ``.venv/bin/python -m bench.farm_write_paths [--rounds N] [--size-mib N]``.
"""

import argparse
import mmap
import os
import statistics
import sys
import tempfile
import time
from typing import Any, Callable, Dict, List, Optional, Tuple

MIB = 1024**2
BATCH = 8 * MIB


def _timed(fd: int, write: Callable[[], None]) -> Tuple[float, float, float, float]:
    before, start = os.times(), time.perf_counter()
    write()
    after, written = os.times(), time.perf_counter()
    os.fsync(fd)
    synced = time.perf_counter()
    return written - start, after.user - before.user, after.system - before.system, synced - written


def run_round(folder: str, size: int, pause: float) -> Dict[str, Tuple[float, float, float, float]]:
    data = os.urandom(BATCH)
    path = os.path.join(folder, "write.bin")
    results = {}

    def buffered(fd: int) -> Callable[[], None]:
        def write() -> None:
            for offset in range(0, size, BATCH):
                os.pwrite(fd, data, offset)

        return write

    time.sleep(pause)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    results["new file, page cache"] = _timed(fd, buffered(fd))
    os.close(fd)
    fd = os.open(path, os.O_WRONLY)
    results["same file again, page cache"] = _timed(fd, buffered(fd))
    os.close(fd)
    os.unlink(path)
    time.sleep(pause)
    buffer = mmap.mmap(-1, BATCH)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_DIRECT, 0o600)
    except OSError as error:
        raise SystemExit("this file system refuses O_DIRECT: {}".format(error)) from None

    def direct() -> None:
        for offset in range(0, size, BATCH):
            buffer[:] = data  # the farm copies what arrives into its aligned buffer
            os.pwritev(fd, [buffer], offset)

    results["new file, O_DIRECT"] = _timed(fd, direct)
    os.close(fd)
    buffer.close()
    os.unlink(path)
    return results


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--pause", type=float, default=3.0)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    samples: Dict[str, List[Tuple[float, float, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="farmhand-bench-write-paths-") as folder:
        for _ in range(args.rounds):
            for name, values in run_round(folder, args.size_mib * MIB, args.pause).items():
                samples.setdefault(name, []).append(values)
    print("{} MiB in 8 MiB writes (median of {} rounds)".format(args.size_mib, args.rounds))
    print("| case | write | user CPU | kernel CPU | fsync after |")
    print("|---|---|---|---|---|")
    results = {}
    for name, values in samples.items():
        medians = [statistics.median(column) for column in zip(*values)]
        results[name] = medians
        print("| {} | {:.2f} s | {:.2f} s | {:.2f} s | {:.2f} s |".format(name, *medians))
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
