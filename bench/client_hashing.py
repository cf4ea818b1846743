"""Hashing throughput: Farmhand's md5 (base64) vs coreutils ``md5sum``, and the cache.

Measurements on files in a scratch folder (page cache warm, as a resubmit sees them):
one 1 GiB file (single-stream speed: ``file_md5`` vs ``md5sum``), eight 128 MiB files
(``hash_files`` on its thread pool vs ``md5sum`` one file after another and ``xargs -P``),
10,000 files of 1 KiB (per-file overhead), and a resubmit of the eight files through the
persistent cache (nothing read).

Run: ``.venv/bin/python -m bench.client_hashing`` (or ``make bench``).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable, Dict, List

GIB = 1024**3
MIB = 1024**2
RUNS = 5


def _write(path: str, size: int, seed: int) -> None:
    block = bytes((i * 7 + seed) % 256 for i in range(MIB))
    with open(path, "wb") as handle:
        for index in range(size // MIB):
            handle.write(block[index % 251 :] + block[: index % 251])


def _median(fn: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


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

    results = {}
    results["one_md5sum"] = _median(
        lambda: subprocess.run(["md5sum", big], stdout=subprocess.DEVNULL, check=True)
    )
    results["one_farmhand"] = _median(lambda: file_md5(big))
    results["many_md5sum"] = _median(
        lambda: subprocess.run(["md5sum"] + many, stdout=subprocess.DEVNULL, check=True)
    )
    results["many_md5sum_p2"] = _median(
        lambda: subprocess.run(
            "printf '%s\\n' {} | xargs -n 1 -P 2 md5sum".format(" ".join(many)),
            shell=True,
            stdout=subprocess.DEVNULL,
            check=True,
        )
    )
    small_dir = os.path.join(folder, "small")
    os.makedirs(small_dir)
    for index in range(10000):
        with open(os.path.join(small_dir, "f{:05d}.txt".format(index)), "wb") as handle:
            handle.write(os.urandom(1024))
    results["small_md5sum"] = _median(
        lambda: subprocess.run(
            "cd {} && md5sum -- * > /dev/null".format(small_dir), shell=True, check=True
        )
    )
    small = collect_files([small_dir])
    results["small_farmhand"] = _median(lambda: hash_files(small, cache=None))
    files = collect_files([many_dir])
    results["many_farmhand"] = _median(lambda: hash_files(files, cache=None))
    cache_path = os.path.join(folder, "cache.sqlite3")
    with Md5Cache(cache_path) as cache:
        hash_files(files, cache=cache)

        def resubmit() -> None:
            report = hash_files(collect_files([many_dir]), cache=cache)
            assert report.hashed_bytes == 0

        results["many_cached"] = _median(resubmit)
    return results


def main() -> Dict[str, float]:
    folder = tempfile.mkdtemp(prefix="farmhand-bench-hash-")
    previous_home = os.environ.get("FARMHAND_HOME")
    os.environ["FARMHAND_HOME"] = os.path.join(folder, "home")
    try:
        results = measure(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if previous_home is None:
            os.environ.pop("FARMHAND_HOME", None)
        else:
            os.environ["FARMHAND_HOME"] = previous_home
    rate = lambda seconds: GIB / seconds / MIB  # noqa: E731
    rows: List[List[str]] = [
        [
            "1 x 1 GiB, md5sum",
            "{:.3f} s".format(results["one_md5sum"]),
            "{:.0f} MiB/s".format(rate(results["one_md5sum"])),
            "1.00",
        ],
        [
            "1 x 1 GiB, farmhand file_md5",
            "{:.3f} s".format(results["one_farmhand"]),
            "{:.0f} MiB/s".format(rate(results["one_farmhand"])),
            "{:.2f}".format(results["one_md5sum"] / results["one_farmhand"]),
        ],
        [
            "8 x 128 MiB, md5sum (sequential)",
            "{:.3f} s".format(results["many_md5sum"]),
            "{:.0f} MiB/s".format(rate(results["many_md5sum"])),
            "1.00",
        ],
        [
            "8 x 128 MiB, xargs -P 2 md5sum",
            "{:.3f} s".format(results["many_md5sum_p2"]),
            "{:.0f} MiB/s".format(rate(results["many_md5sum_p2"])),
            "{:.2f}".format(results["many_md5sum"] / results["many_md5sum_p2"]),
        ],
        [
            "8 x 128 MiB, farmhand hash_files",
            "{:.3f} s".format(results["many_farmhand"]),
            "{:.0f} MiB/s".format(rate(results["many_farmhand"])),
            "{:.2f}".format(results["many_md5sum"] / results["many_farmhand"]),
        ],
        [
            "8 x 128 MiB, farmhand resubmit (md5 cache)",
            "{:.4f} s".format(results["many_cached"]),
            "-",
            "{:.0f}".format(results["many_md5sum"] / results["many_cached"]),
        ],
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
