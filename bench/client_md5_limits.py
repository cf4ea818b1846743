"""Hash throughput against its limit: issue 5's comparisons, one table.

The limit for one thread is Python's own ``hashlib.md5`` fed 1 MiB reads in a plain loop
(what any md5 in Python can do at best); Farmhand's ``file_md5`` should reach 95 % of it.
Two files on two threads (``hash_files``, the thread pool a submit uses) should take 1.8x
the single-thread loop's throughput over the same two files; the same loop in two plain
threads says what the machine's free cores allowed in that round. ciocore's md5 functions
(``common.generate_md5``, what its uploader's md5 workers call, and ``get_base64_md5``) run
on the same 1 GiB for comparison. Page cache warm (a resubmit's case), new random content,
every round runs every case once (load from other users hits all cases alike), medians.

Run: ``.venv/bin/python -m bench.client_md5_limits [--rounds N] [--size-mib N]``.
"""

import argparse
import hashlib
import logging
import os
import statistics
import subprocess
import sys
import threading
import time
from typing import Callable, Dict, List, Optional

from bench.farm_builds import write_random
from bench.scratch_home import scratch_home

MIB = 1024**2


def hashlib_loop(paths: List[str]) -> None:
    """The limit: hashlib.md5 over 1 MiB reads, one thread, one file after another."""
    for path in paths:
        digest = hashlib.md5()
        with open(path, "rb") as handle:
            while True:
                block = handle.read(MIB)
                if not block:
                    break
                digest.update(block)
        digest.digest()


def hashlib_threads(paths: List[str]) -> None:
    """The limit for several threads: the same loop, one plain thread per file (what the
    machine's free cores allow at that moment)."""
    threads = [threading.Thread(target=hashlib_loop, args=([path],)) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def measure(folder: str, size: int, rounds: int) -> Dict[str, float]:
    from farmhand.core.transfer import collect_files, file_md5, hash_files

    one = os.path.join(folder, "one.bin")
    write_random(one, size)
    two = [os.path.join(folder, "two-{}.bin".format(index)) for index in range(2)]
    for path in two:
        write_random(path, size // 2)
    subprocess.run(["cat", one] + two, stdout=subprocess.DEVNULL, check=True)
    pair = collect_files(two)

    cases: Dict[str, Callable[[], object]] = {
        "hashlib_one": lambda: hashlib_loop([one]),
        "farmhand_one": lambda: file_md5(one),
        "hashlib_two": lambda: hashlib_loop(two),
        "hashlib_two_threads": lambda: hashlib_threads(two),
        "farmhand_two": lambda: hash_files(pair, cache=None, workers=2),
    }
    try:
        logging.disable(logging.CRITICAL)  # ciocore logs each file at INFO
        from ciocore import common

        cases["ciocore_generate_md5"] = lambda: common.generate_md5(one)
        cases["ciocore_get_base64_md5"] = lambda: common.get_base64_md5(one)
    except ImportError:
        print("ciocore is not installed: its rows are left out", file=sys.stderr)
    times: Dict[str, List[float]] = {name: [] for name in cases}
    cpu: Dict[str, List[float]] = {name: [] for name in cases}
    for _ in range(rounds):
        for name, case in cases.items():
            start, start_cpu = time.perf_counter(), time.process_time()
            case()
            times[name].append(time.perf_counter() - start)
            cpu[name].append(time.process_time() - start_cpu)
    results = {name: statistics.median(values) for name, values in times.items()}
    # CPU seconds of the whole process (every thread): what the work costs whatever the
    # load, and CPU / wall says how many cores a case kept busy.
    results.update({name + "_cpu": statistics.median(values) for name, values in cpu.items()})
    return results


def table(results: Dict[str, float], size: int, rounds: int) -> List[str]:
    lines = [
        "Hash throughput over {} MiB (median of {} rounds; ratio = throughput / "
        "the limit's)".format(size // MIB, rounds),
        "| case | time | throughput | ratio | goal | CPU time | cores busy (CPU / time) |",
        "|---|---|---|---|---|---|---|",
    ]

    def row(label: str, key: str, base: str, goal: str) -> Optional[str]:
        if key not in results:
            return None
        seconds, cpu = results[key], results[key + "_cpu"]
        return "| {} | {:.3f} s | {:.0f} MiB/s | {:.2f} | {} | {:.3f} s | {:.2f} |".format(
            label, seconds, size / seconds / MIB, results[base] / seconds, goal, cpu, cpu / seconds
        )

    rows = [
        row("hashlib.md5, 1 MiB reads, 1 thread (the limit)", "hashlib_one", "hashlib_one", ""),
        row("Farmhand file_md5", "farmhand_one", "hashlib_one", ">= 0.95"),
        row("ciocore common.generate_md5", "ciocore_generate_md5", "hashlib_one", ""),
        row("ciocore common.get_base64_md5", "ciocore_get_base64_md5", "hashlib_one", ""),
        row("2 files of half the size, hashlib loop, 1 thread", "hashlib_two", "hashlib_two", ""),
        row("2 files, hashlib loop, 2 plain threads", "hashlib_two_threads", "hashlib_two", ""),
        row("2 files, Farmhand hash_files, 2 threads", "farmhand_two", "hashlib_two", ">= 1.8"),
    ]
    return lines + [line for line in rows if line]


def main(argv: Optional[List[str]] = None) -> Dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--size-mib", type=int, default=1024)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    size = args.size_mib * MIB
    with scratch_home("farmhand-bench-md5-") as folder:
        results = measure(folder, size, args.rounds)
    print("\n".join(table(results, size, args.rounds)))
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
