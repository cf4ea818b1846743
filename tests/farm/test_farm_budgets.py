"""Budgets on measured core-seconds (farm/budgets.py): checked payloads, and stop, suspend and
alert acting on a real farm's tasks."""

import pytest

from farmhand.core.catalogue import Catalogue, InstanceType
from farmhand.core.errors import InputError
from farmhand.farm.budgets import consumed, parse_budgets

CATALOGUE = Catalogue(
    projects=("default",),
    instance_types=(InstanceType("standard-1", 1, 3.75), InstanceType("standard-2", 2, 7.5)),
)

pytestmark = pytest.mark.timeout(120)


def test_budgets_are_read_with_their_defaults():
    budgets = parse_budgets(
        [
            {"core_seconds": 10, "action": "stop"},
            {
                "tasks": [1, 3],
                "core_seconds": 2.5,
                "action": "alert",
                "instance_type": "standard-2",
                "name": "comp",
            },
        ],
        CATALOGUE,
        4,
        "standard-1",
    )
    assert [(b.first, b.stop, b.cores, b.core_seconds, b.action) for b in budgets] == [
        (0, 4, 1, 10.0, "stop"),
        (1, 3, 2, 2.5, "alert"),
    ]
    assert budgets[1].to_json()["name"] == "comp"
    # core-seconds count the group's tasks only, times the group's cores
    assert consumed(budgets[1], {0: 100.0, 1: 1.5, 2: 2.0, 3: 50.0}) == 7.0


@pytest.mark.parametrize(
    "value, field, message",
    [
        ({"core_seconds": 1}, "budgets", "expected a list of {tasks, core_seconds, action}"),
        ([7], "budgets[0]", "expected an object, got 7"),
        (
            [{"core_seconds": 1, "action": "pause"}],
            "budgets[0].action",
            "unknown action 'pause'; valid actions: stop, suspend, alert",
        ),
        (
            [{"core_seconds": 0, "action": "stop"}],
            "budgets[0].core_seconds",
            "expected a number of core-seconds above 0, got 0",
        ),
        (
            [{"core_seconds": "5", "action": "stop"}],
            "budgets[0].core_seconds",
            "expected a number of core-seconds above 0, got '5'",
        ),
        (
            [{"core_seconds": float("inf"), "action": "stop"}],
            "budgets[0].core_seconds",
            "expected a number of core-seconds above 0, got inf",
        ),
        (
            [{"core_seconds": 1, "action": "stop", "tasks": [2, 9]}],
            "budgets[0].tasks",
            "expected [first, stop) task indices with 0 <= first < stop <= 4 (the job has 4"
            " tasks), got [2, 9]",
        ),
        (
            [{"core_seconds": 1, "action": "stop", "tasks": [3, 3]}],
            "budgets[0].tasks",
            "got [3, 3]",
        ),
        (
            [{"core_seconds": 1, "action": "stop", "instance_type": "gpu-8"}],
            "budgets[0].instance_type",
            "unknown instance type 'gpu-8'; this farm offers: standard-1, standard-2",
        ),
        (
            [{"core_seconds": 1, "action": "stop", "name": 3}],
            "budgets[0].name",
            "expected a name of at most 1024 characters, got 3",
        ),
    ],
)
def test_bad_budgets_name_the_field(value, field, message):
    with pytest.raises(InputError) as caught:
        parse_budgets(value, CATALOGUE, 4, "standard-1")
    assert caught.value.field == field
    assert message in caught.value.message


def test_a_bad_budget_is_refused_at_submit(farm):
    reply = farm.post(
        "/jobs/",
        farm.payload(["true"], budgets=[{"core_seconds": 1, "action": "halt"}]),
    )
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "unknown action 'halt'; valid actions: stop, suspend, alert",
        "field": "budgets[0].action",
    }
    assert farm.get("/api/v1/jobs").json()["data"] == []


def _budgets(farm, jid):
    reply = farm.get("/api/v1/jobs/{}/budgets".format(jid))
    reply.raise_for_status()
    return reply.json()["data"]


def _attempts(farm, jid):
    return [
        (task["tid"], attempt)
        for task in farm.tasks(jid)
        for attempt in farm.task(jid, task["tid"])["attempts"]
    ]


