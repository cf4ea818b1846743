"""What the soak (``soak.py``) checks once its farm has stopped, and the figures it reports.

Three witnesses are compared: the clients' results (the job ids the farm answered), the side
file every task attempt appends to (``run``, then ``crash`` or ``done``, with the job, task
and attempt number the farm gave it), and the farm's own SQLite record (jobs, tasks,
attempts), read directly after the farm stopped. The claims:

- every planned job was submitted exactly once (its title once on the farm, the id the
  client got) and ended ``success`` with every task ``success``;
- nothing ran without a recorded attempt: each ``run`` line names an attempt the record
  holds, and no attempt number ran twice (a farm that lost the record of a start would give
  the next run the same number);
- each task's attempts are numbered 1..n with none left ``running``; the successful one
  wrote ``done``; every other attempt that wrote ``done`` is recorded ``preempted`` (it
  finished while the farm was dead, so the farm could not know); every injected crash is a
  ``failed`` attempt (or a ``preempted`` one when it happened while the farm was dead), and
  each crashing task crashed once;
- ``PRAGMA integrity_check`` answers ``ok``.
"""

import collections
import sqlite3


def read_side_file(path):
    """``{(kind, jid, tid, attempt): count}`` and the lines that could not be read."""
    counts = collections.Counter()
    bad = []
    try:
        with open(path) as handle:
            lines = handle.read().splitlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        parts = line.split()
        if len(parts) != 4 or parts[0] not in ("run", "done", "crash") or not parts[3].isdigit():
            bad.append(line)
            continue
        counts[(parts[0], parts[1], parts[2], int(parts[3]))] += 1
    return counts, bad


def read_record(db_path):
    """Jobs, tasks and attempts from the farm's database, and its integrity check."""
    conn = sqlite3.connect("file:{}?mode=ro".format(db_path), uri=True)
    conn.row_factory = sqlite3.Row
    try:
        integrity = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        jobs = [dict(row) for row in conn.execute("SELECT id, title, status FROM jobs")]
        tasks = [
            dict(row)
            for row in conn.execute("SELECT job_id, idx, status, attempts FROM tasks")
        ]
        attempts = [
            dict(row)
            for row in conn.execute(
                "SELECT job_id, idx, attempt, outcome, exit_code FROM attempts "
                "ORDER BY job_id, idx, attempt"
            )
        ]
    finally:
        conn.close()
    return integrity, jobs, tasks, attempts


