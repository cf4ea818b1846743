"""Farmhand's client against the real local farm: uploads, dedupe, cancel, errors.

The farm runs as its own process in a private folder (tests/support/client_farm.py); the
client is ``farmhand.core.connectors``. Server-side evidence comes from the farm's store and
from the kernel's byte counter of what the farm process wrote (``wchar`` in
``/proc/<pid>/io``): the farm writes every upload byte it receives to a file before verifying
it, so a resubmit that sends nothing leaves that counter (almost) still.
"""

import os
import threading
import time

import pytest

from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.errors import CancelledError, FarmAuthError, FarmConnectionError, InputError
from farmhand.core.transfer import md5_base64

MIB = 1024 * 1024
# Small multipart sizes so multipart uploads are exercised with small files.
CLIENT_FARM_CONFIG = {"multipart_threshold": 4 * MIB, "part_size": MIB}


def payload(client, uploads, command="true", **extra):
    data = {
        "job_title": "client test",
        "project": "default",
        "instance_type": client.catalogue().instance_types[0].name,
        "tasks_data": [{"command": command, "frames": "1"}],
        "output_path": "",
        "upload_paths": [str(u) for u in uploads],
    }
    data.update(extra)
    return data


def wait_final(client, job_id, timeout=30):
    deadline = time.monotonic() + timeout
    for job in client.follow(job_id, timeout=5):
        if job.is_final or time.monotonic() > deadline:
            break
    return client.status(job_id)


def test_catalogue(farm_client):
    catalogue = farm_client.catalogue()
    assert "default" in catalogue.projects
    assert catalogue.instance_types and catalogue.instance_types[0].cores >= 1


def test_resubmit_hashes_nothing_and_sends_zero_bytes(client_farm, farm_client, tmp_path):
    folder = tmp_path / "scene"
    folder.mkdir()
    for index in range(4):
        (folder / "tex{}.bin".format(index)).write_bytes(os.urandom(2 * MIB))
    job = payload(farm_client, [folder], command="cat {}/* > /dev/null".format(folder))

    before = client_farm.bytes_written()
    first = farm_client.submit(job)
    assert (first.files, first.hashed_files, first.uploaded_files) == (4, 4, 4)
    assert first.uploaded_bytes == 8 * MIB
    assert client_farm.bytes_written() - before >= 8 * MIB  # the counter does see uploads
    assert wait_final(farm_client, first.job_id).succeeded

    before = client_farm.bytes_written()
    second = client_farm.connector().submit(job)  # a new client, as a second `farmhand submit` is
    assert (second.hashed_files, second.cached_files) == (0, 4)
    assert (second.uploaded_files, second.uploaded_bytes) == (0, 0)
    assert second.job_id != first.job_id
    assert wait_final(farm_client, second.job_id).succeeded
    # Read once the job's task (8 MiB to /dev/null) has ended: its writes are not the farm's.
    written = client_farm.bytes_written() - before
    assert written < 256 * 1024, "the farm wrote {} bytes for a resubmit".format(written)


