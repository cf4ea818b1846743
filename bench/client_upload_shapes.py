"""1 GiB uploaded to the local farm as 1 file and as 1,000 files of 1 MiB, vs a plain copy.

Issue 5's upload comparison. Each round writes new random content (the farm must receive
every byte), warms the page cache, then times for each shape: ``cp -r`` of the same bytes
into a scratch folder (the plain copy, page cache), the same copy followed by ``sync`` (a
copy that reaches the disk, as the farm's store does), and ``farmhand submit``'s client
(``connect(url).submit``: hashing, negotiating, uploading with the parallel, multipart
code, then the job) with its hashing and uploading phases split by the progress events.
Medians of the rounds; the farm runs in a scratch ``FARMHAND_HOME`` with its defaults, or
with ``--direct-io 0`` without direct I/O for upload bodies (``farm/direct_io.py``: the
before of that change). The farm's CPU time is split into user and kernel time.

Run: ``.venv/bin/python -m bench.client_upload_shapes [--rounds N] [--size-mib N]
[--direct-io 0|1]``.
"""

import argparse
import hashlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List, Optional

from bench.farm_builds import write_random
from bench.scratch_home import scratch_home

MIB = 1024**2
FILES = 1000


def _copy(source: str, target: str, sync: bool) -> float:
    start = time.perf_counter()
    subprocess.run(["cp", "-r", source, target], check=True)
    if sync:
        subprocess.run(["sync"], check=True)
    seconds = time.perf_counter() - start
    shutil.rmtree(target) if os.path.isdir(target) else os.unlink(target)
    subprocess.run(["sync"], check=True)
    return seconds


