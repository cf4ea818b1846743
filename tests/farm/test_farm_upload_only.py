"""Upload-only jobs: no tasks, only files brought to the farm (the seed: "by the time a
lighting artist needs to test render, all the assets have been uploaded").

ciocore and Farmhand's ``Submission.to_payload()`` both send such a job as
``tasks_data: []`` with its files in ``upload_files``; the farm records it, places its
files and reports it ``success`` with 0 tasks. A job with neither tasks nor files is a 400.
"""

import base64
import hashlib
import json
import os

import pytest
import requests

from farmhand.core.job import JobSettings, build_submission

pytestmark = pytest.mark.timeout(120)


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def upload_only_payload(farm, files, **fields):
    return farm.payload(
        [],
        upload_files=[
            {"md5": md5, "destination": path, "st_size": size} for path, md5, size in files
        ],
        **fields,
    )


def test_an_upload_only_job_succeeds_with_no_tasks_once_its_files_are_placed(farm, tmp_path):
    data = b"texture for the lighting artist"
    path = str(tmp_path / "assets" / "wood.tex")
    md5 = farm.upload(data, path)
    jid = farm.submit(payload=upload_only_payload(farm, [(path, md5, len(data))]))
    job = farm.wait(jid)
    assert job["status"] == "success"
    assert job["upload_only"] is True and job["task_count"] == 0
    assert set(job["tasks"].values()) == {0}
    assert job["started_at"] is not None and job["completed_at"] >= job["started_at"]
    assert farm.tasks(jid) == []
    placed = os.path.join(farm.paths.inputs, jid, path.lstrip("/"))
    with open(placed, "rb") as handle:
        assert handle.read() == data
    listed = {j["jid"]: j for j in farm.get("/api/v1/jobs").json()["data"]}
    assert listed[jid]["status"] == "success" and listed[jid]["upload_only"] is True
    status = farm.get("/api/v1/farm").json()["data"]
    assert status["jobs"] == {"success": 1}
    # A job with tasks is not upload-only.
    assert farm.job(farm.submit(["true"]))["upload_only"] is False


def test_upload_only_may_be_said_explicitly(farm):
    md5 = farm.upload(b"abc", "/p/a")
    payload = upload_only_payload(farm, [("/p/a", md5, 3)], upload_only=True)
    assert farm.wait(farm.submit(payload=payload))["status"] == "success"


@pytest.mark.parametrize(
    "fields, message, field",
    [
        (
            {"tasks_data": []},
            "expected a non-empty list of tasks, got [] (a job without tasks is an upload-only"
            " job, and this one names no upload_files)",
            "tasks_data",
        ),
        (
            {"tasks_data": [], "upload_files": [], "upload_only": True},
            "expected a non-empty list of tasks, got [] (a job without tasks is an upload-only"
            " job, and this one names no upload_files)",
            "tasks_data",
        ),
        (
            {"tasks_data": [{"command": "true"}], "upload_only": True},
            "an upload-only job runs no tasks, but tasks_data has 1; leave tasks_data empty or"
            " set upload_only to false",
            "upload_only",
        ),
        (
            {"tasks_data": [], "upload_only": "yes"},
            "expected true or false, got str 'yes'",
            "upload_only",
        ),
    ],
)
def test_a_job_with_no_tasks_that_is_not_upload_only_is_refused(farm, fields, message, field):
    payload = farm.payload(["true"])
    payload.update(fields)
    reply = farm.post("/jobs/", payload)
    assert reply.status_code == 400
    assert reply.json() == {"error": message, "field": field}
    assert farm.get("/api/v1/jobs").json()["data"] == []


def test_an_upload_only_job_still_needs_its_files_in_the_store(farm):
    missing = md5_b64(b"never sent")
    reply = farm.post("/jobs/", upload_only_payload(farm, [("/p/x", missing, 10)]))
    assert reply.status_code == 400
    assert reply.json()["field"] == "upload_files[0].md5"


