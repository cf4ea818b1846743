"""Following and steering jobs through the client: status, follow, logs, kill, retry, release.

Against the real local farm (tests/support/client_farm.py); task commands are plain shell.
"""

import os
import time

import pytest

from farmhand.core.errors import InputError


def submit(client, tasks, **extra):
    payload = {
        "job_title": "jobs test",
        "project": "default",
        "instance_type": client.catalogue().instance_types[0].name,
        "tasks_data": tasks,
        "output_path": "",
    }
    payload.update(extra)
    return client.submit(payload).job_id


def until(client, job_id, predicate, timeout=30):
    deadline = time.monotonic() + timeout
    for job in client.follow(job_id, timeout=2):
        if predicate(job):
            return client.status(job_id)
        if time.monotonic() > deadline:
            break
    job = client.status(job_id)
    assert predicate(job), "job {} never reached the expected state: {}".format(job_id, job)
    return job


def test_status_lists_tasks_with_attempts_duration_and_outputs(farm_client, tmp_path):
    out = tmp_path / "out"
    job_id = submit(
        farm_client,
        [
            {"command": "echo one > {}/f1.txt".format(out), "frames": "1"},
            {"command": "echo two > {}/f2.txt".format(out), "frames": "2"},
        ],
        output_path=str(out),
    )
    job = until(farm_client, job_id, lambda j: j.is_final)
    assert job.succeeded and job.task_count == 2 and job.output_path == str(out)
    first = job.tasks[0]
    assert (first.task_id, first.status, first.frames, first.attempts) == ("000", "success", "1", 1)
    assert first.duration is not None and first.duration >= 0
    assert first.exit_code == 0 and os.path.exists(first.log)
    assert first.outputs == [str(out / "f1.txt")]
    assert any(j.job_id == job_id for j in farm_client.jobs())


def test_follow_yields_changes_until_final(farm_client):
    job_id = submit(farm_client, [{"command": "sleep 0.3", "frames": "1"}])
    seen = [job.status for job in farm_client.follow(job_id, timeout=5)]
    assert seen[-1] == "success"
    assert len(seen) >= 2


def test_logs_hold_the_command_output_and_the_shell_error(farm_client):
    job_id = submit(
        farm_client,
        [
            {"command": "echo hello-from-task", "frames": "1"},
            {"command": "nosuchcommand-farmhand", "frames": "2"},
        ],
    )
    job = until(farm_client, job_id, lambda j: j.is_final)
    assert [t.status for t in job.tasks] == ["success", "failed"]
    assert "hello-from-task" in farm_client.logs(job_id, "0")
    failed_log = farm_client.logs(int(job_id), 1)
    assert "nosuchcommand-farmhand" in failed_log and "not found" in failed_log
    assert job.tasks[1].exit_code == 127


def test_scouts_are_held_until_release(farm_client):
    job_id = submit(
        farm_client,
        [{"command": "true", "frames": str(i)} for i in (1, 2, 3)],
        scout_frames="1",
    )
    held = until(farm_client, job_id, lambda j: j.counts["success"] == 1 and j.counts["held"] == 2)
    assert [t.status for t in held.tasks] == ["success", "held", "held"]
    assert held.tasks[0].scout
    farm_client.release(job_id)
    assert until(farm_client, job_id, lambda j: j.is_final).succeeded


def test_release_on_scout_success(farm_client):
    payload = {
        "project": "default",
        "instance_type": farm_client.catalogue().instance_types[0].name,
        "tasks_data": [{"command": "true", "frames": str(i)} for i in (1, 2)],
        "output_path": "",
        "scout_frames": "1",
    }
    job_id = farm_client.submit(payload, extra={"release_on_scout_success": True}).job_id
    assert until(farm_client, job_id, lambda j: j.is_final).succeeded


def test_kill_stops_running_tasks(farm_client):
    job_id = submit(farm_client, [{"command": "sleep 60", "frames": "1"}])
    until(farm_client, job_id, lambda j: j.counts["running"] == 1)
    farm_client.kill(job_id)
    job = until(farm_client, job_id, lambda j: j.is_final)
    assert job.tasks[0].status == "killed"


def test_retry_a_failed_task(farm_client, tmp_path):
    marker = tmp_path / "second-time"
    job_id = submit(
        farm_client,
        [{"command": "test -e {0} || (touch {0}; exit 3)".format(marker), "frames": "1"}],
    )
    job = until(farm_client, job_id, lambda j: j.is_final)
    assert job.tasks[0].status == "failed" and job.tasks[0].exit_code == 3
    farm_client.retry(job_id, "0")
    job = until(farm_client, job_id, lambda j: j.is_final and j.succeeded)
    assert job.tasks[0].attempts == 2


def test_retry_whole_job(farm_client, tmp_path):
    marker = tmp_path / "again"
    command = "test -e {0} || (touch {0}; exit 1)".format(marker)
    job_id = submit(farm_client, [{"command": command, "frames": "1"}])
    until(farm_client, job_id, lambda j: j.is_final)
    farm_client.retry(job_id)
    assert until(farm_client, job_id, lambda j: j.is_final and j.succeeded).succeeded


@pytest.mark.parametrize(
    "action",
    [
        lambda c: c.status("99999"),
        lambda c: c.kill("99999"),
        lambda c: c.release("99999"),
        lambda c: c.retry("99999"),
        lambda c: c.logs("99999", "0"),
    ],
)
def test_unknown_job_is_bad_input(farm_client, action):
    with pytest.raises(InputError) as caught:
        action(farm_client)
    assert str(caught.value) == "no job 99999"
    assert caught.value.status == 404


def test_unknown_task_is_bad_input(farm_client):
    job_id = submit(farm_client, [{"command": "true", "frames": "1"}])
    with pytest.raises(InputError) as caught:
        farm_client.logs(job_id, "7")
    assert str(caught.value) == "job {} has no task 007 (it has tasks 000 to 000)".format(job_id)
    with pytest.raises(InputError):
        farm_client.retry(job_id, "7")


def test_retry_of_a_successful_task_is_refused(farm_client):
    job_id = submit(farm_client, [{"command": "true", "frames": "1"}])
    until(farm_client, job_id, lambda j: j.is_final)
    with pytest.raises(InputError) as caught:
        farm_client.retry(job_id, "0")
    assert caught.value.status == 409
    assert str(caught.value) == (
        "task {}:000 is success; only failed or killed tasks can be retried".format(job_id)
    )