def test_stop_kills_every_task_of_the_group_once_the_budget_is_used(farm):
    jid = farm.submit(
        ["sleep 2"] * 6,
        instance_type="standard-1",
        budgets=[{"core_seconds": 1.0, "action": "stop", "name": "render"}],
    )
    job = farm.wait(jid)
    assert job["status"] == "killed"
    (budget,) = _budgets(farm, jid)
    assert budget["reached"] is True
    assert budget["name"] == "render"
    assert budget["consumed_when_reached"] >= 1.0
    # nothing ran to its end, and nothing started once the budget was reached
    attempts = _attempts(farm, jid)
    assert attempts, "the first tasks ran"
    assert all(a["outcome"] == "killed" for _, a in attempts)
    assert all(a["started_at"] <= budget["reached_at"] for _, a in attempts)
    assert all(t["status"] == "killed" for t in farm.tasks(jid))


def test_suspend_lets_running_tasks_finish_and_stops_the_rest(farm):
    jid = farm.submit(
        ["sleep 1.5"] * 6,
        instance_type="standard-1",
        budgets=[{"core_seconds": 1.0, "action": "suspend"}],
    )
    farm.wait(jid)
    (budget,) = _budgets(farm, jid)
    assert budget["reached"] is True
    tasks = farm.tasks(jid)
    started = [t for t in tasks if t["attempts"]]
    assert started and all(t["status"] == "success" for t in started)
    assert [t["status"] for t in tasks if not t["attempts"]] == ["killed"] * (
        len(tasks) - len(started)
    )
    assert len(started) < len(tasks)


def test_alert_stops_nothing_and_says_so_in_the_log(farm):
    jid = farm.submit(
        ["sleep 0.4"] * 3,
        instance_type="standard-2",
        budgets=[{"core_seconds": 0.5, "action": "alert"}],
    )
    assert farm.wait(jid)["status"] == "success"
    (budget,) = _budgets(farm, jid)
    farm.wait(jid, predicate=lambda job: _budgets(farm, jid)[0]["reached"])
    budget = _budgets(farm, jid)[0]
    assert budget["cores"] == 2
    seconds = sum(t["duration"] for t in farm.tasks(jid))
    assert budget["consumed_core_seconds"] == pytest.approx(2 * seconds, abs=0.01)
    with open(farm.paths.serve_log) as handle:
        log = handle.read()
    assert "job {}: budget 0 reached".format(jid) in log
    assert "; alert (0 task(s) stopped)" in log


def test_a_budget_counts_only_its_own_tasks(farm):
    jid = farm.submit(
        ["sleep 1", "sleep 1", "true", "true"],
        instance_type="standard-1",
        budgets=[
            {"tasks": [0, 2], "core_seconds": 0.5, "action": "stop"},
            {"tasks": [2, 4], "core_seconds": 1000, "action": "stop"},
        ],
    )
    farm.wait(jid)
    first, second = _budgets(farm, jid)
    assert first["reached"] is True and second["reached"] is False
    statuses = [t["status"] for t in farm.tasks(jid)]
    assert statuses[:2] == ["killed", "killed"]
    assert statuses[2:] == ["success", "success"]


def test_usage_adds_up_every_attempt(farm):
    jid = farm.submit(["sleep 0.3", "sleep 0.3"], instance_type="standard-2")
    farm.wait(jid)
    usage = farm.get("/api/v1/usage").json()["data"]
    seconds = sum(t["duration"] for t in farm.tasks(jid))
    assert usage["core_seconds"] == pytest.approx(2 * seconds, abs=0.01)
    assert usage["by_instance_type"] == {"standard-2": usage["core_seconds"]}


def test_budgets_of_an_unknown_job(farm):
    reply = farm.get("/api/v1/jobs/00042/budgets")
    assert reply.status_code == 404
    assert reply.json()["error"] == "no job 00042"


def test_a_dependent_task_starts_when_its_job_has_an_output_folder(farm, out_dir):
    """Found through the GridMarkets client's job dependencies: with an output folder a
    task's end is finalized after the scan of its files, past the dispatch its end asked
    for, and the task it freed stayed pending until something else happened on the farm."""
    jid = farm.submit(
        [
            {"command": "touch {}/a.0001.txt".format(out_dir), "frames": "1"},
            {"command": "true", "frames": "2", "depends_on": [0]},
        ],
        output_path=str(out_dir),
    )
    assert farm.wait(jid, timeout=30)["status"] == "success"
