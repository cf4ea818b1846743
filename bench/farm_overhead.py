"""Local farm overhead: N ``true`` tasks on 2 slots, side by side with ``openjd run``.

Why: a local farm is only worth having if it costs next to nothing per task, so renders
split into many small tasks (scouts, tiles, chunk size 1) are not slowed down by the farm.
The goal is under 3 ms per task; for comparison, ``openjd run`` (OpenJD's local runner,
in .venv) runs the same tasks in one session, and a tuned single-node Slurm runs them as a
job array (``bench/slurm_overhead.py``, when Slurm is installed).

What is timed, each ``--repeats`` times in one run (the machine is shared and noisy, so the
table quotes medians and ratios from the same run):

* farm: from the submit request to the job's completion (the client follows the job with
  long polls, so it learns of completion at once), for one job of N ``true`` tasks on 2
  slots; per-task overhead = wall / N. Each task is a real ``/bin/sh -c true`` subprocess in
  its own process group with its own log file, and every start and end is recorded in SQLite.
* submit latency: a 1-task job; from sending the submit request to the task's recorded start.
* openjd: ``openjd run`` of a template with one step of N tasks running ``true``.
* spawn floor: ``posix_spawn`` + wait of ``/bin/true`` N times from Python, and of a Python
  interpreter (what a per-task Python wrapper would cost).

* argv tasks: the same job with ``"command": ["true"]`` (run without a shell of its own).

``--baseline DIR`` (a folder holding another build's ``farmhand`` package) runs a farm of
that build too, each repeat timing both, so a before/after comparison sees the same load.

    python -m bench.farm_overhead [--tasks 1000] [--repeats 3] [--no-openjd] [--slurm]
                                  [--baseline DIR]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Dict, List, Optional, Tuple

import requests

from bench.farm_builds import start_farm

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

OPENJD_TEMPLATE = """specificationVersion: jobtemplate-2023-09
name: TrueTasks
steps:
- name: Run
  parameterSpace:
    taskParameterDefinitions:
    - name: N
      type: INT
      range: "1-{count}"
  script:
    actions:
      onRun:
        command: "true"
