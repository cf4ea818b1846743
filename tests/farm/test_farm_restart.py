"""Crashes and restarts: SIGKILL mid-job loses nothing; a clean stop requeues running tasks."""

import collections

import pytest

pytestmark = pytest.mark.timeout(180)


def long_tasks(trace, count, seconds):
    return [
        "sleep {}; echo $FARMHAND_TASK_ID:$FARMHAND_ATTEMPT >> {}".format(seconds, trace)
    ] * count


def check_record(farm, jid, count):
    """Every task succeeded once; attempts are the successes plus the preemptions."""
    tasks = farm.tasks(jid)
    assert [t["status"] for t in tasks] == ["success"] * count
    preempted = 0
    for task in tasks:
        outcomes = [a["outcome"] for a in farm.task(jid, task["tid"])["attempts"]]
        assert outcomes.count("success") == 1, (task["tid"], outcomes)
        assert outcomes[-1] == "success"
        assert set(outcomes[:-1]) <= {"preempted"}, outcomes
        assert [a["attempt"] for a in farm.task(jid, task["tid"])["attempts"]] == list(
            range(1, len(outcomes) + 1)
        )
        preempted += len(outcomes) - 1
    return preempted


def test_sigkill_mid_job_then_restart_completes_with_nothing_lost_or_duplicated(farm, tmp_path):
    trace = tmp_path / "trace"
    jid = farm.submit(long_tasks(trace, 6, 2))
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 2)
    old_pid = farm.pid
    farm.kill9()
    farm.restart()
    assert farm.pid != old_pid
    job = farm.wait(jid, timeout=120)
    assert job["status"] == "success"
    preempted = check_record(farm, jid, 6)
    assert preempted == 2  # the two tasks that were running when the farm died
    # The orphans of the killed farm were stopped on restart: each task wrote its line once,
    # from the attempt the record calls successful.
    lines = trace.read_text().split()
    per_task = collections.Counter(line.split(":")[0] for line in lines)
    assert per_task == {"{:03d}".format(i): 1 for i in range(6)}
    for task in farm.tasks(jid):
        assert "{}:{}".format(task["tid"], task["attempts"]) in lines


def test_sigkill_twice_uses_up_the_preempted_budget(farm, tmp_path):
    trace = tmp_path / "trace"
    jid = farm.submit(long_tasks(trace, 1, 30), autoretry_policy={"preempted": {"max_retries": 1}})
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 1)
    farm.kill9()
    farm.restart()
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 1)
    farm.kill9()
    farm.restart()
    assert farm.wait(jid)["status"] == "failed"
    task = farm.task(jid, "000")
    assert [a["outcome"] for a in task["attempts"]] == ["preempted", "preempted"]
    assert not trace.exists()


def test_clean_stop_requeues_running_tasks(farm, tmp_path):
    trace = tmp_path / "trace"
    jid = farm.submit(long_tasks(trace, 3, 1))
    farm.wait(jid, predicate=lambda j: j["tasks"]["running"] == 2)
    assert farm.stop()
    farm.restart()
    assert farm.wait(jid, timeout=60)["status"] == "success"
    assert check_record(farm, jid, 3) == 2


def test_submitted_job_survives_a_crash_before_it_ran(farm_factory, tmp_path):
    farm = farm_factory(slots=1)
    trace = tmp_path / "trace"
    gate = tmp_path / "gate"
    blocker = farm.submit(["while [ ! -e {} ]; do sleep 0.05; done".format(gate)])
    farm.wait(blocker, predicate=lambda j: j["tasks"]["running"] == 1)
    waiting = farm.submit(["echo ran >> {}".format(trace)] * 3)
    farm.kill9()
    gate.write_text("open")
    farm.restart()
    assert farm.wait(waiting)["status"] == "success"
    assert farm.wait(blocker)["status"] == "success"
    assert trace.read_text().split() == ["ran"] * 3
