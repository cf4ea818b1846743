"""``local_upload: false``: the job waits in ``sync_pending`` until an upload daemon (ciocore's
``conductor upload``) has sent its files, then runs."""

import base64
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
import textwrap

import pytest
import requests

from tests.conftest import require

pytestmark = pytest.mark.timeout(240)


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def daemon_payload(farm, files, command="true", **fields):
    return farm.payload(
        [command],
        local_upload=False,
        upload_files=[{"md5": md5, "destination": path, "st_size": 1} for path, md5 in files],
        **fields,
    )


def test_job_waits_for_the_daemon_then_runs(farm, tmp_path):
    data = b"scene bytes"
    scene = tmp_path / "scene.ass"
    scene.write_bytes(data)
    jid = farm.submit(
        payload=daemon_payload(farm, [(str(scene), None)], command="cat {}".format(scene))
    )
    job = farm.job(jid)
    assert job["status"] == "sync_pending"
    assert job["upload"]["status"] == "pending" and job["upload"]["files"] == 1
    reply = farm.put("/uploads/client/next", {"location": None})
    assert reply.status_code == 201
    upload = reply.json()["data"]
    assert upload["upload_files"] == {str(scene): None} and upload["job_id"] == jid
    assert farm.put("/uploads/client/next", {"location": None}).status_code == 204
    md5 = farm.upload(data, str(scene))
    reply = farm.post(
        "/uploads/{}/finish".format(upload["id"]),
        {
            "upload_id": upload["id"],
            "status": "server_pending",
            "upload_files": {str(scene): {"source": str(scene), "md5": md5}},
        },
    )
    assert reply.status_code == 200, reply.text
    assert farm.wait(jid)["status"] == "success"
    assert "scene bytes" in farm.log(jid, "000")


def test_finish_must_deliver_every_file_with_its_md5(farm, tmp_path):
    good = b"good"
    enforced = md5_b64(good)
    jid = farm.submit(payload=daemon_payload(farm, [("/p/a", enforced), ("/p/b", None)]))
    upload = farm.put("/uploads/client/next", {}).json()["data"]
    assert upload["upload_files"] == {"/p/a": enforced, "/p/b": None}
    url = "/uploads/{}/finish".format(upload["id"])
    reply = farm.post(url, {"upload_files": {"/p/a": {"md5": enforced}}})
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "the upload owes /p/b but the daemon did not report it",
        "field": "upload_files['/p/b']",
    }
    other = md5_b64(b"other")
    reply = farm.post(url, {"upload_files": {"/p/a": {"md5": other}, "/p/b": {"md5": other}}})
    assert reply.json()["error"] == "/p/a was submitted with md5 {} but uploaded as {}".format(
        enforced, other
    )
    reply = farm.post(url, {"upload_files": {"/p/a": {"md5": enforced}, "/p/b": {"md5": other}}})
    assert reply.json()["error"] == (
        "md5 {} of /p/a is not in the farm's store; upload it first".format(enforced)
    )
    assert farm.job(jid)["status"] == "sync_pending"


def test_failed_upload_then_retry_then_kill(farm):
    jid = farm.submit(payload=daemon_payload(farm, [("/p/x", None)]))
    upload = farm.put("/uploads/client/next", {}).json()["data"]
    reply = farm.session.post(
        farm.url + "/uploads/{}/fail".format(upload["id"]),
        data=b"Uploader ERROR: /p/x: No such file",
    )
    assert reply.status_code == 200
    job = farm.job(jid)
    assert job["status"] == "sync_failed"
    assert job["upload"]["error"] == "Uploader ERROR: /p/x: No such file"
    assert farm.post("/api/v1/jobs/{}/retry".format(jid)).status_code == 200
    assert farm.job(jid)["status"] == "sync_pending"
    assert farm.put("/uploads/client/next", {}).json()["data"]["id"] == upload["id"]
    assert farm.put("/jobs_multi", {"action": "kill", "jobids": [jid]}).status_code == 200
    assert farm.wait(jid)["status"] == "killed"
    assert farm.put("/uploads/client/next", {}).status_code == 204


def test_daemon_only_takes_uploads_of_its_location(farm):
    farm.submit(payload=daemon_payload(farm, [("/p/y", None)], location="mars"))
    assert farm.put("/uploads/client/next", {"location": "earth"}).status_code == 204
    assert farm.put("/uploads/client/next", {"location": "mars"}).status_code == 201


def test_a_local_upload_job_may_not_leave_md5s_out(farm):
    reply = farm.post(
        "/jobs/", farm.payload(["true"], upload_files=[{"md5": None, "destination": "/p/z"}])
    )
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "None is not an md5 (base64 of 16 bytes) for /p/z",
        "field": "upload_files[0].md5",
    }


def test_upload_owed_survives_a_farm_crash(farm):
    jid = farm.submit(payload=daemon_payload(farm, [("/p/w", None)]))
    first = farm.put("/uploads/client/next", {}).json()["data"]
    farm.kill9()
    farm.restart()
    assert farm.job(jid)["status"] == "sync_pending"
    # The daemon that was sending it is gone with the farm: the upload is owed again.
    assert farm.put("/uploads/client/next", {}).json()["data"]["id"] == first["id"]


SUBMIT_FOR_DAEMON = textwrap.dedent(
    """
    import json, sys
    from ciocore import api_client, conductor_submit
    scene, output = sys.argv[1], sys.argv[2]
    args = {
        "job_title": "daemon upload",
        "project": "default",
        "instance_type": api_client.request_instance_types()[0]["name"],
        "upload_paths": [scene],
        "local_upload": False,
        "tasks_data": [{"command": "cat {} > {}/copy.txt".format(scene, output), "frames": "1"}],
        "output_path": output,
    }
    response, code = conductor_submit.Submit(args).main()
    print(json.dumps({"response": response, "code": code}))
    """
)


def test_ciocore_submit_without_local_upload_and_its_uploader_daemon(farm, tmp_path):
    require(importlib.util.find_spec("ciocore") is not None, "ciocore (pip install ciocore)")
    conductor = os.path.join(os.path.dirname(sys.executable), "conductor")
    require(os.path.exists(conductor), "ciocore's conductor command")
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "CONDUCTOR_URL": farm.url,
        "CONDUCTOR_API_KEY": farm.api_key,
    }
    scene = tmp_path / "scene.txt"
    scene.write_text("sent by the daemon\n")
    output = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-c", SUBMIT_FOR_DAEMON, str(scene), str(output)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=str(home),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    jid = json.loads(result.stdout.strip().splitlines()[-1])["response"]["jobid"]
    assert farm.job(jid)["status"] == "sync_pending"
    daemon = subprocess.Popen(
        [conductor, "upload"],
        env=env,
        cwd=str(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        job = farm.wait(jid, timeout=120)
    finally:
        daemon.kill()
        daemon.wait()
    assert job["status"] == "success"
    assert (output / "copy.txt").read_text() == "sent by the daemon\n"
    digest = hashlib.md5(scene.read_bytes()).hexdigest()
    assert os.path.exists(os.path.join(farm.paths.store, digest[:2], digest))
    assert requests.get(farm.url + "/uploads/client/next").status_code == 401
