"""The soak (issue 8): jobs of mixed sizes from several client processes at once, into a
real local farm that is killed with SIGKILL and restarted while they submit and run, with one
task in ten crashing. Afterwards ``soak_checks`` compares the clients' answers, a side file
every task attempt writes and the farm's SQLite record (see there for the claims).

``make test`` runs ``BOUNDED`` (tests/reliability/test_soak.py); ``make soak`` runs
``FULL`` (``python tests/support/soak.py --full``), the issue's 50 jobs from 4 clients with 3
kills. Both have the same shape; only the numbers differ.

How a task crashes: every ``crash_every``-th task of the plan (counted over all jobs) kills
its own shell with SIGKILL or exits with status 3 (alternately) the first time it gets past
its sleep; a marker directory (``mkdir`` is atomic) makes it crash once only. The farm
records that attempt as ``failed`` and retries it (``autoretry_policy.failed`` 1), so a
complete job is one whose every task ended ``success``, its crash on record. A task that
crashed every time would end ``failed`` after its retries, which the soak would report.

Between the clients and the farm sits ``faulty_proxy``: it loses the answers of a few job
requests after the farm created the job, and answers a few others 503 itself, so every
client meets lost answers and 5xx besides the dead farm.

When the farm is killed: the first kill once a third of the jobs are submitted (the clients
are still submitting: their requests meet a dead farm and are retried), the others once
1/kills, 2/kills... of the tasks have succeeded, each while tasks run (the restarted farm
must find and stop their orphaned processes and requeue them as preempted). The farm comes
back on the same port, as ``farmhand farm start`` brings it back on its last one.
"""

import argparse
import ast
import json
import os
import select
import shlex
import signal
import subprocess
import sys
import time

import soak_checks
from faulty_proxy import FaultyProxy

from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.farm import control
from farmhand.farm.paths import FarmPaths

HERE = os.path.dirname(os.path.abspath(__file__))

BOUNDED = {
    "jobs": 12,
    "clients": 4,
    "kills": 3,
    "slots": 2,
    "sizes": [1, 2, 4, 6],
    "seconds": [0.1, 0.3, 1.5],
    "crash_every": 10,
    "upload_every": 3,
    "gap": 0.3,
    "answers_dropped": 3,
    "answers_5xx": 3,
    "timeout": 240,
}
FULL = {
    "jobs": 50,
    "clients": 4,
    "kills": 3,
    "slots": 4,
    "sizes": [1, 2, 5, 10, 25, 40],
    "seconds": [0.1, 0.3, 0.6, 3.0],
    "crash_every": 10,
    "upload_every": 3,
    "gap": 0.5,
    "answers_dropped": 8,
    "answers_5xx": 8,
    "timeout": 1800,
}