def test_only_the_edited_file_is_sent_again(client_farm, farm_client, tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(os.urandom(100000))
    b.write_bytes(os.urandom(100000))
    farm_client.submit(payload(farm_client, [a, b]))
    b.write_bytes(os.urandom(100001))
    again = farm_client.submit(payload(farm_client, [a, b]))
    assert (again.hashed_files, again.uploaded_files, again.uploaded_bytes) == (1, 1, 100001)


def test_identical_files_are_sent_once_and_both_restored(client_farm, farm_client, tmp_path):
    content = os.urandom(300000)
    one, two = tmp_path / "one" / "same.bin", tmp_path / "two" / "same.bin"
    for path in (one, two):
        path.parent.mkdir()
        path.write_bytes(content)
    job = payload(farm_client, [one, two], command="cmp {} {}".format(one, two))
    result = farm_client.submit(job)
    assert (result.uploaded_files, result.uploaded_bytes) == (1, 300000)
    assert client_farm.stored(md5_base64(content))
    assert wait_final(farm_client, result.job_id).succeeded


def test_multipart_upload_is_stored_whole(client_farm, farm_client, tmp_path):
    big = tmp_path / "big.bin"
    content = os.urandom(5 * MIB + 123)  # over the 4 MiB threshold, 6 parts of 1 MiB
    big.write_bytes(content)
    result = farm_client.submit(payload(farm_client, [big], command="test -s {}".format(big)))
    assert result.uploaded_bytes == len(content)
    assert client_farm.stored(md5_base64(content))
    assert client_farm.leftovers() == []
    assert wait_final(farm_client, result.job_id).succeeded


def test_progress_phases_in_order(client_farm, farm_client, tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(os.urandom(MIB))
    events = []
    farm_client.submit(payload(farm_client, [path]), progress=events.append)
    phases = []
    for event in events:
        if not phases or phases[-1] != event.phase:
            phases.append(event.phase)
    assert phases == ["hashing", "uploading", "submitting", "done"]
    uploads = [e for e in events if e.phase == "uploading"]
    assert uploads[-1].bytes_done == uploads[-1].bytes_total == MIB
    assert uploads[-1].files_done == 1
    assert events[-1].message.startswith("job ") and events[-1].message.endswith(" submitted")


def _cancel_during_upload(client_farm, farm_client, path, monkeypatch):
    from farmhand.core.transfer import progress

    monkeypatch.setattr(progress, "PROGRESS_INTERVAL", 0.0)  # report every block
    jobs_before = len(farm_client.jobs())
    cancel = threading.Event()

    def on_progress(event):
        if event.phase == "uploading" and 0 < event.bytes_done < event.bytes_total:
            cancel.set()

    with pytest.raises(CancelledError) as caught:
        farm_client.submit(payload(farm_client, [path]), progress=on_progress, cancel=cancel)
    assert "cancelled" in str(caught.value)
    assert len(farm_client.jobs()) == jobs_before, "a job was created after cancel"
    deadline = time.monotonic() + 5
    while client_farm.leftovers() and time.monotonic() < deadline:
        time.sleep(0.05)  # the farm notices the cut connection asynchronously
    assert client_farm.leftovers() == []


def test_cancel_during_single_part_upload_leaves_nothing(
    client_farm, farm_client, tmp_path, monkeypatch
):
    path = tmp_path / "single.bin"
    content = os.urandom(3 * MIB + 5)  # under the multipart threshold
    path.write_bytes(content)
    _cancel_during_upload(client_farm, farm_client, path, monkeypatch)
    assert not client_farm.stored(md5_base64(content))


def test_cancel_during_multipart_upload_leaves_nothing(
    client_farm, farm_client, tmp_path, monkeypatch
):
    path = tmp_path / "multi.bin"
    content = os.urandom(12 * MIB)
    path.write_bytes(content)
    _cancel_during_upload(client_farm, farm_client, path, monkeypatch)
    assert not client_farm.stored(md5_base64(content))


def test_cancel_before_start_creates_nothing(client_farm, farm_client, tmp_path):
    path = tmp_path / "f.bin"
    path.write_bytes(b"x")
    cancel = threading.Event()
    cancel.set()
    jobs_before = len(farm_client.jobs())
    with pytest.raises(CancelledError) as caught:
        farm_client.submit(payload(farm_client, [path]), cancel=cancel)
    assert str(caught.value) == "submission cancelled; no job was submitted"
    assert len(farm_client.jobs()) == jobs_before


def test_upload_failure_creates_no_job(client_farm, farm_client, tmp_path, monkeypatch):
    from farmhand.core.connectors.conductor import uploads

    path = tmp_path / "f.bin"
    path.write_bytes(os.urandom(1000))
    real_send = uploads._Run.send_single

    def corrupt_send(run, item):
        item.md5 = md5_base64(b"not these bytes")  # the farm must refuse the bytes
        return real_send(run, item)

    monkeypatch.setattr(uploads._Run, "send_single", corrupt_send)
    jobs_before = len(farm_client.jobs())
    with pytest.raises(InputError) as caught:
        farm_client.submit(payload(farm_client, [path]))
    assert "Content-MD5 mismatch" in str(caught.value)
    assert caught.value.field == "Content-MD5"
    assert len(farm_client.jobs()) == jobs_before
    assert client_farm.leftovers() == []


def test_payload_rejected_by_the_farm_is_an_input_error(client_farm, farm_client, tmp_path):
    with pytest.raises(InputError) as caught:
        farm_client.submit(payload(farm_client, [], instance_type="huge-9000"))
    assert caught.value.field == "instance_type"
    assert "huge-9000" in str(caught.value)


def test_missing_upload_is_reported_before_anything_is_sent(client_farm, farm_client, tmp_path):
    missing = tmp_path / "missing.exr"
    jobs_before = len(farm_client.jobs())
    with pytest.raises(InputError) as caught:
        farm_client.submit(payload(farm_client, [missing]))
    assert str(caught.value) == "upload_paths: entry 1 {!r}: no such file or directory".format(
        str(missing)
    )
    assert len(farm_client.jobs()) == jobs_before


def test_wrong_api_key_names_the_key_and_url(client_farm):
    wrong = {"client_id": "not-a-key", "private_key": "nope"}
    bad = ConductorConnector(client_farm.url, wrong, label="local farm")
    with bad, pytest.raises(FarmAuthError) as caught:
        bad.catalogue()
    assert str(caught.value) == (
        "the farm at {} refused the API key with client_id 'not-a-key' (from local farm): "
        "unknown API key client_id 'not-a-key' for this farm".format(client_farm.url)
    )
    assert caught.value.status == 401


def test_unreachable_farm_names_the_url():
    nowhere = ConductorConnector("http://127.0.0.1:9", {"client_id": "a", "private_key": "b"})
    with nowhere, pytest.raises(FarmConnectionError) as caught:
        nowhere.jobs()
    assert str(caught.value) == (
        "cannot reach the farm at http://127.0.0.1:9 (GET /api/oauth_jwt): connection refused"
    )
    assert caught.value.url.startswith("http://127.0.0.1:9/api/oauth_jwt")


def test_two_clients_submitting_at_once(client_farm, tmp_path):
    results, errors = [], []

    def submit(index):
        path = tmp_path / "c{}.bin".format(index)
        path.write_bytes(os.urandom(2 * MIB))
        try:
            with client_farm.connector() as connector:
                results.append(connector.submit(payload(connector, [path])))
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert len({r.job_id for r in results}) == 2
    with client_farm.connector() as connector:
        for result in results:
            assert wait_final(connector, result.job_id).succeeded
