"""What Tractor job scripts cost: writing, reading and translating them, and spooling them to
the local farm compared with submitting the same task graph as a JSON payload.

1. ``asTcl()``, ``parse_job_script()`` and ``to_job_spec()`` for jobs of 100, 1,000 and
   10,000 tasks (a tree: groups of 100 render tasks under a comp task each, serial groups).
2. The same 1,000-task graph of ``true`` commands sent to one local farm two ways: spooled as
   a Tractor script (``Job.spool()``, token exchange included) and posted as the farm's JSON
   payload with ``depends_on`` edges (``POST /jobs/``); time until the farm answers, and until
   every task has run.

Run: ``.venv/bin/python -m bench.tractor_spool`` (or ``make bench``).
"""

import json
import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

import requests

from bench.scratch_home import scratch_home

SIZES = (100, 1000, 10000)
SCRIPT_RUNS = 5
FARM_TASKS = 1000
FARM_RUNS = 3


def build_job(tasks: int, argv: Tuple[str, ...] = ("true",)) -> Any:
    import farmhand.api.tractor.author as author

    job = author.Job(title="bench {} tasks".format(tasks), serialsubtasks=1)
    per_group = 99  # 99 renders + 1 comp = 100 tasks a group
    made = 0
    group = 0
    while made < tasks:
        comp = job.newTask(title="comp {}".format(group), argv=list(argv))
        made += 1
        for frame in range(min(per_group, tasks - made)):
            comp.newTask(title="render {}.{}".format(group, frame), argv=list(argv))
            made += 1
        group += 1
    return job


def median_time(call: Callable[[], Any], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def script_costs() -> List[Dict[str, Any]]:
    from farmhand.farm.tractor.script import parse_job_script
    from farmhand.farm.tractor.translate import to_job_spec

    rows = []
    for size in SIZES:
        job = build_job(size)
        text = job.asTcl()
        tree = parse_job_script(text)
        rows.append(
            {
                "tasks": size,
                "bytes": len(text.encode("utf-8")),
                "asTcl": median_time(job.asTcl, SCRIPT_RUNS),
                "parse": median_time(lambda text=text: parse_job_script(text), SCRIPT_RUNS),
                "translate": median_time(lambda tree=tree: to_job_spec(tree), SCRIPT_RUNS),
            }
        )
    return rows


def _wait(session: requests.Session, url: str, jid: str, timeout: float = 600) -> Dict[str, Any]:
    deadline = time.monotonic() + timeout
    revision = -1
    while True:
        reply = session.get(
            "{}/api/v1/jobs/{}".format(url, jid),
            params={"wait": 20, "revision": revision},
            timeout=60,
        )
        reply.raise_for_status()
        job: Dict[str, Any] = reply.json()["data"]
        if job["status"] in ("success", "failed", "killed"):
            return job
        if time.monotonic() > deadline:
            raise RuntimeError("job {} did not finish: {}".format(jid, job))
        revision = job["revision"]


def farm_runs(url: str, key: str) -> Dict[str, List[float]]:
    from farmhand.farm import control
    from farmhand.farm.tractor.script import parse_job_script
    from farmhand.farm.tractor.translate import to_job_spec

    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + control.get_token(url, key)
    instance_type = session.get(url + "/api/v1/instance-types", timeout=60).json()["data"][0][
        "name"
    ]
    job = build_job(FARM_TASKS)
    spec = to_job_spec(parse_job_script(job.asTcl()))
    payload = {
        "job_title": "bench json",
        "project": "default",
        "instance_type": instance_type,
        "output_path": "",
        "tasks_data": [
            {
                "command": list(t.commands[0].argv),
                "depends_on": list(t.depends_on),
                "title": t.title,
            }
            for t in spec.tasks
        ],
    }
    body = json.dumps(payload)
    results: Dict[str, List[float]] = {
        "spool_answer": [],
        "spool_done": [],
        "json_answer": [],
        "json_done": [],
    }
    for _ in range(FARM_RUNS):
        start = time.perf_counter()
        jid = str(job.spool())
        results["spool_answer"].append(time.perf_counter() - start)
        assert _wait(session, url, jid)["status"] == "success"
        results["spool_done"].append(time.perf_counter() - start)

        start = time.perf_counter()
        reply = session.post(url + "/jobs/", data=body, timeout=600)
        results["json_answer"].append(time.perf_counter() - start)
        assert reply.status_code == 201, reply.text
        assert _wait(session, url, reply.json()["jobid"])["status"] == "success"
        results["json_done"].append(time.perf_counter() - start)
    return results


def main() -> Dict[str, Any]:
    from farmhand.api.tractor.author import engine
    from farmhand.farm import control
    from farmhand.farm.paths import FarmPaths

    rows = script_costs()
    os.environ.pop("TRACTOR_ENGINE", None)
    with scratch_home("farmhand-bench-tractor-") as scratch:
        paths = FarmPaths(os.path.join(scratch, "home", "farm")).ensure()
        with open(paths.config, "w") as handle:
            json.dump({"probe_software": False}, handle)
        try:
            url, key = control.start(paths=paths)
            farm = farm_runs(url, key)
        finally:
            engine.closeEngineClient()
            control.stop(paths)

    print("Job scripts: write, read, translate (median of {} runs)".format(SCRIPT_RUNS))
    print("| tasks | script | asTcl | parse | translate | parse per task |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print(
            "| {:,} | {:,} KiB | {:.3f} s | {:.3f} s | {:.3f} s | {:.0f} us |".format(
                row["tasks"],
                row["bytes"] // 1024,
                row["asTcl"],
                row["parse"],
                row["translate"],
                row["parse"] / row["tasks"] * 1e6,
            )
        )
    print()
    print(
        "{:,} `true` tasks (serial groups of 100) on the local farm, 2 slots (median of {}"
        " runs)".format(FARM_TASKS, FARM_RUNS)
    )
    print("| step | Tractor spool | JSON payload | ratio |")
    print("|---|---|---|---|")
    for label, name in (("farm answered", "answer"), ("every task done", "done")):
        spool = statistics.median(farm["spool_" + name])
        payload = statistics.median(farm["json_" + name])
        print(
            "| {} | {:.3f} s | {:.3f} s | {:.2f}x |".format(label, spool, payload, spool / payload)
        )
    sys.stdout.flush()
    return {"scripts": rows, "farm": farm}


if __name__ == "__main__":
    main()