def _md5_seconds(path: str) -> float:
    """One md5 pass over a file with ``hashlib`` and 1 MiB reads (page cache): each end of
    an upload must pay one, so two of them plus ``cp`` is the yardstick of the whole."""
    start = time.perf_counter()
    digest = hashlib.md5()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(MIB), b""):
            digest.update(block)
    return time.perf_counter() - start


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process (the farm) has used so far."""
    return sum(cpu_split(pid))


def cpu_split(pid: int) -> List[float]:
    """[user, system] CPU seconds a process has used so far."""
    with open("/proc/{}/stat".format(pid)) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return [int(fields[11]) / tick, int(fields[12]) / tick]


def run_rounds(
    scratch: str, url: str, key: str, size: int, rounds: int, farm_pid: int
) -> Dict[str, Any]:
    from farmhand.core.connectors import connect

    one = os.path.join(scratch, "one", "plate.bin")
    many = os.path.join(scratch, "many")
    os.makedirs(os.path.dirname(one))
    os.makedirs(many)
    shapes = {"one": (one, [one]), "many": (many, [many])}
    times: Dict[str, List[float]] = {}

    def note(name: str, seconds: float) -> None:
        times.setdefault(name, []).append(seconds)

    with connect(url, environ={"CONDUCTOR_API_KEY": key}) as client:
        instance_type = client.catalogue().instance_types[0].name
        for _ in range(rounds):
            write_random(one, size)
            for index in range(FILES):
                write_random(os.path.join(many, "f{:04d}.bin".format(index)), size // FILES)
            subprocess.run(["sync"], check=True)  # no writeback of the sources during timings
            subprocess.run(
                ["cat", one] + [os.path.join(many, n) for n in os.listdir(many)],
                stdout=subprocess.DEVNULL,
                check=True,
            )
            note("one_md5", _md5_seconds(one))
            for shape, (source, upload_paths) in shapes.items():
                note(shape + "_cp", _copy(source, os.path.join(scratch, "copy"), sync=False))
                note(shape + "_cp_sync", _copy(source, os.path.join(scratch, "copy"), sync=True))
                marks: Dict[str, float] = {}

                def on_progress(event: Any, marks: Dict[str, float] = marks) -> None:
                    marks.setdefault(event.phase, time.perf_counter())

                payload = {
                    "job_title": "upload shape " + shape,
                    "project": "default",
                    "instance_type": instance_type,
                    "tasks_data": [{"command": "true", "frames": "1"}],
                    "output_path": "",
                    "upload_paths": upload_paths,
                }
                start, start_cpu = time.perf_counter(), time.process_time()
                farm_user, farm_sys = cpu_split(farm_pid)
                result = client.submit(payload, progress=on_progress)
                end = time.perf_counter()
                note(shape + "_client_cpu", time.process_time() - start_cpu)
                user, system = cpu_split(farm_pid)
                note(shape + "_farm_cpu", user + system - farm_user - farm_sys)
                note(shape + "_farm_user", user - farm_user)
                note(shape + "_farm_sys", system - farm_sys)
                assert result.uploaded_bytes >= size - FILES, result
                note(shape + "_hashing", marks["uploading"] - marks["hashing"])
                note(shape + "_uploading", marks["submitting"] - marks["uploading"])
                note(shape + "_submit", end - start)
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: Optional[List[str]] = None) -> Dict[str, Any]:
    from farmhand.farm import control
    from farmhand.farm.paths import FarmPaths

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--size-mib", type=int, default=1024)
    parser.add_argument("--direct-io", choices=("0", "1"), default="1")
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    size = args.size_mib * MIB
    previous = os.environ.get("FARMHAND_FARM_DIRECT_IO")
    os.environ["FARMHAND_FARM_DIRECT_IO"] = args.direct_io  # the farm inherits it
    with scratch_home("farmhand-bench-upload-shapes-") as scratch:
        paths = FarmPaths(os.path.join(scratch, "home", "farm"))
        try:
            url, key = control.start(paths=paths)
            with open(paths.pid_file) as handle:
                farm_pid = int(handle.read().split()[0])
            results = run_rounds(scratch, url, key, size, args.rounds, farm_pid)
        finally:
            control.stop(paths)
            if previous is None:
                os.environ.pop("FARMHAND_FARM_DIRECT_IO", None)
            else:
                os.environ["FARMHAND_FARM_DIRECT_IO"] = previous
    print(
        "{} MiB to the local farm as 1 file and as {:,} files (median of {} rounds; "
        "ratio = time / cp -r of the same bytes; direct I/O {})".format(
            args.size_mib, FILES, args.rounds, "on" if args.direct_io == "1" else "off"
        )
    )
    print("| step | 1 file | ratio | {:,} files | ratio |".format(FILES))
    print("|---|---|---|---|---|")
    for label, step in (
        ("cp -r (page cache)", "cp"),
        ("cp -r, then sync", "cp_sync"),
        ("Farmhand submit: hashing", "hashing"),
        ("Farmhand submit: uploading", "uploading"),
        ("Farmhand submit: whole", "submit"),
    ):
        cells = []
        for shape in ("one", "many"):
            seconds = results["{}_{}".format(shape, step)]
            cells.append("{:.2f} s | {:.2f}x".format(seconds, seconds / results[shape + "_cp"]))
        print("| {} | {} |".format(label, " | ".join(cells)))
    yardstick = results["one_cp"] + 2 * results["one_md5"]
    print(
        "| md5 once (hashlib, 1 MiB reads) | {:.2f} s | | | |\n"
        "| yardstick: cp -r + 2 md5 passes | {:.2f} s | whole = {:.2f}x | | |".format(
            results["one_md5"], yardstick, results["one_submit"] / yardstick
        )
    )
    for label, step in (
        ("Farmhand submit: client CPU time", "client_cpu"),
        ("Farmhand submit: farm CPU time", "farm_cpu"),
        ("farm CPU: user", "farm_user"),
        ("farm CPU: kernel", "farm_sys"),
    ):
        print(
            "| {} | {:.2f} s | | {:.2f} s | |".format(
                label, results["one_" + step], results["many_" + step]
            )
        )
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
