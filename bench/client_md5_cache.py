"""The md5 cache on a resubmit: 10,000 unchanged files re-checked (issue 5's goal: < 0.1 s).

A resubmit must learn, for every file, that it has not changed and what its md5 is, without
reading it. Farmhand: ``collect_files`` (one stat per file) then ``hash_files`` with the
persistent cache (one SQLite lookup for all of them), in a fresh ``Md5Cache`` as a new
process would open it. ciocore 9 (unmodified): its uploader's md5 worker method
``MD5Worker.get_md5`` with md5 caching on, per file (a stat, then a query in its SQLite
cache, which opens a new connection per query), called here in one thread on a stand-in
``self`` holding only the attributes the method reads. For scale, both re-hash the same
files without a cache. Files of 1 KiB (the cache must beat hashing even small files).

Run: ``.venv/bin/python -m bench.client_md5_cache [--files N] [--rounds N]``.
"""

import argparse
import logging
import os
import statistics
import sys
import time
import types
from typing import Callable, Dict, List, Optional

from bench.scratch_home import scratch_home


def make_files(folder: str, count: int) -> List[str]:
    os.makedirs(folder)
    paths = []
    for index in range(count):
        path = os.path.join(folder, "f{:05d}.bin".format(index))
        with open(path, "wb") as handle:
            handle.write(os.urandom(1024))
        paths.append(path)
    return paths


def farmhand_cases(scratch: str, folder: str) -> Dict[str, Callable[[], object]]:
    from farmhand.core.transfer import Md5Cache, collect_files, hash_files

    cache_path = os.path.join(scratch, "farmhand-md5.sqlite3")
    with Md5Cache(cache_path) as cache:
        hash_files(collect_files([folder]), cache=cache)
    listed = collect_files([folder])

    def recheck() -> None:
        with Md5Cache(cache_path) as cache:
            report = hash_files(collect_files([folder]), cache=cache)
        assert report.hashed_files == 0 and report.cached_files == len(listed), report

    def lookup_only() -> None:
        with Md5Cache(cache_path) as cache:
            report = hash_files(listed, cache=cache)
        assert report.hashed_files == 0

    return {
        "farmhand_recheck": recheck,
        "farmhand_lookup": lookup_only,
        "farmhand_rehash": lambda: hash_files(collect_files([folder]), cache=None),
    }


def ciocore_cases(scratch: str, paths: List[str]) -> Dict[str, Callable[[], object]]:
    logging.disable(logging.CRITICAL)
    from ciocore.uploader import _uploader

    database = os.path.join(scratch, "ciocore-md5.sqlite3")
    stand_in = types.SimpleNamespace(md5_caching=True, database_filepath=database)
    stand_in.cache_file_info = lambda info: _uploader.MD5Worker.cache_file_info(stand_in, info)
    misses = [
        _uploader.MD5Worker.get_md5(stand_in, path)[1]
        for path in paths  # type: ignore[arg-type]
    ]
    assert not any(misses)  # the first pass fills the cache

    def recheck() -> None:
        hits = [_uploader.MD5Worker.get_md5(stand_in, p)[1] for p in paths]  # type: ignore[arg-type]
        assert all(hits)

    no_cache = types.SimpleNamespace(md5_caching=False, database_filepath=database)

    def rehash() -> None:
        for path in paths:
            _uploader.MD5Worker.get_md5(no_cache, path)  # type: ignore[arg-type]

    return {"ciocore_recheck": recheck, "ciocore_rehash": rehash}


def main(argv: Optional[List[str]] = None) -> Dict[str, float]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    with scratch_home("farmhand-bench-md5-cache-") as scratch:
        folder = os.path.join(scratch, "files")
        paths = make_files(folder, args.files)
        cases = farmhand_cases(scratch, folder)
        try:
            cases.update(ciocore_cases(scratch, paths))
        except ImportError:
            print("ciocore is not installed: its rows are left out", file=sys.stderr)
        times: Dict[str, List[float]] = {name: [] for name in cases}
        for _ in range(args.rounds):
            for name, case in cases.items():
                start = time.perf_counter()
                case()
                times[name].append(time.perf_counter() - start)
    results = {name: statistics.median(values) for name, values in times.items()}
    base = results["farmhand_recheck"]
    print(
        "{:,} unchanged files of 1 KiB re-checked (median of {} rounds; ratio = time / "
        "Farmhand's re-check)".format(args.files, args.rounds)
    )
    print("| case | time | ratio |")
    print("|---|---|---|")
    labels = [
        ("farmhand_recheck", "Farmhand: open cache, list + stat, cache lookup (goal < 0.1 s)"),
        ("farmhand_lookup", "Farmhand: cache lookup alone (files already listed)"),
        ("ciocore_recheck", "ciocore MD5Worker.get_md5, md5 cache on"),
        ("farmhand_rehash", "Farmhand: re-hash every file, no cache"),
        ("ciocore_rehash", "ciocore MD5Worker.get_md5, md5 cache off (re-hash)"),
    ]
    for key, label in labels:
        if key in results:
            print("| {} | {:.3f} s | {:.2f} |".format(label, results[key], results[key] / base))
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
