"""Hashing throughput: Farmhand's md5 (base64) vs coreutils ``md5sum``, and the cache.

Measurements on files in a scratch folder (page cache warm, as a resubmit sees them):
one 1 GiB file (single-stream speed: ``file_md5`` vs ``md5sum``), eight 128 MiB files
(``hash_files`` on its thread pool vs ``md5sum`` one file after another and ``xargs -P``),
10,000 files of 1 KiB (per-file overhead), and a resubmit of the eight files through the
persistent cache (nothing read).

Run: ``.venv/bin/python -m bench.client_hashing`` (or ``make bench``).
"""

import os
import statistics
import subprocess
import sys
import time
from typing import Callable, Dict, List

from bench.scratch_home import scratch_home

GIB = 1024**3
MIB = 1024**2
RUNS = 5


def _write(path: str, size: int, seed: int) -> None:
    block = bytes((i * 7 + seed) % 256 for i in range(MIB))
    with open(path, "wb") as handle:
        for index in range(size // MIB):
            handle.write(block[index % 251 :] + block[: index % 251])


def measure(folder: str) -> Dict[str, float]:
    from farmhand.core.transfer import Md5Cache, collect_files, file_md5, hash_files

    big = os.path.join(folder, "one.bin")
    _write(big, GIB, 1)
    many_dir = os.path.join(folder, "many")
    os.makedirs(many_dir)
    many = []
    for index in range(8):
        path = os.path.join(many_dir, "f{}.bin".format(index))
        _write(path, 128 * MIB, index + 2)
        many.append(path)
    # warm the page cache so both sides read from memory
    subprocess.run(["cat", big] + many, stdout=subprocess.DEVNULL, check=True)

    small_dir = os.path.join(folder, "small")
    os.makedirs(small_dir)
    for index in range(10000):
        with open(os.path.join(small_dir, "f{:05d}.txt".format(index)), "wb") as handle:
            handle.write(os.urandom(1024))
    small = collect_files([small_dir])
    files = collect_files([many_dir])

    def shell(command: str) -> Callable[[], object]:
        return lambda: subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, check=True)

    cases: Dict[str, Callable[[], object]] = {
        "one_md5sum": shell("md5sum {}".format(big)),
        "one_farmhand": lambda: file_md5(big),
        "many_md5sum": shell("md5sum {}".format(" ".join(many))),
        "many_md5sum_p2": shell(
            "printf '%s\\n' {} | xargs -n 1 -P 2 md5sum".format(" ".join(many))
        ),
        "many_farmhand": lambda: hash_files(files, cache=None),
        "small_md5sum": shell("cd {} && md5sum -- *".format(small_dir)),
        "small_farmhand": lambda: hash_files(small, cache=None),
    }
    with Md5Cache(os.path.join(folder, "cache.sqlite3")) as cache:
        hash_files(files, cache=cache)

        def resubmit() -> None:
            report = hash_files(collect_files([many_dir]), cache=cache)
            assert report.hashed_bytes == 0

        cases["many_cached"] = resubmit
        # Interleaved: each round runs every case once, so load from other users of the
        # machine hits both sides of a comparison alike.
        times: Dict[str, List[float]] = {name: [] for name in cases}
        for _ in range(RUNS):
            for name, case in cases.items():
                start = time.perf_counter()
                case()
                times[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> Dict[str, float]:
    with scratch_home("farmhand-bench-hash-") as folder:
        results = measure(folder)

    def row(label: str, key: str, base: str, size: float) -> List[str]:
        seconds = results[key]
        return [
            label,
            "{:.4f} s".format(seconds) if seconds < 0.01 else "{:.3f} s".format(seconds),
            "{:.0f} MiB/s".format(size / seconds / MIB),
            "{:.2f}".format(results[base] / seconds),
        ]

    small_size = 10000 * 1024
    rows = [
        row("1 x 1 GiB, md5sum", "one_md5sum", "one_md5sum", GIB),
        row("1 x 1 GiB, farmhand file_md5", "one_farmhand", "one_md5sum", GIB),
        row("8 x 128 MiB, md5sum (sequential)", "many_md5sum", "many_md5sum", GIB),
        row("8 x 128 MiB, xargs -P 2 md5sum", "many_md5sum_p2", "many_md5sum", GIB),
        row("8 x 128 MiB, farmhand hash_files", "many_farmhand", "many_md5sum", GIB),
        row("10,000 x 1 KiB, md5sum", "small_md5sum", "small_md5sum", small_size),
        row("10,000 x 1 KiB, farmhand hash_files", "small_farmhand", "small_md5sum", small_size),
        row("8 x 128 MiB, resubmit (md5 cache)", "many_cached", "many_md5sum", GIB)[:2]
        + ["-", "{:.0f}".format(results["many_md5sum"] / results["many_cached"])],
    ]
    print("Hashing (median of {} runs; speed-up vs md5sum of the same files)".format(RUNS))
    print("| case | time | throughput | speed-up |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