def check(plan, results, side_path, db_path):
    """``(figures, problems)``: ``plan`` is the list of planned jobs (``title``, ``tasks``,
    ``crashing``: task indices that crash once), ``results`` the clients' result lines."""
    problems = []
    integrity, jobs, tasks, attempts = read_record(db_path)
    side, bad_lines = read_side_file(side_path)
    if integrity != ["ok"]:
        problems.append("PRAGMA integrity_check: {}".format("; ".join(integrity[:5])))
    if bad_lines:
        problems.append("side file lines not understood: {!r}".format(bad_lines[:3]))

    # Each planned job once on the farm, the id its client got, ended success.
    by_title = collections.defaultdict(list)
    for job in jobs:
        by_title[job["title"]].append(job)
    answered = {r["title"]: r for r in results if "title" in r}
    planned = {job["title"]: job for job in plan}
    jid_of = {}
    for title, job in planned.items():
        found = by_title.get(title, [])
        result = answered.get(title, {})
        if "error" in result:
            problems.append("{}: the client failed: {}".format(title, result["error"]))
        if len(found) != 1:
            problems.append("{}: {} jobs on the farm, expected 1".format(title, len(found)))
            continue
        jid = "{:05d}".format(found[0]["id"])
        jid_of[found[0]["id"]] = (jid, job)
        if result.get("job_id") not in (None, jid):
            problems.append(
                "{}: the client was answered job {}, the farm holds {}".format(
                    title, result.get("job_id"), jid
                )
            )
        if found[0]["status"] != "success":
            problems.append("{} (job {}): {}".format(title, jid, found[0]["status"]))
    strangers = sorted(t for t in by_title if t not in planned)
    if strangers:
        problems.append("jobs nobody planned: {}".format(strangers[:5]))

    # Tasks and their attempts against the side file.
    task_attempts = collections.defaultdict(list)
    for attempt in attempts:
        task_attempts[(attempt["job_id"], attempt["idx"])].append(attempt)
    recorded = set()
    outcomes = collections.Counter()
    finished_while_dead = 0
    crashed_while_dead = 0
    for task in tasks:
        if task["job_id"] not in jid_of:
            continue
        jid, job = jid_of[task["job_id"]]
        tid = "{:03d}".format(task["idx"])
        where = "job {} task {}".format(jid, tid)
        rows = task_attempts[(task["job_id"], task["idx"])]
        numbers = [row["attempt"] for row in rows]
        if task["status"] != "success":
            problems.append("{}: {}".format(where, task["status"]))
        if numbers != list(range(1, len(rows) + 1)) or task["attempts"] != len(rows):
            problems.append(
                "{}: attempts recorded {} but the task counts {}".format(
                    where, numbers, task["attempts"]
                )
            )
        successes = [row["attempt"] for row in rows if row["outcome"] == "success"]
        if len(successes) != 1:
            problems.append("{}: successful attempts {}".format(where, successes))
        failed = [row["attempt"] for row in rows if row["outcome"] == "failed"]
        crashes = [a for a in numbers if side[("crash", jid, tid, a)]]
        # A crash while the farm was dead is recorded as preempted: it could not see it.
        unseen = [
            row["attempt"]
            for row in rows
            if row["outcome"] == "preempted" and row["attempt"] in crashes
        ]
        crashed_while_dead += len(unseen)
        if task["idx"] in job["crashing"]:
            if len(crashes) != 1 or sorted(failed + unseen) != crashes:
                problems.append(
                    "{}: should crash once: crashed in attempts {}, failed attempts {}".format(
                        where, crashes, failed
                    )
                )
        elif failed or crashes:
            problems.append("{}: failed attempts {} without a crash planned".format(where, failed))
        for row in rows:
            outcomes[row["outcome"]] += 1
            recorded.add((jid, tid, row["attempt"]))
            done = side[("done", jid, tid, row["attempt"])]
            if row["outcome"] == "running":
                problems.append("{}: attempt {} still running".format(where, row["attempt"]))
            if row["outcome"] == "success" and done != 1:
                problems.append(
                    "{}: successful attempt {} wrote done {} times".format(
                        where, row["attempt"], done
                    )
                )
            elif row["outcome"] != "success" and done:
                if row["outcome"] == "preempted":
                    finished_while_dead += 1
                else:
                    problems.append(
                        "{}: attempt {} ({}) wrote done".format(
                            where, row["attempt"], row["outcome"]
                        )
                    )

    runs_without_record = []
    runs_twice = []
    for (kind, jid, tid, attempt), count in side.items():
        if kind != "run":
            continue
        if (jid, tid, attempt) not in recorded:
            runs_without_record.append((jid, tid, attempt))
        if count > 1:
            runs_twice.append((jid, tid, attempt, count))
    if runs_without_record:
        problems.append(
            "{} runs without a recorded attempt: {}".format(
                len(runs_without_record), sorted(runs_without_record)[:5]
            )
        )
    if runs_twice:
        problems.append(
            "{} attempt numbers ran more than once: {}".format(len(runs_twice), runs_twice[:5])
        )
    ran = {key[1:] for key in side if key[0] == "run"}
    figures = {
        "jobs_on_farm": len(jobs),
        "tasks": sum(len(job["tasks"]) for job in plan),
        "attempts": dict(sorted(outcomes.items())),
        "crashes_injected": sum(c for key, c in side.items() if key[0] == "crash"),
        "attempts_that_ran_commands": len(ran),
        # started, then stopped by a farm kill before the task's shell wrote its first line
        "attempts_recorded_but_never_ran": len(recorded - ran),
        "finished_while_the_farm_was_dead": finished_while_dead,
        "crashed_while_the_farm_was_dead": crashed_while_dead,
        "integrity_check": "; ".join(integrity),
    }
    return figures, problems
