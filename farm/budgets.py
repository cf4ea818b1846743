"""Budgets: a limit on the measured core-seconds of a group of a job's tasks, and what to do
when it is reached (stop, suspend or alert).

A payload may carry ``budgets`` (a Farmhand addition, see docs/protocol.md): each names a
range of task indices, a limit in core-seconds and an action. Core-seconds are what the farm
measures itself: every attempt's run time (from its start to its end, or to now while it
runs) times the cores of the instance type the group asked for. The check runs on the event
loop every ``CHECK_INTERVAL`` seconds, so a limit is overshot by at most that long times the
group's running tasks; it reads the attempts from the record, so retries and runs before a
farm restart count too.

* ``stop``: every task of the group that has not ended is killed (running ones too);
* ``suspend``: running tasks finish, the ones that have not started are killed;
* ``alert``: nothing is stopped; the farm's log and the budget's record say it was reached.

A reached budget is recorded (``budget_triggers``) and acts once; a task the user retries
afterwards runs. Budgets are read from the jobs' stored payloads: those of new jobs as they
arrive, those of unfinished jobs when the farm starts.
"""

import asyncio
import json
import logging
import math
import time
from typing import Any, Dict, List, NamedTuple, Optional, Tuple

from farmhand.core.catalogue import Catalogue
from farmhand.farm.errors import RequestError
from farmhand.farm.model import FINISHED, HELD, PENDING, RUNNING, WAITING, job_id_text
from farmhand.farm.payload_values import describe

log = logging.getLogger("farmhand.farm")

ACTIONS = ("stop", "suspend", "alert")
MAX_BUDGETS = 10_000
CHECK_INTERVAL = 0.5

SCHEMA = """
CREATE TABLE IF NOT EXISTS budget_triggers (
    job_id INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    action TEXT NOT NULL,
    consumed REAL NOT NULL,
    triggered_at REAL NOT NULL,
    PRIMARY KEY (job_id, idx)
) WITHOUT ROWID;
"""
TRIGGER_INSERT = (
    "INSERT OR REPLACE INTO budget_triggers(job_id, idx, action, consumed, triggered_at) "
    "VALUES (?, ?, ?, ?, ?)"
)


class Budget(NamedTuple):
    number: int  # its place in the payload's list
    name: str
    first: int  # first task index of the group
    stop: int  # one past its last task index
    instance_type: str
    cores: int
    core_seconds: float
    action: str

    def to_json(self) -> Dict[str, Any]:
        return {
            "index": self.number,
            "name": self.name,
            "tasks": [self.first, self.stop],
            "instance_type": self.instance_type,
            "cores": self.cores,
            "core_seconds": self.core_seconds,
            "action": self.action,
        }


