"""1 GiB uploaded to the local farm as 1 file and as 1,000 files of 1 MiB, vs a plain copy.

Issue 5's upload comparison. Each round writes new random content (the farm must receive
every byte), warms the page cache, then times for each shape: ``cp -r`` of the same bytes
into a scratch folder (the plain copy, page cache), the same copy followed by ``sync`` (a
copy that reaches the disk, as the farm's store does), and ``farmhand submit``'s client
(``connect(url).submit``: hashing, negotiating, uploading with the parallel, multipart
code, then the job) with its hashing and uploading phases split by the progress events.
Medians of the rounds; the farm runs in a scratch ``FARMHAND_HOME`` with its defaults.

Run: ``.venv/bin/python -m bench.client_upload_shapes [--rounds N] [--size-mib N]``.
"""

import argparse
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


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process (the farm) has used so far."""
    with open("/proc/{}/stat".format(pid)) as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


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
                farm_cpu = cpu_seconds(farm_pid)
                result = client.submit(payload, progress=on_progress)
                end = time.perf_counter()
                note(shape + "_client_cpu", time.process_time() - start_cpu)
                note(shape + "_farm_cpu", cpu_seconds(farm_pid) - farm_cpu)
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
    args = parser.parse_args(argv if argv is not None else sys.argv[1:])
    size = args.size_mib * MIB
    with scratch_home("farmhand-bench-upload-shapes-") as scratch:
        paths = FarmPaths(os.path.join(scratch, "home", "farm"))
        try:
            url, key = control.start(paths=paths)
            with open(paths.pid_file) as handle:
                farm_pid = int(handle.read().split()[0])
            results = run_rounds(scratch, url, key, size, args.rounds, farm_pid)
        finally:
            control.stop(paths)
    print(
        "{} MiB to the local farm as 1 file and as {:,} files (median of {} rounds; "
        "ratio = time / cp -r of the same bytes)".format(args.size_mib, FILES, args.rounds)
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
    for label, step in (
        ("Farmhand submit: client CPU time", "client_cpu"),
        ("Farmhand submit: farm CPU time", "farm_cpu"),
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
