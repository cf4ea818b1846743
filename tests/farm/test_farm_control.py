"""Scouts, releases, retries, kill and dependencies: the job lifecycle actions."""

import time

import pytest


def process_gone(pid, timeout=10.0):
    """True once ``pid`` no longer runs (gone, or a zombie waiting for init)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open("/proc/{}/stat".format(pid)) as handle:
                if ") Z " in handle.read():
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.02)
    return False


def statuses(farm, jid):
    return [t["status"] for t in farm.tasks(jid)]


def test_scout_tasks_run_first_and_the_others_are_held_until_released(farm, tmp_path):
    trace = tmp_path / "trace"
    tasks = [
        {"command": "echo $FARMHAND_FRAMES >> {}".format(trace), "frames": "{}-{}".format(i, i + 1)}
        for i in range(1, 10, 2)
    ]
    jid = farm.submit(payload=farm.payload(tasks, scout_frames="1,8"))
    job = farm.wait(jid, until=("holding",))
    assert statuses(farm, jid) == ["success", "held", "held", "success", "held"]
    assert [t["scout"] for t in farm.tasks(jid)] == [True, False, False, True, False]
    assert job["tasks"] == {
        "held": 3,
        "waiting": 0,
        "pending": 0,
        "running": 0,
        "success": 2,
        "failed": 0,
        "killed": 0,
    }
    assert sorted(trace.read_text().split()) == ["1-2", "7-8"]
    reply = farm.post("/api/v1/jobs/{}/release".format(jid))
    assert reply.status_code == 200
    assert farm.wait(jid)["status"] == "success"
    assert sorted(trace.read_text().split()) == ["1-2", "3-4", "5-6", "7-8", "9-10"]


def test_release_through_jobs_multi(farm):
    jid = farm.submit(
        payload=farm.payload(
            [{"command": "true", "frames": str(i)} for i in (1, 2, 3)], scout_frames="2"
        )
    )
    farm.wait(jid, until=("holding",))
    reply = farm.put("/jobs_multi", {"action": "release", "jobids": [jid]})
    assert reply.status_code == 200
    assert reply.json() == {
        "body": "success",
        "message": "Jobs ['{}'] have been released (2 tasks).".format(jid),
    }
    assert farm.wait(jid)["status"] == "success"


def test_auto_release_on_scout_success(farm):
    tasks = [{"command": "true", "frames": str(i)} for i in range(1, 6)]
    jid = farm.submit(
        payload=farm.payload(tasks, scout_frames="1,5", release_on_scout_success=True)
    )
    job = farm.wait(jid)
    assert job["status"] == "success" and job["release_on_scout_success"]
    assert job["tasks"]["success"] == 5


def test_no_auto_release_when_a_scout_fails(farm):
    tasks = [{"command": "exit 1" if i == 1 else "true", "frames": str(i)} for i in range(1, 4)]
    jid = farm.submit(payload=farm.payload(tasks, scout_frames="1", release_on_scout_success=True))
    job = farm.wait(jid, until=("holding",))
    assert statuses(farm, jid) == ["failed", "held", "held"]
    assert job["status"] == "holding"


def test_failed_tasks_are_retried_per_policy(farm, tmp_path):
    counter = tmp_path / "count"
    # Fails twice, then succeeds.
    command = (
        "n=$(cat {c} 2>/dev/null || echo 0); n=$((n+1)); echo $n > {c}; [ $n -ge 3 ]"
    ).format(c=counter)
    jid = farm.submit([command], autoretry_policy={"failed": {"max_retries": 2}})
    assert farm.wait(jid)["status"] == "success"
    task = farm.task(jid, "000")
    assert [a["outcome"] for a in task["attempts"]] == ["failed", "failed", "success"]
    assert [a["exit_code"] for a in task["attempts"]] == [1, 1, 0]
    assert task["attempts"][0]["log"].endswith("000.1.log")
    assert "[farmhand] exit code 1" in farm.log(jid, "000", attempt=1)


def test_retries_run_out(farm):
    jid = farm.submit(["exit 2"], autoretry_policy={"failed": {"max_retries": 1}})
    assert farm.wait(jid)["status"] == "failed"
    task = farm.task(jid, "000")
    assert task["status"] == "failed" and len(task["attempts"]) == 2


def test_kill_a_running_job_kills_its_process_tree(farm, tmp_path):
    child_pid = tmp_path / "child.pid"
    jid = farm.submit(
        ["sleep 300 & echo $! > {}; wait".format(child_pid), "sleep 300", "true", "true"]
    )
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 2)
    # The shell creates the file before it writes the pid: wait for the whole line (no job
    # change follows it, so not in the long poll above).
    deadline = time.monotonic() + 30
    while not (child_pid.exists() and child_pid.read_text().endswith("\n")):
        assert time.monotonic() < deadline, "the task never wrote its child's pid"
        time.sleep(0.01)
    reply = farm.put("/jobs_multi", {"action": "kill", "jobids": [jid]})
    assert reply.status_code == 200
    job = farm.wait(jid, until=("killed",), timeout=30)
    assert job["tasks"]["killed"] == 4
    task = farm.task(jid, "000")
    assert task["attempts"][0]["outcome"] == "killed"
    assert process_gone(int(child_pid.read_text()))


def test_kill_one_task_and_retry_it(farm):
    jid = farm.submit(["sleep 300", "true"])
    farm.wait(jid, predicate=lambda j: j["tasks"]["success"] == 1 and j["tasks"]["running"] == 1)
    reply = farm.put("/tasks_multi", {"action": "kill", "jobid": jid, "taskids": ["000"]})
    assert reply.status_code == 200
    assert reply.json()["message"] == " 1 Tasks set to 'kill'\n\t000"
    assert farm.wait(jid)["status"] == "killed"
    reply = farm.post("/api/v1/jobs/{}/tasks/000/retry".format(jid))
    assert reply.status_code == 200
    assert reply.json()["data"]["status"] in ("pending", "running")
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 1)
    farm.post("/api/v1/jobs/{}/tasks/000/kill".format(jid))
    assert farm.wait(jid)["status"] == "killed"
    assert [a["outcome"] for a in farm.task(jid, "000")["attempts"]] == ["killed", "killed"]


def test_retry_a_failed_job(farm, tmp_path):
    flag = tmp_path / "fixed"
    jid = farm.submit(["[ -e {} ]".format(flag), "true"])
    assert farm.wait(jid)["status"] == "failed"
    flag.write_text("now it works")
    reply = farm.put("/jobs_multi", {"action": "retry", "jobids": [jid]})
    assert reply.status_code == 200
    assert farm.wait(jid)["status"] == "success"
    assert len(farm.task(jid, "000")["attempts"]) == 2
    assert len(farm.task(jid, "001")["attempts"]) == 1


@pytest.mark.parametrize(
    "action, path, body, status, message",
    [
        (
            "retry",
            "/api/v1/jobs/{jid}/retry",
            None,
            409,
            "job {jid} has no failed or killed tasks to retry (its status is success)",
        ),
        (
            "retry",
            "/api/v1/jobs/{jid}/tasks/000/retry",
            None,
            409,
            "task {jid}:000 is success; only failed or killed tasks can be retried",
        ),
        (
            "kill",
            "/api/v1/jobs/{jid}/tasks/000/kill",
            None,
            409,
            "task {jid}:000 already ended (success); nothing to kill",
        ),
        (
            "bogus",
            "/api/v1/jobs/{jid}/bogus",
            None,
            400,
            "unknown action 'bogus'; valid actions: kill, retry, release",
        ),
    ],
)
def test_actions_that_do_not_apply(farm, action, path, body, status, message):
    jid = farm.submit(["true"])
    farm.wait(jid)
    reply = farm.post(path.format(jid=jid), body)
    assert reply.status_code == status
    assert reply.json()["error"] == message.format(jid=jid)


def test_multi_actions_validate_their_bodies(farm):
    reply = farm.put("/jobs_multi", {"action": "explode", "jobids": ["1"]})
    assert reply.json() == {
        "error": "unknown action 'explode'; valid actions: kill, retry, release",
        "field": "action",
    }
    reply = farm.put("/jobs_multi", {"action": "kill", "jobids": []})
    assert reply.json() == {"error": "expected a non-empty list of ids, got []", "field": "jobids"}
    reply = farm.put("/jobs_multi", {"action": "kill", "jobids": ["00042"]})
    assert reply.status_code == 404 and reply.json()["error"] == "no job 00042"
    reply = farm.put("/tasks_multi", {"action": "release", "jobid": "1", "taskids": ["0"]})
    assert reply.json()["error"] == "unknown action 'release'; valid actions: kill, retry"


def test_dependencies_run_children_first_and_in_parallel(farm, tmp_path):
    trace = tmp_path / "trace"

    def step(name, delay=0.0):
        return "sleep {}; echo {} >> {}".format(delay, name, trace)

    tasks = [
        {"command": step("leaf-a", 0.2)},
        {"command": step("leaf-b", 0.2)},
        {"command": step("parent"), "depends_on": [0, 1]},
        {"command": step("grandparent"), "depends_on": [2]},
    ]
    jid = farm.submit(payload=farm.payload(tasks))
    assert farm.wait(jid)["status"] == "success"
    lines = trace.read_text().split()
    assert sorted(lines[:2]) == ["leaf-a", "leaf-b"] and lines[2:] == ["parent", "grandparent"]
    assert farm.tasks(jid)[2]["depends_on"] == ["000", "001"]
    detail = {t["tid"]: t for t in farm.tasks(jid)}
    assert detail["002"]["started_at"] >= max(
        detail["000"]["completed_at"], detail["001"]["completed_at"]
    )


def test_a_failed_dependency_stops_its_dependents_and_fails_the_job(farm):
    tasks = [{"command": "exit 1"}, {"command": "true", "depends_on": [0]}, {"command": "true"}]
    jid = farm.submit(payload=farm.payload(tasks))
    assert farm.wait(jid)["status"] == "failed"
    assert statuses(farm, jid) == ["failed", "waiting", "success"]


def test_kill_answers_once_the_tasks_have_ended_so_retry_can_follow_at_once(farm):
    # A task that ignores SIGTERM: the kill waits for the SIGKILL after the grace period
    # would be too slow for a test, so this one exits on TERM like renderers do.
    jid = farm.submit(["trap 'exit 143' TERM; sleep 300 & wait", "sleep 300"])
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 2)
    reply = farm.put("/jobs_multi", {"action": "kill", "jobids": [jid]})
    assert reply.status_code == 200
    # No waiting here: the kill's answer means the tasks are recorded as ended.
    assert farm.job(jid)["tasks"]["killed"] == 2
    reply = farm.put("/jobs_multi", {"action": "retry", "jobids": [jid]})
    assert reply.status_code == 200, reply.text
    reply = farm.post("/api/v1/jobs/{}/tasks/001/kill".format(jid))
    assert reply.status_code == 200
    assert reply.json()["data"]["status"] == "killed"
    farm.put("/jobs_multi", {"action": "kill", "jobids": [jid]})
