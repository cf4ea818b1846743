"""A farm killed around a task's start: every run has a recorded attempt, none runs twice.

The fault points (``farm/fault_points.py``, armed with ``FARMHAND_FARM_FAULT``) make the farm
SIGKILL itself right after the attempts are committed (no process yet) and right after the
processes are spawned (their process ids not yet recorded). The restarted farm must close the
interrupted attempt as ``preempted``, stop any process of it still running before anything
runs again, and finish the task with every run on record.
"""

import os
import sqlite3
import subprocess
import sys
import time

import pytest

from farmhand.farm import control

pytestmark = pytest.mark.timeout(120)


def wait_until_dead(farm, timeout=30):
    deadline = time.monotonic() + timeout
    while control.is_running(farm.paths):
        assert time.monotonic() < deadline, "the armed farm did not kill itself"
        time.sleep(0.02)


def recorded_attempts(farm):
    """The attempts as the dead farm's database holds them (read directly, no farm)."""
    conn = sqlite3.connect("file:{}?mode=ro".format(farm.paths.db), uri=True)
    try:
        return conn.execute(
            "SELECT idx, attempt, outcome, pid FROM attempts ORDER BY idx, attempt"
        ).fetchall()
    finally:
        conn.close()


def alive(pid):
    """Running (a zombie left for a container's init to reap counts as gone)."""
    try:
        with open("/proc/{}/stat".format(pid)) as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def trace_task(trace, first_sleep):
    """Writes ``start:<attempt>:<pid>``; the first attempt then sleeps long, so it is still
    running when the farm restarts unless something stops it; then ``end:<attempt>``."""
    return (
        'echo "start:$FARMHAND_ATTEMPT:$$" >> {t}; '
        'if [ "$FARMHAND_ATTEMPT" = 1 ]; then sleep {s}; fi; '
        'echo "end:$FARMHAND_ATTEMPT" >> {t}'.format(t=trace, s=first_sleep)
    )


def test_killed_after_recording_before_spawning(farm_factory, tmp_path, monkeypatch):
    trace = tmp_path / "trace"
    monkeypatch.setenv("FARMHAND_FARM_FAULT", "after_record")
    farm = farm_factory(slots=1)
    reply = farm.post("/jobs/", farm.payload([trace_task(trace, 0)]))
    assert reply.status_code == 201, reply.text
    jid = reply.json()["jobid"]
    wait_until_dead(farm)
    # Committed before the spawn: the attempt is there, running, no process id; no run.
    assert recorded_attempts(farm) == [(0, 1, "running", None)]
    assert not trace.exists()
    monkeypatch.delenv("FARMHAND_FARM_FAULT")
    farm.restart()
    assert farm.wait(jid)["status"] == "success"
    attempts = farm.task(jid, "000")["attempts"]
    assert [(a["attempt"], a["outcome"]) for a in attempts] == [(1, "preempted"), (2, "success")]
    assert [line.split(":")[:2] for line in trace.read_text().split()] == [
        ["start", "2"],
        ["end", "2"],
    ]


def test_killed_after_spawning_before_the_pid_is_recorded(farm_factory, tmp_path, monkeypatch):
    trace = tmp_path / "trace"
    monkeypatch.setenv("FARMHAND_FARM_FAULT", "after_spawn")
    farm = farm_factory(slots=1)
    reply = farm.post("/jobs/", farm.payload([trace_task(trace, 60)]))
    assert reply.status_code == 201, reply.text
    jid = reply.json()["jobid"]
    wait_until_dead(farm)
    assert recorded_attempts(farm) == [(0, 1, "running", None)]
    # The orphan runs on (its own process group); wait until it has written its line.
    deadline = time.monotonic() + 30
    while not (trace.exists() and trace.read_text().endswith("\n")):
        assert time.monotonic() < deadline, "the spawned task never wrote its start"
        time.sleep(0.02)
    orphan = int(trace.read_text().split()[0].split(":")[2])
    assert alive(orphan)
    monkeypatch.delenv("FARMHAND_FARM_FAULT")
    farm.restart()
    # Found by its run token (no pid on record) and killed before the task was requeued.
    assert farm.wait(jid)["status"] == "success"
    assert not alive(orphan)
    attempts = farm.task(jid, "000")["attempts"]
    assert [(a["attempt"], a["outcome"]) for a in attempts] == [(1, "preempted"), (2, "success")]
    lines = [line.split(":")[:2] for line in trace.read_text().split()]
    assert lines == [["start", "1"], ["start", "2"], ["end", "2"]]


def test_sigkill_during_a_later_command_stops_that_command(farm_factory, tmp_path):
    """The recorded pid is the first command's; the second runs in another process group and
    must still be found (by its run token) and stopped before the task runs again."""
    trace = tmp_path / "trace"
    farm = farm_factory(slots=1)
    task = {"commands": ["true", trace_task(trace, 60)], "frames": "1"}
    jid = farm.submit([task])
    deadline = time.monotonic() + 30
    while not (trace.exists() and trace.read_text().endswith("\n")):
        assert time.monotonic() < deadline, "the second command never started"
        time.sleep(0.02)
    orphan = int(trace.read_text().split()[0].split(":")[2])
    farm.kill9()
    assert alive(orphan)
    farm.restart()
    assert farm.wait(jid)["status"] == "success"
    assert not alive(orphan)
    lines = [line.split(":")[:2] for line in trace.read_text().split()]
    assert lines == [["start", "1"], ["start", "2"], ["end", "2"]]


def test_an_unknown_fault_point_is_refused_naming_the_variable():
    env = dict(os.environ, FARMHAND_FARM_FAULT="after_lunch")
    done = subprocess.run(
        [sys.executable, "-c", "import farmhand.farm.fault_points"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert (
        "FARMHAND_FARM_FAULT: 'after_lunch' names no fault point; valid: after_record, "
        "after_spawn" in done.stderr
    )

