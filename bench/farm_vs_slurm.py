"""The same 100-task job on the local farm and on a single-node Slurm, through Farmhand.

Why: a user choosing between ``--farm local`` and ``--farm slurm`` on one machine wants the
time to completion of a whole job, the way Farmhand submits and follows it, not an engine's
bare overhead (``bench/slurm_overhead.py`` and ``bench/farm_overhead.py`` measure those). Both
farms get the same payload (only the instance type names differ) through their connectors:
``connector.submit(payload)``, then ``connector.status`` until every task is final. Time is
from the submit call to the moment the job is seen final; the submit call alone is timed too.

Workloads (each 100 tasks, 2 at a time on both farms: the local farm has 2 slots, the Slurm
node 2 CPUs and the tasks ask for 1 CPU each):

* ``true``: no work, so the wall time is the farm's own cost per task;
* ``sleep 0.5``: half a second each, so the ideal is 100 x 0.5 / 2 = 25 s.

The Slurm connector submits with ``--export=NONE`` (a task sees the node's environment, not
the submitting shell's) unless the site file's ``sbatch_options`` choose an ``--export``; the
job is also run through a site file with ``--export=ALL``, and ``--why`` times bare ``sbatch``
arrays of a one-line script with and without ``--export=NONE`` on the same cluster, so the
table can say how much of Slurm's per-task cost that option is.

The Slurm cluster is the test harness's (tests/support/slurm_cluster.py) with its tuned
settings; the local farm is a private one (bench/farm_overhead.Farm).

    python -m bench.farm_vs_slurm [--tasks 100] [--repeats 3] [--sleep 0.5] [--why]
"""

import argparse
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from typing import Any, Dict, List, NamedTuple, Optional, Sequence, Tuple

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if os.path.join(ROOT, "tests", "support") not in sys.path:
    sys.path.insert(0, os.path.join(ROOT, "tests", "support"))

import slurm_cluster  # noqa: E402  (the test harness, found through the path above)

from bench.farm_overhead import Farm  # noqa: E402

# The instance type the harness's site file would offer: the partition, one CPU per task.
SLURM_INSTANCE_TYPE = "main-1cpu"


class Run(NamedTuple):
    submit: float  # seconds in connector.submit
    wall: float  # seconds from the submit call to the job seen final


def payload(count: int, command: str, instance_type: str) -> Dict[str, Any]:
    return {
        "job_title": "bench {}".format(command),
        "project": "default",
        "instance_type": instance_type,
        "priority": 5,
        "output_path": "",
        "scout_frames": "",
        "autoretry_policy": {"failed": {"max_retries": 0}, "preempted": {"max_retries": 0}},
        "tasks_data": [{"command": command, "frames": str(i)} for i in range(1, count + 1)],
    }


def run_job(connector: Any, body: Dict[str, Any], poll: float, timeout: float = 1800.0) -> Run:
    """One job from submit to final; it must succeed in time."""
    started = time.perf_counter()
    job_id = connector.submit(body).job_id
    submitted = time.perf_counter() - started
    while True:
        job = connector.status(job_id)
        if job.is_final:
            break
        if time.perf_counter() - started > timeout:
            connector.kill(job_id)
            raise SystemExit("benchmark job {} not final after {:.0f} s: {}".format(
                job_id, timeout, job.counts))
        time.sleep(poll)
    wall = time.perf_counter() - started
    if not job.succeeded:
        raise SystemExit("benchmark job {} ended {} {}".format(job_id, job.status, job.counts))
    return Run(submitted, wall)


def measure(connector: Any, body: Dict[str, Any], repeats: int, poll: float) -> List[Run]:
    run_job(connector, dict(body, tasks_data=body["tasks_data"][:2]), poll)  # warm-up
    return [run_job(connector, body, poll) for _ in range(repeats)]


Workload = Tuple[str, str]  # (row name, command)
Results = Dict[str, Dict[str, List[Run]]]  # workload -> farm -> runs


def workloads(sleep: float) -> List[Workload]:
    return [("true", "true"), ("sleep {:g}".format(sleep), "sleep {:g}".format(sleep))]


def on_local_farm(jobs: Sequence[Workload], tasks: int, repeats: int) -> Dict[str, List[Run]]:
    """Every workload on a private local farm with 2 slots."""
    farm = Farm(slots=2)
    try:
        from farmhand.core.connectors import connect

        with connect("local") as local:
            return {name: measure(local, payload(tasks, command, farm.instance_type), repeats,
                                  0.02)
                    for name, command in jobs}
    finally:
        farm.close()


def bare_sbatch(cluster: Any, folder: str, tasks: int, repeats: int) -> Dict[str, List[float]]:
    """Seconds for a bare ``sbatch --array`` of a one-line script to finish, with Slurm's
    default export and with the connector's ``--export=NONE``."""
    script = os.path.join(folder, "task.sh")
    with open(script, "w") as handle:
        handle.write("#!/bin/sh\ntrue\n")
    os.chmod(script, 0o755)
    walls: Dict[str, List[float]] = {"default": [], "--export=NONE": []}
    for _ in range(repeats):
        for name, extra in (("default", []), ("--export=NONE", ["--export=NONE"])):
            started = time.perf_counter()
            job = cluster.sbatch("--array=1-{}".format(tasks), "-o", "/dev/null", *extra, script)
            cluster.wait_for_jobs(job, count=tasks, timeout=600)
            walls[name].append(time.perf_counter() - started)
    return walls