def parse_budgets(
    value: Any, catalogue: Catalogue, task_count: int, instance_type: str
) -> List[Budget]:
    """The payload's ``budgets`` checked against the job (a 400 naming the bad part)."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise RequestError(
            "expected a list of {{tasks, core_seconds, action}} objects, got {}".format(
                describe(value)
            ),
            field="budgets",
        )
    if len(value) > MAX_BUDGETS:
        raise RequestError(
            "has {} budgets; the limit is {}".format(len(value), MAX_BUDGETS), field="budgets"
        )
    cores = {item.name: item.cores for item in catalogue.instance_types}
    return [
        _budget(item, index, cores, task_count, instance_type) for index, item in enumerate(value)
    ]


def _budget(
    item: Any, index: int, cores: Dict[str, int], task_count: int, instance_type: str
) -> Budget:
    where = "budgets[{}]".format(index)
    if not isinstance(item, dict):
        raise RequestError("expected an object, got {}".format(describe(item)), field=where)
    action = item.get("action")
    if action not in ACTIONS:
        raise RequestError(
            "unknown action {}; valid actions: {}".format(describe(action), ", ".join(ACTIONS)),
            field=where + ".action",
        )
    limit = item.get("core_seconds")
    if (
        isinstance(limit, bool)
        or not isinstance(limit, (int, float))
        or not math.isfinite(limit)
        or limit <= 0
    ):
        raise RequestError(
            "expected a number of core-seconds above 0, got {}".format(describe(limit)),
            field=where + ".core_seconds",
        )
    tasks = item.get("tasks", [0, task_count])
    if (
        not isinstance(tasks, list)
        or len(tasks) != 2
        or not all(isinstance(t, int) and not isinstance(t, bool) for t in tasks)
        or not 0 <= tasks[0] < tasks[1] <= task_count
    ):
        raise RequestError(
            "expected [first, stop) task indices with 0 <= first < stop <= {} (the job has {}"
            " tasks), got {}".format(task_count, task_count, describe(tasks)),
            field=where + ".tasks",
        )
    shape = item.get("instance_type", instance_type)
    if shape not in cores:
        raise RequestError(
            "unknown instance type {}; this farm offers: {}".format(
                describe(shape), ", ".join(sorted(cores))
            ),
            field=where + ".instance_type",
        )
    name = item.get("name", "")
    if not isinstance(name, str) or len(name) > 1024:
        raise RequestError(
            "expected a name of at most 1024 characters, got {}".format(describe(name)),
            field=where + ".name",
        )
    return Budget(index, name, tasks[0], tasks[1], shape, cores[shape], float(limit), action)


def seconds_by_task(db: Any, job_id: int, now: float) -> Dict[int, float]:
    """Run time of every attempt of the job, summed per task (a running one until ``now``)."""
    rows = db.conn.execute(
        "SELECT idx, SUM(MAX(0, COALESCE(completed_at, ?) - started_at)) FROM attempts "
        "WHERE job_id = ? GROUP BY idx",
        (now, job_id),
    )
    return {int(idx): float(total or 0.0) for idx, total in rows}


def consumed(budget: Budget, seconds: Dict[int, float]) -> float:
    total = sum(s for idx, s in seconds.items() if budget.first <= idx < budget.stop)
    return total * budget.cores


class BudgetWatch:
    """Checks the budgets of the farm's unfinished jobs and acts on the ones reached."""

    def __init__(self, farm: Any, catalogue: Catalogue) -> None:
        self.farm = farm
        self.catalogue = catalogue
        self.budgets: Dict[int, List[Budget]] = {}
        self.triggered: Dict[int, Dict[int, float]] = {}  # job -> budget index -> time
        self.last_job_id = 0
        self._task: Optional["asyncio.Task[None]"] = None
        farm.db.conn.executescript(SCHEMA)

    # -- which jobs have budgets ------------------------------------------------------------

    def _read(self, rows: Any) -> None:
        for row in rows:
            job_id = int(row[0])
            self.last_job_id = max(self.last_job_id, job_id)
            if row[2] is None:
                continue
            try:
                budgets = parse_budgets(
                    json.loads(row[2]), self.catalogue, int(row[3]), str(row[1])
                )
            except (RequestError, ValueError) as error:  # accepted once; the catalogue changed
                log.error("job %s: its budgets cannot be used: %s", job_id_text(job_id), error)
                continue
            if budgets:
                self.budgets[job_id] = budgets
                self.triggered[job_id] = {
                    int(r[0]): float(r[1])
                    for r in self.farm.db.conn.execute(
                        "SELECT idx, triggered_at FROM budget_triggers WHERE job_id = ?",
                        (job_id,),
                    )
                }

    def load_unfinished(self) -> None:
        self._read(
            self.farm.db.conn.execute(
                "SELECT id, instance_type, json_extract(payload, '$.budgets'), task_count "
                "FROM jobs WHERE status NOT IN ('success', 'failed', 'killed') ORDER BY id"
            ).fetchall()
        )
        row = self.farm.db.conn.execute("SELECT MAX(id) FROM jobs").fetchone()
        self.last_job_id = max(self.last_job_id, int(row[0] or 0))

    def _read_new(self) -> None:
        self._read(
            self.farm.db.conn.execute(
                "SELECT id, instance_type, json_extract(payload, '$.budgets'), task_count "
                "FROM jobs WHERE id > ? ORDER BY id",
                (self.last_job_id,),
            ).fetchall()
        )

    # -- checking ---------------------------------------------------------------------------

    def check(self) -> None:
        self.farm.flush()
        self._read_new()
        now = time.time()
        for job_id, budgets in self.budgets.items():
            job = self.farm.loaded.get(job_id)
            if job is None:
                continue  # finished (unloaded); a retry loads it again
            done = self.triggered[job_id]
            if len(done) == len(budgets):
                continue
            seconds = seconds_by_task(self.farm.db, job_id, now)
            for budget in budgets:
                if budget.number in done:
                    continue
                used = consumed(budget, seconds)
                if used >= budget.core_seconds:
                    self._trigger(job, budget, used, now)
                    done[budget.number] = now

    def _trigger(self, job: Any, budget: Budget, used: float, now: float) -> None:
        stoppable: Tuple[str, ...] = ()
        if budget.action == "stop":
            stoppable = (HELD, WAITING, PENDING, RUNNING)
        elif budget.action == "suspend":
            stoppable = (HELD, WAITING, PENDING)
        stopped = 0
        for task in job.tasks[budget.first : budget.stop]:
            if task.status in stoppable and task.status not in FINISHED:
                stopped += self.farm.actions.kill_task(job.id, task.index)
        self.farm.record.op(TRIGGER_INSERT, (job.id, budget.number, budget.action, used, now))
        self.farm.record.touch_job(job)
        log.warning(
            "job %s: budget %d%s reached: %.1f of %.1f core-seconds used; %s (%d task(s)"
            " stopped)",
            job.jid,
            budget.number,
            " ({})".format(budget.name) if budget.name else "",
            used,
            budget.core_seconds,
            budget.action,
            stopped,
        )

    async def run(self) -> None:
        while True:
            await asyncio.sleep(CHECK_INTERVAL)
            try:
                self.check()
            except Exception:  # noqa: BLE001 - a bad check must not stop the next ones
                log.exception("checking budgets failed")

    def start(self) -> None:
        self.load_unfinished()
        self._task = asyncio.ensure_future(self.run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None

    # -- reading ----------------------------------------------------------------------------

    def report(self, job_id: int, row: Any) -> List[Dict[str, Any]]:
        """Every budget of the job with what it used so far and whether it was reached."""
        self.farm.flush()
        budgets = self.budgets.get(job_id)
        if budgets is None:
            stored = json.loads(row["payload"]).get("budgets")
            try:
                budgets = parse_budgets(
                    stored, self.catalogue, row["task_count"], row["instance_type"]
                )
            except RequestError:
                budgets = []
        triggers = {
            int(r["idx"]): r
            for r in self.farm.db.conn.execute(
                "SELECT idx, action, consumed, triggered_at FROM budget_triggers "
                "WHERE job_id = ?",
                (job_id,),
            )
        }
        seconds = seconds_by_task(self.farm.db, job_id, time.time())
        result = []
        for budget in budgets:
            entry = budget.to_json()
            trigger = triggers.get(budget.number)
            entry["consumed_core_seconds"] = round(consumed(budget, seconds), 6)
            entry["reached"] = trigger is not None
            entry["reached_at"] = None if trigger is None else trigger["triggered_at"]
            entry["consumed_when_reached"] = None if trigger is None else trigger["consumed"]
            result.append(entry)
        return result

    def usage(self) -> Dict[str, Any]:
        """Core-seconds every attempt on this farm has used so far, by instance type."""
        self.farm.flush()
        cores = {item.name: item.cores for item in self.catalogue.instance_types}
        rows = self.farm.db.conn.execute(
            "SELECT j.instance_type, SUM(MAX(0, COALESCE(a.completed_at, ?) - a.started_at)) "
            "FROM attempts a JOIN jobs j ON j.id = a.job_id GROUP BY j.instance_type",
            (time.time(),),
        ).fetchall()
        by_type = {}
        total = 0.0
        for shape, seconds in rows:
            used = float(seconds or 0.0) * cores.get(shape, 1)
            by_type[shape] = round(used, 6)
            total += used
        return {"core_seconds": round(total, 6), "by_instance_type": by_type}
