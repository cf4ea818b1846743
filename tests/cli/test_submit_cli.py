"""``farmhand submit/jobs/logs/kill/retry/release`` end to end on the local farm, which the
first command starts (as a user's first submit would) and the fixture stops.

Commands run in-process through ``farmhand.cli.main.main`` so exit codes and the exact
stdout/stderr are asserted; the farm is a real background process under the test's
FARMHAND_HOME.
"""

import json
import os
import re

import pytest

from farmhand.cli.main import main


@pytest.fixture
def farm(farmhand_home):
    from farmhand.farm import control

    yield
    control.stop()


@pytest.fixture
def job_file(tmp_path, farm):
    def write(**settings):
        (tmp_path / "scene.txt").write_text("scene data\n")
        data = {
            "job_title": "cli test",
            "frames": "1-4",
            "chunk_size": 2,
            "task_template": "echo frames <chunkstart>-<chunkend>",
            "machine_flavor": "standard",
            "cores": 1,
            "output_path": "out",
            "upload_paths": ["scene.txt"],
            "scout_frames": "",
        }
        data.update(settings)
        path = tmp_path / "job.json"
        path.write_text(json.dumps(data))
        return str(path)

    return write


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def submit(capsys, *argv):
    code, out, err = run(capsys, "submit", *argv)
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 1 and re.match(r"^\d{5}$", lines[0]), out
    return lines[0], err


def test_submit_prints_the_job_id_alone_and_resubmit_sends_nothing(capsys, job_file):
    path = job_file()
    job_id, err = submit(capsys, path)
    assert re.search(
        r"submitted job {} to the local farm at http://127\.0\.0\.1:\d+: 1 files "
        r"\(1 hashed, 1 uploaded, 11 B\)".format(job_id),
        err,
    ), err
    assert "hashing: " in err and "uploading: " in err
    again, err = submit(capsys, path)
    assert again != job_id
    assert "1 files (0 hashed, 0 uploaded, 0 B)" in err


def test_submit_wait_succeeds_and_jobs_shows_tasks(capsys, job_file, tmp_path):
    out_dir = tmp_path / "out"
    path = job_file(task_template="echo <chunkstart> > {}/f<chunkstart>.txt".format(out_dir))
    job_id, err = submit(capsys, path, "--wait")
    assert "job {}: all 2 tasks succeeded".format(job_id) in err
    assert re.search(r"job {}: 2/2 done, 0 running, 0 held, 0 failed".format(job_id), err)

    code, out, err = run(capsys, "jobs")
    assert code == 0
    header, *rows = out.splitlines()
    assert header.split()[:3] == ["JOB", "STATE", "DONE"]
    assert any(row.split()[:3] == [job_id, "success", "2/2"] for row in rows)

    code, out, err = run(capsys, "jobs", job_id)
    lines = out.splitlines()
    assert lines[0] == "job {} cli test: success (2 tasks)".format(job_id)
    assert lines[1] == "output: {}".format(tmp_path / "out")
    assert lines[2].split() == [
        "TASK",
        "STATE",
        "ATTEMPTS",
        "DURATION",
        "FRAMES",
        "FILES",
        "WRITTEN",
    ]
    assert lines[3].split()[:3] == ["000", "success", "1"]
    assert lines[3].split()[-1] == str(tmp_path / "out" / "f1.txt")
    assert lines[4].split()[-1] == str(tmp_path / "out" / "f3.txt")

    code, out, err = run(capsys, "logs", job_id, "1")
    assert code == 0 and "[farmhand] {}:001 attempt 1".format(job_id) in out


def test_submit_wait_reports_failed_tasks_with_logs(capsys, job_file):
    path = job_file(task_template="test <chunkstart> -lt 3 || exit 3")
    code, out, err = run(capsys, "submit", path, "--wait")
    assert code == 1
    job_id = out.strip()
    assert "job {}: 1 of 2 tasks did not succeed:".format(job_id) in err
    assert re.search(
        r"  task 001 failed \(exit code 3, 1 attempt\): log \S+/logs/{}/001\.1\.log".format(
            job_id
        ),
        err,
    ), err


def test_submit_wait_counts_one_task_and_one_attempt_in_words(capsys, job_file):
    code, out, err = run(capsys, "submit", job_file(frames="1"), "--wait")
    assert code == 0, err
    assert "job {}: its task succeeded, elapsed ".format(out.strip()) in err
    code, out, err = run(capsys, "submit", job_file(frames="1", task_template="exit 4"), "--wait")
    assert code == 1
    failed = "job {}: 1 of 1 task did not succeed:\n  task 000 failed (exit code 4, 1 attempt)"
    assert failed.format(out.strip()) in err


def test_held_tasks_stop_the_wait_unless_released_on_scout_success(capsys, job_file):
    path = job_file(scout_frames="1")
    code, out, err = run(capsys, "submit", path, "--wait")
    assert code == 1
    job_id = out.strip()
    assert "  task 001 held" in err
    assert "held tasks wait for `farmhand release {}`".format(job_id) in err
    code, out, err = run(capsys, "release", job_id)
    assert (code, err) == (0, "released 1 held task of job {}\n".format(job_id))
    code, out, err = run(capsys, "release", job_id)
    assert (code, err) == (0, "job {} has no held tasks; nothing to release\n".format(job_id))

    job_id, err = submit(capsys, path, "--wait", "--release-on-scout-success")
    assert "job {}: all 2 tasks succeeded".format(job_id) in err


