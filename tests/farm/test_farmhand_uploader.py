"""``farmhand uploader`` end to end against a real local farm: a job submitted by Farmhand's
client with ``local_upload: false`` waits in ``sync_pending`` until the daemon sent its
files, then renders them; a file edited after the submit fails the upload instead of being
sent (the seed's md5 enforcement); a daemon only takes its own location's uploads; a daemon
started before the submit picks the job up and stops cleanly on SIGTERM."""

import hashlib
import os
import signal
import subprocess
import sys
import time

import pytest

from farmhand.core.connectors import connect

pytestmark = pytest.mark.timeout(180)


def client_of(farm):
    return connect("local", environ={"FARMHAND_HOME": farm.home, "FARMHAND_COMMAND": "false"})


def uploader(farm, *args, timeout=120):
    env = dict(os.environ, FARMHAND_HOME=farm.home, FARMHAND_COMMAND="false")
    return subprocess.run(
        [sys.executable, "-m", "farmhand.cli.main", "uploader"] + list(args),
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def submit_for_daemon(farm, files, command, **fields):
    data = {
        "job_title": "daemon job",
        "project": "default",
        "instance_type": farm.instance_type(),
        "tasks_data": [{"command": command, "frames": "1"}],
        "output_path": "",
        "upload_paths": [str(f) for f in files],
        "local_upload": False,
    }
    data.update(fields)
    with client_of(farm) as client:
        result = client.submit(data)
    assert result.uploaded_files == 0  # the submit itself sent nothing
    return result.job_id


def test_the_daemon_uploads_a_waiting_job_which_then_renders(farm, tmp_path):
    scene = tmp_path / "Szene 1" / "scene ü.txt"
    scene.parent.mkdir()
    scene.write_text("uploaded by farmhand uploader\n")
    big = tmp_path / "cache.bin"
    big.write_bytes(os.urandom(3 * 1024 * 1024))
    output = tmp_path / "out"
    jid = submit_for_daemon(
        farm,
        [scene, big],
        "cat '{}' > {}/copy.txt && cmp {} {}".format(scene, output, big, big),
        output_path=str(output),
    )
    job = farm.job(jid)
    assert job["status"] == "sync_pending" and job["upload"]["files"] == 2

    result = uploader(farm, "--once")
    assert result.returncode == 0, result.stderr
    assert "upload " in result.stderr and "for job {}: 2 files, 2 files sent".format(jid) in (
        result.stderr
    )
    assert farm.wait(jid)["status"] == "success"
    assert (output / "copy.txt").read_text() == "uploaded by farmhand uploader\n"
    again = uploader(farm, "--once")
    assert (again.returncode, again.stderr.splitlines()[-1]) == (
        0,
        "uploader: the farm owes no uploads",
    )


def test_a_file_edited_after_the_submit_fails_the_upload_and_is_not_sent(farm, tmp_path):
    texture = tmp_path / "wood.exr"
    texture.write_bytes(b"the texture as submitted")
    jid = submit_for_daemon(farm, [texture], "true")
    submitted = farm.job(jid)
    assert submitted["status"] == "sync_pending"
    texture.write_bytes(b"the texture edited afterwards")

    result = uploader(farm, "--once")
    assert result.returncode == 1
    job = farm.job(jid)
    assert job["status"] == "sync_failed"
    error = job["upload"]["error"]
    assert error.startswith(
        "upload_files: changed since the job was submitted, so the farm would render other "
        "content than was submitted: {} (submitted as ".format(texture)
    )
    assert error.endswith("; submit the job again")
    assert "failed: " + error in result.stderr
    for content in (b"the texture as submitted", b"the texture edited afterwards"):
        digest = hashlib.md5(content).hexdigest()
        assert not os.path.exists(os.path.join(farm.paths.store, digest[:2], digest))


def test_a_daemon_takes_only_its_locations_uploads(farm, tmp_path):
    path = tmp_path / "mars.txt"
    path.write_text("red")
    jid = submit_for_daemon(farm, [path], "true", location="mars")
    earth = uploader(farm, "--once", "--location", "earth")
    assert earth.returncode == 0 and "the farm owes no uploads" in earth.stderr
    assert farm.job(jid)["status"] == "sync_pending"
    mars = uploader(farm, "--once", "--location", "mars")
    assert mars.returncode == 0, mars.stderr
    assert farm.wait(jid)["status"] == "success"


def test_a_daemon_started_first_picks_up_the_job_and_stops_on_sigterm(farm, tmp_path):
    env = dict(os.environ, FARMHAND_HOME=farm.home, FARMHAND_COMMAND="false")
    daemon = subprocess.Popen(
        [sys.executable, "-m", "farmhand.cli.main", "uploader", "--poll", "0.2"],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        path = tmp_path / "later.txt"
        path.write_text("submitted while the daemon ran")
        jid = submit_for_daemon(farm, [path], "cat {}".format(path))
        assert farm.wait(jid, timeout=60)["status"] == "success"
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            code = daemon.wait(timeout=30)
        finally:
            if daemon.poll() is None:
                daemon.kill()
    stderr = daemon.stderr.read()
    assert code == 0, stderr
    assert "for job {}: 1 file, 1 file sent".format(jid) in stderr


def test_a_bad_poll_interval_is_refused(capsys):
    from farmhand.cli.main import main

    with pytest.raises(SystemExit) as caught:
        main(["uploader", "--poll", "x"])
    assert caught.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "farmhand uploader: error: argument --poll: invalid float value: 'x'"
    )


def test_a_zero_poll_interval_names_the_option(capsys):
    from farmhand.cli.main import main

    assert main(["uploader", "--poll", "0"]) == 2
    assert capsys.readouterr().err == (
        "farmhand: error: --poll: must be more than 0 seconds, got 0.0\n"
    )


def test_the_daemon_waits_for_a_farm_that_answers_500_then_fails_clearly(farm, tmp_path):
    """A daemon whose farm keeps failing stops with the reason instead of spinning."""
    from faulty_proxy import FaultyProxy

    from farmhand.core.connectors.conductor import uploads
    from farmhand.core.connectors.conductor.connector import ConductorConnector
    from farmhand.core.connectors.conductor.upload_daemon import UploadDaemon
    from farmhand.core.errors import FarmConnectionError

    path = tmp_path / "x.txt"
    path.write_text("x")
    jid = submit_for_daemon(farm, [path], "true")
    with FaultyProxy(farm.url) as proxy:
        proxy.fail("/uploads/client/next", status=500, times=-1)
        client = ConductorConnector(proxy.url, farm.api_key)
        saved = uploads.RETRY_DELAYS
        uploads.RETRY_DELAYS = (0.01, 0.01)
        try:
            started = time.monotonic()
            with pytest.raises(FarmConnectionError) as caught:
                UploadDaemon(client.http).run_once()
        finally:
            uploads.RETRY_DELAYS = saved
            client.close()
    assert time.monotonic() - started < 10
    assert str(caught.value).startswith(
        "asking {} for uploads failed 3 times; giving up. Last failure: the farm at {} "
        "answered PUT /uploads/client/next with HTTP 500 Fault".format(proxy.url, proxy.url)
    )
    assert farm.job(jid)["status"] == "sync_pending"