"""


class Farm:
    """A farm process in a private FARMHAND_HOME, started the way ``farmhand farm start`` does."""

    def __init__(self, slots: int, pythonpath: Optional[str] = None) -> None:
        self.home = tempfile.mkdtemp(prefix="farmhand-bench-")
        os.environ["FARMHAND_HOME"] = self.home
        from farmhand.farm import control
        from farmhand.farm.paths import FarmPaths

        self.control = control
        self.paths = FarmPaths.default().ensure()
        with open(self.paths.config, "w") as handle:
            json.dump({"probe_software": False}, handle)
        self.url, key = start_farm(self.paths, slots, pythonpath)
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + control.get_token(self.url, key)
        reply = self.session.get(self.url + "/api/v1/instance-types")
        self.instance_type = reply.json()["data"][0]["name"]

    def payload(self, count: int, argv: bool = False) -> bytes:
        command: object = ["true"] if argv else "true"
        data = {
            "job_title": "bench",
            "project": "default",
            "instance_type": self.instance_type,
            "output_path": "",
            "tasks_data": [{"command": command, "frames": str(i)} for i in range(count)],
        }
        return json.dumps(data).encode("utf-8")

    def submit(self, body: bytes) -> str:
        reply = self.session.post(self.url + "/jobs/", data=body)
        reply.raise_for_status()
        return str(reply.json()["jobid"])

    def wait(self, jid: str) -> Dict[str, object]:
        revision = -1
        while True:
            reply = self.session.get(
                self.url + "/api/v1/jobs/" + jid, params={"wait": 30, "revision": revision}
            )
            job = reply.json()["data"]
            if job["status"] in ("success", "failed", "killed"):
                return dict(job)
            revision = job["revision"]

    def close(self) -> None:
        self.control.stop(paths=self.paths)
        shutil.rmtree(self.home, ignore_errors=True)


def farm_run(farm: Farm, count: int, argv: bool = False) -> float:
    body = farm.payload(count, argv)
    started = time.perf_counter()
    jid = farm.submit(body)
    job = farm.wait(jid)
    wall = time.perf_counter() - started
    if job["status"] != "success":
        raise SystemExit("benchmark job {} ended {}".format(jid, job["status"]))
    return wall


def submit_latency(farm: Farm) -> float:
    body = farm.payload(1)
    sent = time.time()
    jid = farm.submit(body)
    farm.wait(jid)
    task = farm.session.get(farm.url + "/api/v1/jobs/{}/tasks/000".format(jid)).json()["data"]
    return float(task["attempts"][0]["started_at"]) - sent


def openjd_run(count: int) -> Optional[float]:
    openjd = os.path.join(os.path.dirname(sys.executable), "openjd")
    if not os.path.exists(openjd):
        return None
    folder = tempfile.mkdtemp(prefix="openjd-bench-")
    template = os.path.join(folder, "template.yaml")
    with open(template, "w") as handle:
        handle.write(OPENJD_TEMPLATE.format(count=count))
    started = time.perf_counter()
    subprocess.run(
        [openjd, "run", template, "--step", "Run"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        cwd=folder,
    )
    wall = time.perf_counter() - started
    shutil.rmtree(folder, ignore_errors=True)
    return wall


def spawn_floor(argv: List[str], count: int) -> float:
    started = time.perf_counter()
    for _ in range(count):
        pid = os.posix_spawn(argv[0], argv, {})
        os.waitpid(pid, 0)
    return (time.perf_counter() - started) / count


SLURM_TASKS = 100


def slurm_per_task() -> Optional[float]:
    try:
        sys.path.insert(0, ROOT)
        from bench.slurm_overhead import tuned_per_task_overhead

        return float(tuned_per_task_overhead(tasks=SLURM_TASKS))
    except Exception as error:  # noqa: BLE001 - Slurm is optional here
        print("slurm: not measured ({})".format(error), file=sys.stderr)
        return None


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--slots", type=int, default=2)
    parser.add_argument("--no-openjd", action="store_true")
    parser.add_argument("--slurm", action="store_true", help="also measure tuned Slurm")
    parser.add_argument("--baseline", default=None, help="another build's package folder")
    args = parser.parse_args(argv)
    count = args.tasks

    builds = [("", None)]
    if args.baseline:
        builds.insert(0, ("baseline ", os.path.abspath(args.baseline)))
    farms: List[Tuple[str, Farm]] = []
    walls: Dict[str, List[float]] = {}
    try:
        for label, pythonpath in builds:
            farm = Farm(args.slots, pythonpath)
            farms.append((label, farm))
            farm_run(farm, 50)  # warm-up: imports, SQLite pages, first fork
        for _ in range(args.repeats):
            for label, farm in farms:
                walls.setdefault(label + "shell", []).append(farm_run(farm, count))
                walls.setdefault(label + "argv", []).append(farm_run(farm, count, argv=True))
        latencies = [submit_latency(farms[-1][1]) for _ in range(max(5, args.repeats))]
    finally:
        for _, farm in farms:
            farm.close()
    farm_walls = walls["shell"]
    openjd_walls = [] if args.no_openjd else [openjd_run(count) for _ in range(args.repeats)]
    openjd_walls = [w for w in openjd_walls if w is not None]
    true_floor = statistics.median(spawn_floor(["/bin/true"], 300) for _ in range(3))
    python_floor = statistics.median(
        spawn_floor([sys.executable, "-c", "pass"], 20) for _ in range(3)
    )
    slurm = slurm_per_task() if args.slurm else None

    farm_task = statistics.median(farm_walls) / count
    print(
        "local farm overhead: {} `true` tasks on {} slots, {} runs".format(
            count, args.slots, len(farm_walls)
        )
    )
    print("| runner | wall (median) | per task | vs local farm |")
    print("|---|---|---|---|")
    for label, _ in builds:
        for kind, text in (("shell", "`true`"), ("argv", '`["true"]` (argv)')):
            runs = walls[label + kind]
            print(
                "| {}local farm, {} | {:.3f} s | {:.2f} ms | {:.2f}x |".format(
                    label,
                    text,
                    statistics.median(runs),
                    statistics.median(runs) / count * 1000,
                    statistics.median(runs) / count / farm_task,
                )
            )
    if openjd_walls:
        openjd_task = statistics.median(openjd_walls) / count
        print(
            "| openjd run | {:.3f} s | {:.2f} ms | {:.1f}x |".format(
                statistics.median(openjd_walls), openjd_task * 1000, openjd_task / farm_task
            )
        )
    if slurm is not None:
        print(
            "| Slurm (tuned, single node; {} tasks) | {:.1f} s | {:.1f} ms | {:.0f}x |".format(
                SLURM_TASKS, slurm * SLURM_TASKS, slurm * 1000, slurm / farm_task
            )
        )
    print(
        "| spawn floor: posix_spawn /bin/true, sequential | | {:.2f} ms | |".format(
            true_floor * 1000
        )
    )
    print(
        "| spawn floor: a Python interpreter, sequential | | {:.1f} ms | |".format(
            python_floor * 1000
        )
    )
    for name, runs in walls.items():
        print("all runs, {}: {}".format(name, ", ".join("{:.3f} s".format(w) for w in runs)))
    if openjd_walls:
        print("all openjd runs: {}".format(", ".join("{:.3f} s".format(w) for w in openjd_walls)))
    print(
        "submit latency (1-task job, submit request to task start): median {:.1f} ms"
        " (min {:.1f}, max {:.1f}, {} runs)".format(
            statistics.median(latencies) * 1000,
            min(latencies) * 1000,
            max(latencies) * 1000,
            len(latencies),
        )
    )


if __name__ == "__main__":
    main()