def test_kill_and_retry(capsys, job_file):
    job_id, _ = submit(capsys, job_file(task_template="sleep 30"))
    code, out, err = run(capsys, "kill", job_id)
    assert (code, err) == (0, "killed job {}\n".format(job_id))
    code, out, err = run(capsys, "retry", job_id, "0")
    assert (code, err) == (0, "retrying task 0 of job {}\n".format(job_id))
    code, out, err = run(capsys, "kill", job_id)
    code, out, err = run(capsys, "retry", job_id)
    assert (code, err) == (0, "retrying job {}\n".format(job_id))
    run(capsys, "kill", job_id)


def test_kill_of_an_ended_job_and_logs_of_a_task_that_has_not_run_say_so(capsys, job_file):
    code, out, err = run(capsys, "submit", job_file(scout_frames="1"), "--wait")
    job_id = out.strip()  # exit 1: task 001 stays held
    code, out, err = run(capsys, "logs", job_id, "1")
    assert (code, out, err) == (0, "", "task 1 of job {} has no log yet\n".format(job_id))
    run(capsys, "kill", job_id)
    code, out, err = run(capsys, "kill", job_id)
    assert (code, err) == (0, "job {} already ended (killed); nothing to kill\n".format(job_id))


@pytest.mark.parametrize(
    "argv, message",
    [
        (["jobs", "99999"], "farmhand: error: no job 99999\n"),
        (["logs", "99999", "0"], "farmhand: error: no job 99999\n"),
        (["kill", "99999"], "farmhand: error: no job 99999\n"),
        (["retry", "99999"], "farmhand: error: no job 99999\n"),
        (["release", "99999"], "farmhand: error: no job 99999\n"),
        (
            ["jobs", "abc"],
            "farmhand: error: job: job id 'abc' is not a number (job ids look like 00042 or 42)\n",
        ),
        (
            ["logs", "1", "x"],
            "farmhand: error: task: task id 'x' is not a number (task ids look like 003 or 3)\n",
        ),
        (
            ["jobs", "--farm", "tractorr"],
            "farmhand: error: farm: unknown farm 'tractorr'; valid farms: local, conductor, "
            "gridmarkets, opencue, openjd, slurm, tractor, or the http:// or https:// URL of a "
            "Conductor-compatible service\n",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(capsys, farm, argv, message):
    code, out, err = run(capsys, *argv)
    assert (code, out, err) == (2, "", message)


def test_unknown_task_exits_2(capsys, job_file):
    job_id, _ = submit(capsys, job_file())
    code, out, err = run(capsys, "logs", job_id, "9")
    assert (code, out) == (2, "")
    assert err == "farmhand: error: job {} has no task 009 (it has tasks 000 to 001)\n".format(
        job_id
    )


def test_url_target_without_api_key_exits_2(capsys, monkeypatch, job_file):
    monkeypatch.delenv("CONDUCTOR_API_KEY", raising=False)
    monkeypatch.delenv("CONDUCTOR_API_KEY_PATH", raising=False)
    code, out, err = run(capsys, "submit", job_file(), "--target", "http://127.0.0.1:9")
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: api_key: no API key for http://127.0.0.1:9: set CONDUCTOR_API_KEY "
        "(or CONDUCTOR_API_KEY_PATH)\n"
    )


def test_unreachable_url_exits_1(capsys, monkeypatch, job_file):
    monkeypatch.setenv("CONDUCTOR_API_KEY", '{"client_id": "a", "private_key": "b"}')
    code, out, err = run(capsys, "submit", job_file(), "--target", "http://127.0.0.1:9")
    assert (code, out) == (1, "")
    assert err == (
        "farmhand: error: cannot reach the farm at http://127.0.0.1:9 (GET /api/oauth_jwt): "
        "connection refused\n"
    )


def test_a_url_that_is_not_a_farm_exits_1_naming_it(capsys, monkeypatch):
    from stand_in_http import StandIn

    monkeypatch.setenv("CONDUCTOR_API_KEY", '{"client_id": "a", "private_key": "b"}')
    with StandIn({}) as server:  # a web server that answers 404 to everything
        code, out, err = run(capsys, "jobs", "--target", server.url)
    assert (code, out) == (1, "")
    assert err == (
        "farmhand: error: the farm at {} answered GET /api/oauth_jwt with HTTP 404 Not Found "
        "(is it a Conductor-compatible service?)\n".format(server.url)
    )


def test_invalid_job_file_exits_2_before_submitting(capsys, job_file, tmp_path):
    path = job_file(chunk_size="2")
    code, out, err = run(capsys, "submit", path)
    assert (code, out) == (2, "")
    assert err.startswith("farmhand: error: {}: chunk_size: expected".format(path))


def test_missing_upload_exits_2(capsys, job_file, tmp_path):
    path = job_file(upload_paths=["missing.exr"])
    code, out, err = run(capsys, "submit", path)
    assert (code, out) == (2, "")
    assert "missing.exr" in err and err.count("\n") == 1


def test_submit_to_a_url_target_with_credentials(capsys, job_file, monkeypatch):
    from farmhand.farm import control

    url, key = control.ensure_running()
    monkeypatch.setenv("CONDUCTOR_URL", url)
    monkeypatch.setenv("CONDUCTOR_API_KEY", key)
    job_id, err = submit(capsys, job_file())  # no --target: CONDUCTOR_URL picks the farm
    assert "to the Conductor-compatible service at {}".format(url) in err
    assert os.environ["CONDUCTOR_URL"] == url