def plan_jobs(settings, folder, instance_type):
    """The jobs (payload, title, tasks, crashing task indices), in submission order."""
    side = shlex.quote(os.path.join(folder, "side.log"))
    markers = os.path.join(folder, "crashed")
    os.makedirs(markers, exist_ok=True)
    inputs = os.path.join(folder, "inputs")
    os.makedirs(inputs, exist_ok=True)
    ids = '"$FARMHAND_JOB_ID" "$FARMHAND_TASK_ID" "$FARMHAND_ATTEMPT"'
    jobs = []
    counter = 0
    for k in range(settings["jobs"]):
        size = settings["sizes"][k % len(settings["sizes"])]
        seconds = settings["seconds"][k % len(settings["seconds"])]
        tasks, crashing = [], []
        for t in range(size):
            lines = [
                "printf 'run %s %s %s\\n' {} >> {}".format(ids, side),
                "sleep {}".format(seconds),
            ]
            if counter % settings["crash_every"] == settings["crash_every"] - 1:
                crashing.append(t)
                how = "kill -KILL $$" if (counter // settings["crash_every"]) % 2 == 0 else "exit 3"
                marker = shlex.quote(os.path.join(markers, "{}.{}".format(k, t)))
                lines.append(
                    "if mkdir {} 2>/dev/null; then printf 'crash %s %s %s\\n' {} >> {}; {};"
                    " fi".format(marker, ids, side, how)
                )
            lines.append("printf 'done %s %s %s\\n' {} >> {}".format(ids, side))
            tasks.append({"command": "; ".join(lines), "frames": str(t + 1)})
            counter += 1
        title = "soak job {:03d}".format(k)
        payload = {
            "job_title": title,
            "project": "default",
            "instance_type": instance_type,
            "output_path": "",
            "priority": k % 3,
            "tasks_data": tasks,
            "autoretry_policy": {
                "failed": {"max_retries": 1},
                "preempted": {"max_retries": settings["kills"] + 2},
            },
        }
        if settings["upload_every"] and k % settings["upload_every"] == 0:
            path = os.path.join(inputs, "job{:03d}.bin".format(k))
            with open(path, "wb") as handle:
                handle.write(os.urandom(1 + (k * 7919) % 65536))
            payload["upload_paths"] = [path]
        jobs.append({"title": title, "tasks": tasks, "crashing": crashing, "payload": payload})
    return jobs


class Soak(object):
    def __init__(self, folder, settings, log=print):
        self.folder = os.path.abspath(str(folder))
        self.settings = settings
        self.log = log
        self.paths = FarmPaths(os.path.join(self.folder, "home", "farm"))
        self.port = 0
        self.url = self.key = None
        self.clients = []
        self.kills = []
        self.proxy = None

    # -- the farm ---------------------------------------------------------------------------

    def start_farm(self):
        self.paths.ensure()
        with open(self.paths.config, "w") as handle:
            json.dump({"probe_software": False}, handle)
        started = time.monotonic()
        self.url, self.key = control.start(
            port=self.port or None, slots=self.settings["slots"], paths=self.paths
        )
        self.port = int(self.url.rsplit(":", 1)[1])
        return time.monotonic() - started

    def kill_farm(self):
        with open(self.paths.pid_file) as handle:
            pid = int(handle.read())
        pidfd = os.pidfd_open(pid)
        os.kill(pid, signal.SIGKILL)
        select.select([pidfd], [], [], 10)
        os.close(pidfd)
        deadline = time.monotonic() + 10
        while control.is_running(self.paths) and time.monotonic() < deadline:
            time.sleep(0.01)

    def progress(self):
        """(jobs submitted, tasks succeeded, tasks running), None while the farm is away."""
        try:
            data = control.status(self.paths)
        except Exception:  # noqa: BLE001 - starting or just killed: ask again later
            return None
        if data is None:
            return None
        return (
            sum(data["jobs"].values()),
            data["tasks"].get("success", 0),
            data["tasks"].get("running", 0),
        )

    # -- the clients ------------------------------------------------------------------------

    def start_clients(self, jobs):
        count = self.settings["clients"]
        for index in range(count):
            plan = {
                "url": self.proxy.url,
                "key": self.key,
                "gap": self.settings["gap"],
                "jobs": [{"payload": job["payload"]} for job in jobs[index::count]],
            }
            base = os.path.join(self.folder, "client{}".format(index))
            os.makedirs(base + "-home", exist_ok=True)
            with open(base + ".plan.json", "w") as handle:
                json.dump(plan, handle)
            env = dict(os.environ, FARMHAND_HOME=base + "-home", FARMHAND_COMMAND="false")
            with open(base + ".out", "wb") as out:
                process = subprocess.Popen(
                    [
                        sys.executable,
                        os.path.join(HERE, "soak_client.py"),
                        base + ".plan.json",
                        base + ".results.jsonl",
                    ],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=env,
                )
            self.clients.append((process, base))

    def client_results(self):
        results, requests, failures = [], {}, []
        for process, base in self.clients:
            if process.returncode != 0:
                with open(base + ".out", "rb") as handle:
                    tail = handle.read()[-600:].decode("utf-8", "replace")
                failures.append("client {} exited {}: {}".format(base, process.returncode, tail))
            try:
                with open(base + ".results.jsonl") as handle:
                    lines = [json.loads(line) for line in handle if line.strip()]
            except FileNotFoundError:
                lines = []
            for line in lines:
                if "requests" in line:
                    for name, value in line["requests"].items():
                        requests[name] = requests.get(name, 0) + value
                else:
                    results.append(line)
        return results, requests, failures

    # -- the run ----------------------------------------------------------------------------

    def triggers(self, total_tasks):
        """When each kill fires: (jobs submitted at least, tasks succeeded at least)."""
        kills = self.settings["kills"]
        marks = [(max(1, self.settings["jobs"] // 3), 0)]
        for j in range(1, kills):
            marks.append((0, int(total_tasks * j / kills)))
        return marks[:kills]

    def run(self):
        started = time.monotonic()
        deadline = started + self.settings["timeout"]
        problems = []
        jobs = []
        first_start = 0.0
        os.makedirs(self.folder, exist_ok=True)
        try:
            first_start = self.start_farm()
            probe = ConductorConnector(self.url, self.key, "soak farm")
            instance_type = probe.catalogue().instance_types[0].name
            probe.close()
            jobs = plan_jobs(self.settings, self.folder, instance_type)
            total_tasks = sum(len(job["tasks"]) for job in jobs)
            # The clients reach the farm through a proxy that loses some job answers after
            # the farm created the job and answers some job requests 503 itself.
            self.proxy = FaultyProxy(self.url)
            self.proxy.drop_answer("/jobs/", times=self.settings["answers_dropped"])
            self.proxy.fail("/jobs/", status=503, times=self.settings["answers_5xx"], method="POST")
            self.start_clients(jobs)
            marks = self.triggers(total_tasks)
            while marks and time.monotonic() < deadline:
                state = self.progress()
                if state is None:
                    time.sleep(0.05)
                    continue
                submitted, succeeded, running = state
                need_jobs, need_tasks = marks[0]
                if submitted >= need_jobs and succeeded >= need_tasks and running:
                    self.kill_farm()
                    restart = self.start_farm()
                    self.kills.append(
                        {
                            "at_seconds": round(time.monotonic() - started, 2),
                            "jobs_submitted": submitted,
                            "tasks_succeeded": succeeded,
                            "tasks_running": running,
                            "restart_seconds": round(restart, 2),
                        }
                    )
                    self.log("soak: kill {} {}".format(len(self.kills), self.kills[-1]))
                    marks.pop(0)
                elif submitted == len(jobs) and succeeded == total_tasks:
                    break
                time.sleep(0.05)
            if marks:
                problems.append("{} kills never happened (the work ended first)".format(len(marks)))
            for process, base in self.clients:
                try:
                    process.wait(max(1.0, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    problems.append("client {} still submitting at the deadline".format(base))
            # The clients are done: whatever they created ends (a job a client failed to
            # create is the checks' business, not something to wait for).
            while time.monotonic() < deadline:
                if self.all_final():
                    break
                time.sleep(0.2)
            else:
                problems.append("the jobs did not end within {} s".format(self.settings["timeout"]))
            control.stop(paths=self.paths)
        finally:
            for process, _ in self.clients:
                if process.poll() is None:
                    process.kill()
                    process.wait()
            if control.is_running(self.paths):
                control.stop(paths=self.paths)
            if self.proxy is not None:
                self.proxy.close()
        faults = {}
        for _, _, _, happened in self.proxy.requests("/jobs/", "POST") if self.proxy else []:
            faults[str(happened)] = faults.get(str(happened), 0) + 1
        results, requests, failures = self.client_results()
        figures, found = soak_checks.check(
            jobs, results, os.path.join(self.folder, "side.log"), self.paths.db
        )
        problems.extend(failures)
        problems.extend(found)
        submits = [r for r in results if "seconds" in r]
        figures.update(
            {
                "jobs_planned": len(jobs),
                "clients": self.settings["clients"],
                "slots": self.settings["slots"],
                "kills": self.kills,
                "first_start_seconds": round(first_start, 2),
                "client_requests": requests,
                "submits_started_again": sum(r["fresh_starts"] for r in submits),
                "slowest_submit_seconds": max([r["seconds"] for r in submits] or [0]),
                "files_uploaded": sum(r["uploaded_files"] for r in submits),
                "farm_recoveries": recoveries(self.paths.serve_log),
                "job_requests_at_the_proxy": faults,
                "run_seconds": round(time.monotonic() - started, 1),
            }
        )
        return figures, problems

    def all_final(self):
        try:
            data = control.status(self.paths)
        except Exception:  # noqa: BLE001
            return False
        if data is None:
            return False
        return set(data["jobs"]) <= {"success", "failed", "killed"}


def recoveries(serve_log):
    """What each restart's recovery did, summed from the farm's log lines."""
    totals = {}
    marker = "recovered after an interruption: "
    with open(serve_log, encoding="utf-8", errors="replace") as handle:
        for line in handle:
            if marker in line:
                counts = ast.literal_eval(line.split(marker, 1)[1].strip())
                for name, value in counts.items():
                    totals[name] = totals.get(name, 0) + value
    return totals


def run_soak(folder, settings, log=print):
    """Run one soak in ``folder``; returns ``(figures, problems)`` (no problems: it passed)."""
    return Soak(folder, settings, log).run()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="the issue's 50 jobs (make soak)")
    parser.add_argument("--folder", help="where the farm and the side file live (kept)")
    parser.add_argument("--json", help="write the figures and problems to this file")
    args = parser.parse_args(argv)
    settings = FULL if args.full else BOUNDED
    # Stopped with SIGTERM (a CI timeout): still stop the farm and the clients.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("soak: terminated"))
    folder = args.folder or os.path.join(
        os.environ.get("TMPDIR", "/tmp"), "farmhand-soak-{}".format(os.getpid())
    )
    print("soak: {} in {}".format("full" if args.full else "bounded", folder))
    figures, problems = run_soak(folder, settings)
    report = {"settings": settings, "figures": figures, "problems": problems}
    print(json.dumps(report, indent=2))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2)
    print("soak: {}".format("FAILED" if problems else "passed"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
