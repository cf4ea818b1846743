"""What reaching a running local farm costs the clients that do not import it.

A ``farmhand submit`` or a script's ``Job.spool()`` first has to find the farm on this
workstation (its URL and key) and get a token before it sends anything. Cases, with one farm
already running in a scratch ``FARMHAND_HOME`` (medians of ``RUNS``):

1. ``farmhand submit JOBFILE`` (one ``true`` task, no uploads): the whole command, wall clock,
   interpreter start and imports included: what a user waits for in a shell.
2. ``connect("local")`` and a token, in a fresh process, timed around those calls only
   (imports excluded): what the seed API (``Submit(args).main()``) and the submitter pay.
3. ``Job.spool()`` of a one-task job in a fresh process, timed around the call only.
4. ``Job.spool()`` again in the same process (what a script spooling many jobs pays each).

Run: ``.venv/bin/python -m bench.local_farm_reach`` (or ``make bench``).
"""

import json
import os
import statistics
import subprocess
import sys
import time
from typing import Any, Dict, List

from bench.scratch_home import scratch_home

RUNS = 9

_REACH = r"""
import json, time
from farmhand.core.connectors import connect
import farmhand.core.connectors.conductor.connector  # imports outside the timing
start = time.perf_counter()
with connect("local") as client:
    client.http.token()
    seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds}))
"""

_SPOOL = r"""
import json, time
import farmhand.api.tractor.author as author
import farmhand.api.tractor.author.engine  # imports outside the timing
job = author.Job(title="bench spool", priority=1)
job.newTask(title="t", argv=["true"])
start = time.perf_counter()
job.spool()
first = time.perf_counter() - start
start = time.perf_counter()
job.spool()
again = time.perf_counter() - start
print(json.dumps({"first": first, "again": again}))
"""


def _last_json(command: List[str], env: Dict[str, str]) -> Dict[str, Any]:
    out = subprocess.check_output(command, env=env, timeout=300)
    result: Dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


def main() -> Dict[str, Any]:
    from farmhand.farm import control
    from farmhand.farm.paths import FarmPaths

    results: Dict[str, List[float]] = {"submit": [], "reach": [], "spool": [], "spool_again": []}
    with scratch_home("farmhand-bench-reach-") as scratch:
        env = dict(os.environ)
        for name in ("CONDUCTOR_URL", "CONDUCTOR_API_KEY", "CONDUCTOR_API_KEY_PATH"):
            env.pop(name, None)
        env.pop("TRACTOR_ENGINE", None)
        paths = FarmPaths(os.path.join(env["FARMHAND_HOME"], "farm"))
        os.makedirs(paths.root, mode=0o700)
        with open(paths.config, "w") as handle:
            json.dump({"probe_software": False}, handle)
        jobfile = os.path.join(scratch, "reach.json")
        with open(jobfile, "w") as handle:
            job = {
                "task_template": "true",
                "frames": "1",
                "scout_frames": "",
                "instance_type": "standard-1",
                "output_path": os.path.join(scratch, "out"),
            }
            json.dump(job, handle)
        try:
            control.start(paths=paths)
            for _ in range(RUNS):
                start = time.perf_counter()
                subprocess.check_call(
                    [sys.executable, "-m", "farmhand", "submit", jobfile],
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                    timeout=300,
                )
                results["submit"].append(time.perf_counter() - start)
                reach = _last_json([sys.executable, "-c", _REACH], env)
                results["reach"].append(reach["seconds"])
                spool = _last_json([sys.executable, "-c", _SPOOL], env)
                results["spool"].append(spool["first"])
                results["spool_again"].append(spool["again"])
        finally:
            control.stop(paths)

    print("Reaching a running local farm (median of {} runs)".format(RUNS))
    print("| case | median | min | max |")
    print("|---|---|---|---|")
    for label, name in (
        ("`farmhand submit` (whole command)", "submit"),
        ('`connect("local")` + token, fresh process', "reach"),
        ("`Job.spool()`, fresh process", "spool"),
        ("`Job.spool()` again, same process", "spool_again"),
    ):
        values = results[name]
        print(
            "| {} | {:.3f} s | {:.3f} s | {:.3f} s |".format(
                label, statistics.median(values), min(values), max(values)
            )
        )
    sys.stdout.flush()
    return results


if __name__ == "__main__":
    main()