# Farm column -> the Slurm site file's sbatch_options (None: no site file).
SLURM_SITES = (("slurm", None), ("slurm, site --export=ALL", ["--export=ALL"]))


def on_slurm(
    jobs: Sequence[Workload], tasks: int, repeats: int, why: bool
) -> Tuple[Dict[str, Dict[str, List[Run]]], Dict[str, List[float]]]:
    """Every workload through the Slurm connector on a private tuned cluster, once per site
    file of ``SLURM_SITES`` (and, with ``why``, the bare sbatch comparison on that cluster)."""
    directory = tempfile.mkdtemp(prefix="farmhand-bench-slurm-")
    keys = ("SLURM_CONF", "FARMHAND_HOME", "FARMHAND_SLURM_CONFIG")
    saved = {key: os.environ.get(key) for key in keys}
    try:
        cluster = slurm_cluster.SlurmCluster(directory, settings=slurm_cluster.TUNED_SETTINGS)
        with cluster:
            os.environ["SLURM_CONF"] = cluster.conf_path
            os.environ["FARMHAND_HOME"] = os.path.join(directory, "home")
            from farmhand.core.connectors import connect

            results: Dict[str, Dict[str, List[Run]]] = {}
            for column, options in SLURM_SITES:
                os.environ.pop("FARMHAND_SLURM_CONFIG", None)
                if options is not None:
                    path = os.path.join(directory, "site-{}.json".format(len(results)))
                    with open(path, "w") as handle:
                        json.dump({"sbatch_options": options}, handle)
                    os.environ["FARMHAND_SLURM_CONFIG"] = path
                with connect("slurm") as slurm:
                    results[column] = {
                        name: measure(slurm, payload(tasks, command, SLURM_INSTANCE_TYPE),
                                      repeats, 0.1)
                        for name, command in jobs}
            bare = bare_sbatch(cluster, directory, tasks, repeats) if why else {}
            return results, bare
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        shutil.rmtree(directory, ignore_errors=True)


def table(results: Results, tasks: int, repeats: int) -> str:
    lines = [
        "same {}-task job, 2 at a time, {} runs each (median, submit call to job final):"
        .format(tasks, repeats),
        "| job | farm | wall | vs local | more than local, per task | submit call |",
        "|---|---|---|---|---|---|",
    ]
    for name, farms in results.items():
        local = statistics.median(r.wall for r in farms["local"])
        for farm, runs in farms.items():
            wall = statistics.median(r.wall for r in runs)
            lines.append("| `{}` x {} | {} | {:.2f} s | {:.1f}x | {:.3f} s | {:.3f} s |".format(
                name, tasks, farm, wall, wall / local, (wall - local) / tasks,
                statistics.median(r.submit for r in runs)))
    return "\n".join(lines)


def bare_table(bare: Dict[str, List[float]], tasks: int) -> str:
    lines = [
        "bare sbatch --array=1-{} of a one-line script on the same cluster (median):".format(tasks),
        "| export | wall | per task |",
        "|---|---|---|",
    ]
    for name, walls in bare.items():
        wall = statistics.median(walls)
        lines.append("| {} | {:.2f} s | {:.3f} s |".format(name, wall, wall / tasks))
    return "\n".join(lines)


def main(argv: Optional[List[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--tasks", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sleep", type=float, default=0.5)
    parser.add_argument("--why", action="store_true",
                        help="also time bare sbatch arrays with and without --export=NONE")
    args = parser.parse_args(argv)
    if args.tasks < 2 or args.repeats < 1 or args.sleep < 0:
        parser.error("--tasks must be at least 2, --repeats at least 1, --sleep at least 0")
    missing = slurm_cluster.missing_components()
    if missing:
        raise SystemExit("Slurm is not installed ({} missing)".format(", ".join(missing)))
    jobs = workloads(args.sleep)
    local = on_local_farm(jobs, args.tasks, args.repeats)
    slurm, bare = on_slurm(jobs, args.tasks, args.repeats, args.why)
    results: Results = {}
    for name, _ in jobs:
        results[name] = {"local": local[name]}
        for column, _ in SLURM_SITES:
            results[name][column] = slurm[column][name]
    print(table(results, args.tasks, args.repeats))
    for name, farms in results.items():
        print("{}: {}".format(name, "; ".join(
            "{} {}".format(farm, ["{:.2f}".format(r.wall) for r in runs])
            for farm, runs in farms.items())))
    if bare:
        print()
        print(bare_table(bare, args.tasks))
        for name, walls in bare.items():
            print("{}: {}".format(name, ["{:.2f}".format(w) for w in walls]))


if __name__ == "__main__":
    main()