def test_upload_only_through_an_upload_daemon_then_kill_and_retry(farm):
    data = b"plate"
    payload = upload_only_payload(farm, [("/p/plate", None, len(data))], local_upload=False)
    jid = farm.submit(payload=payload)
    assert farm.job(jid)["status"] == "sync_pending"
    upload = farm.put("/uploads/client/next", {}).json()["data"]
    md5 = farm.upload(data, "/p/plate")
    reply = farm.post(
        "/uploads/{}/finish".format(upload["id"]), {"upload_files": {"/p/plate": {"md5": md5}}}
    )
    assert reply.status_code == 200, reply.text
    assert farm.wait(jid)["status"] == "success"

    other = farm.submit(payload=payload)
    assert farm.put("/jobs_multi", {"action": "kill", "jobids": [other]}).status_code == 200
    assert farm.wait(other)["status"] == "killed"
    assert farm.put("/uploads/client/next", {}).status_code == 204  # nothing owed any more
    reply = farm.post("/api/v1/jobs/{}/retry".format(other))
    assert reply.status_code == 409
    assert reply.json()["error"] == (
        "job {} is an upload-only job (killed); it has no tasks to retry".format(other)
    )


def test_farmhands_own_upload_only_submission(farm, tmp_path):
    from tests.farm.test_farm_submission import farm_catalogue

    scene = tmp_path / "assets" / "set.abc"
    scene.parent.mkdir()
    scene.write_bytes(b"alembic cache")
    catalogue = farm_catalogue(farm)
    settings = JobSettings(
        instance_type=catalogue.instance_types[0].name,
        upload_only=True,
        upload_paths=[str(scene)],
        dependency_scan_policy="none",
        task_template="",
    )
    submission = build_submission(settings, catalogue=catalogue)
    assert submission.ok, submission.report
    payload = submission.to_payload()
    assert payload["tasks_data"] == []
    md5 = farm.upload(scene.read_bytes(), str(scene))
    payload["upload_files"] = [{"md5": md5, "destination": str(scene), "st_size": 13}]
    reply = farm.post("/jobs/", payload)
    assert reply.status_code == 201, reply.text
    assert farm.wait(reply.json()["jobid"])["status"] == "success"


def test_cli_submit_wait_and_jobs_report_an_upload_only_job(farmhand_home, tmp_path, capsys):
    from farmhand.cli.main import main
    from farmhand.farm import control

    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "wood.tex").write_bytes(b"wood")
    job_file = tmp_path / "assets_only.json"
    job_file.write_text(
        json.dumps(
            {
                "job_title": "assets only",
                "upload_only": True,
                "upload_paths": ["assets"],
                "machine_flavor": "standard",
                "cores": 1,
                "task_template": "",
            }
        )
    )
    try:
        code = main(["submit", str(job_file), "--wait"])
        out, err = capsys.readouterr()
        assert code == 0, err
        job_id = out.strip()
        assert "job {}: upload-only job done: its files are on the farm".format(job_id) in err
        assert "1 files (1 hashed, 1 uploaded, 4 B)" in err
        assert main(["jobs"]) == 0
        rows = capsys.readouterr().out.splitlines()[1:]
        assert any(row.split()[:3] == [job_id, "success", "0/0"] for row in rows), rows
        assert main(["jobs", job_id]) == 0
        out = capsys.readouterr().out
        assert out.splitlines()[0] == "job {} assets only: success (0 tasks)".format(job_id)
    finally:
        control.stop()


def test_ciocore_submits_an_upload_only_job(farm, tmp_path):
    import importlib.util
    import subprocess
    import sys
    import textwrap

    from tests.conftest import require

    require(importlib.util.find_spec("ciocore") is not None, "ciocore (pip install ciocore)")
    asset = tmp_path / "asset.tex"
    asset.write_bytes(b"ciocore asset")
    script = textwrap.dedent(
        """
        import json, sys
        from ciocore import conductor_submit
        args = {"job_title": "assets", "project": "default", "instance_type": sys.argv[1],
                "tasks_data": [], "output_path": "", "upload_paths": [sys.argv[2]]}
        response, code = conductor_submit.Submit(args).main()
        print(json.dumps({"response": response, "code": code}))
        """
    )
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path / "throwaway-home"),
        "CONDUCTOR_URL": farm.url,
        "CONDUCTOR_API_KEY": farm.api_key,
    }
    os.makedirs(env["HOME"])
    result = subprocess.run(
        [sys.executable, "-c", script, farm.instance_type(), str(asset)],
        capture_output=True,
        text=True,
        env=env,
        timeout=100,
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["code"] == 201
    job = farm.wait(answer["response"]["jobid"])
    assert job["status"] == "success" and job["upload_only"] is True
    reply = requests.get(
        farm.url + "/api/v1/jobs/{}/tasks".format(job["jid"]), headers=farm.session.headers
    )
    assert reply.json() == {"data": []}
