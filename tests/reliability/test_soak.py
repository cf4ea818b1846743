"""The soak in its bounded form (issue 8; ``make soak`` runs the full one): 12 jobs of mixed
sizes from 4 client processes at once, the farm killed with SIGKILL and restarted 3 times
while they submit and run, one task in ten crashing once, a few job answers lost or 503.
See tests/support/soak.py for the shape and soak_checks.py for what is checked.
"""

import sqlite3

import pytest
import soak
import soak_checks

from farmhand.farm.db import Database

pytestmark = pytest.mark.timeout(420)


def test_the_bounded_soak_completes_every_job_with_every_run_on_record(tmp_path):
    figures, problems = soak.run_soak(tmp_path / "soak", soak.BOUNDED, log=lambda line: None)
    assert problems == [], figures
    assert figures["jobs_on_farm"] == figures["jobs_planned"] == 12
    assert len(figures["kills"]) == 3
    assert figures["kills"][0]["jobs_submitted"] < 12  # the first while clients submit
    assert all(kill["tasks_running"] > 0 for kill in figures["kills"])
    assert figures["crashes_injected"] == 3
    assert figures["attempts"].get("failed", 0) + figures["crashed_while_the_farm_was_dead"] == 3
    assert figures["attempts"]["success"] == figures["tasks"]
    assert figures["attempts"]["preempted"] >= 3  # every kill caught tasks running
    assert figures["integrity_check"] == "ok"
    # Each lost answer was followed by a retry the farm answered with the job it had made.
    at_proxy = figures["job_requests_at_the_proxy"]
    # ("no answer": the farm was killed while it handled the request; nothing to drop)
    assert at_proxy.get("answer dropped", 0) + at_proxy.get("no answer", 0) == 3
    assert at_proxy["503"] == 3
    # A lost answer is followed by a replayed one (the retry's answer may be lost too).
    assert figures["client_requests"]["replayed"] >= min(1, at_proxy.get("answer dropped", 0))


def write_side(path, lines):
    path.write_text("".join(line + "\n" for line in lines))


def test_the_checks_see_a_run_without_a_recorded_attempt_and_a_number_run_twice(tmp_path):
    """The checker itself, against a record and a side file that disagree on purpose."""
    db_path = str(tmp_path / "farm.db")
    Database(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute(
        "INSERT INTO jobs(id, kind, title, project, instance_type, priority, owner, location,"
        " output_path, scout_frames, release_on_scout_success, environment, env_policies,"
        " retry_failed, retry_preempted, metadata, payload, task_count, status, created_at)"
        " VALUES (1, 'render', 'j', 'default', 't', 0, 'me', '', '', '', 0, '{}', '{}', 1, 1,"
        " '{}', '{}', 1, 'success', 0)"
    )
    conn.execute(
        "INSERT INTO tasks(job_id, idx, title, frames, commands, depends_on, scout, status,"
        " attempts) VALUES (1, 0, '', '1', '[]', '[]', 0, 'success', 1)"
    )
    conn.execute(
        "INSERT INTO attempts(job_id, idx, attempt, outcome, host, log_path, started_at)"
        " VALUES (1, 0, 1, 'success', 'h', 'l', 0)"
    )
    conn.commit()
    conn.close()
    side = tmp_path / "side.log"
    write_side(
        side,
        ["run 00001 000 1", "run 00001 000 1", "done 00001 000 1", "run 00001 000 2"],
    )
    plan = [{"title": "j", "tasks": [{}], "crashing": []}]
    answers = [{"title": "j", "job_id": "00001"}]
    figures, problems = soak_checks.check(plan, answers, str(side), db_path)
    assert problems == [
        "1 runs without a recorded attempt: [('00001', '000', 2)]",
        "1 attempt numbers ran more than once: [('00001', '000', 1, 2)]",
    ]
    assert figures["integrity_check"] == "ok"
