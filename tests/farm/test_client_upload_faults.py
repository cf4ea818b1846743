"""Farmhand's uploads against a real local farm when things go wrong (issue 5): a connection
cut mid-upload, a farm answering 500, an interrupted multipart upload resumed by the next
submit, files that change or vanish after hashing, force_upload, awkward names and empty
files.

The faults come from ``tests/support/faulty_proxy.py``, a TCP proxy between the client and
the farm that cuts or answers chosen requests; the bytes that pass reach the real farm.
"""

import base64
import hashlib
import os
import time

import pytest
from faulty_proxy import FaultyProxy

from farmhand.core.connectors.conductor import uploads
from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.errors import FarmConnectionError, InputError
from farmhand.farm.multipart import RESUME_IDLE

pytestmark = pytest.mark.timeout(180)

MIB = 1024 * 1024
CLIENT_FARM_CONFIG = {"multipart_threshold": 4 * MIB, "part_size": MIB}


def md5_of(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch):
    monkeypatch.setattr(uploads, "RETRY_DELAYS", (0.05, 0.1, 0.2))


@pytest.fixture
def proxy(client_farm):
    with FaultyProxy(client_farm.url) as faulty:
        yield faulty


def connector_via(proxy, client_farm):
    return ConductorConnector(proxy.url, client_farm.key, "local farm (through a proxy)")


def job(client, paths, command="true", **extra):
    data = {
        "job_title": "upload faults",
        "project": "default",
        "instance_type": client.catalogue().instance_types[0].name,
        "tasks_data": [{"command": command, "frames": "1"}],
        "output_path": "",
        "upload_paths": [str(p) for p in paths],
    }
    data.update(extra)
    return data


def wait_final(client, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    for state in client.follow(job_id, timeout=5):
        if state.is_final or time.monotonic() > deadline:
            break
    return client.status(job_id)


def part_numbers(proxy, what="forwarded"):
    return sorted(
        int(path.rsplit("/", 1)[1])
        for method, path, _, happened in proxy.requests("/parts/", "PUT")
        if happened == what
    )


# -- a connection cut mid-upload --------------------------------------------------------------


def test_a_part_cut_mid_body_is_sent_again_and_no_other_part_is(client_farm, proxy, tmp_path):
    content = os.urandom(12 * MIB)
    path = tmp_path / "cache.abc"
    path.write_bytes(content)
    proxy.cut("/parts/5", after_bytes=300 * 1024)
    client = connector_via(proxy, client_farm)
    try:
        result = client.submit(job(client, [path], command="cmp {} /dev/null || true".format(path)))
        assert wait_final(client, result.job_id).succeeded
    finally:
        client.close()
    assert part_numbers(proxy, "cut") == [5]
    assert part_numbers(proxy) == list(range(1, 13))  # each part arrived whole exactly once
    assert client_farm.stored(md5_of(content))
    assert result.uploaded_bytes == len(content)
    assert client_farm.leftovers() == []


def test_a_single_part_upload_cut_mid_body_is_sent_again(client_farm, proxy, tmp_path):
    content = os.urandom(2 * MIB)
    path = tmp_path / "tex.exr"
    path.write_bytes(content)
    proxy.cut("/api/v2/files/objects/", after_bytes=MIB)
    client = connector_via(proxy, client_farm)
    try:
        client.submit(job(client, [path]))
    finally:
        client.close()
    assert [happened for _, _, _, happened in proxy.requests("/files/objects/")] == [
        "cut",
        "forwarded",
    ]
    assert client_farm.stored(md5_of(content))


# -- a farm answering 500 ---------------------------------------------------------------------


def test_a_500_is_retried_then_the_upload_goes_through(client_farm, proxy, tmp_path):
    content = os.urandom(1000)
    path = tmp_path / "small.txt"
    path.write_bytes(content)
    proxy.fail("/api/v2/files/objects/", status=500, times=2)
    client = connector_via(proxy, client_farm)
    try:
        client.submit(job(client, [path]))
    finally:
        client.close()
    assert [happened for _, _, _, happened in proxy.requests("/files/objects/")] == [
        500,
        500,
        "forwarded",
    ]
    assert client_farm.stored(md5_of(content))


def test_a_farm_that_keeps_answering_500_is_a_clear_error_and_no_job(
    client_farm, proxy, tmp_path
):
    content = os.urandom(1000)
    path = tmp_path / "small.txt"
    path.write_bytes(content)
    proxy.fail("/api/v2/files/objects/", status=500, times=-1)
    client = connector_via(proxy, client_farm)
    try:
        jobs_before = len(client.jobs())
        with pytest.raises(FarmConnectionError) as caught:
            client.submit(job(client, [path]))
        assert len(client.jobs()) == jobs_before
    finally:
        client.close()
    put_path = "/api/v2/files/objects/{}/1000".format(base64.b64decode(md5_of(content)).hex())
    assert str(caught.value) == (
        "uploading {} failed 4 times; giving up. Last failure: the farm at {} answered PUT {} "
        "with HTTP 500 Fault: boom".format(path, proxy.url, put_path)
    )
    assert len(proxy.requests("/files/objects/")) == 4
    assert not client_farm.stored(md5_of(content))
    assert client_farm.leftovers() == []


def test_negotiation_is_retried_too(client_farm, proxy, tmp_path):
    path = tmp_path / "n.txt"
    path.write_bytes(b"negotiated after a 503")
    proxy.fail("/get_upload_urls", status=503, times=1)
    client = connector_via(proxy, client_farm)
    try:
        client.submit(job(client, [path]))
    finally:
        client.close()
    assert [h for _, _, _, h in proxy.requests("/get_upload_urls")] == [503, "forwarded"]


# -- resuming an interrupted multipart upload -------------------------------------------------


def test_the_next_submit_resumes_an_interrupted_multipart_upload(client_farm, proxy, tmp_path):
    content = os.urandom(12 * MIB)
    path = tmp_path / "big.vdb"
    path.write_bytes(content)
    proxy.fail("/parts/7", status=502, times=-1)  # the farm's part 7 never gets through
    first = connector_via(proxy, client_farm)
    try:
        with pytest.raises(FarmConnectionError) as caught:
            first.submit(job(first, [path]))
    finally:
        first.close()
    assert "failed 4 times; giving up" in str(caught.value)
    assert proxy.requests("/multipart/", "DELETE") == []  # kept for resuming
    received = set(part_numbers(proxy))
    assert 7 not in received and received, received

    proxy.clear()
    time.sleep(RESUME_IDLE + 0.2)  # the farm hands an idle session to the next client
    proxy.log[:] = []
    second = connector_via(proxy, client_farm)
    try:
        result = second.submit(job(second, [path]))
        assert wait_final(second, result.job_id).succeeded
    finally:
        second.close()
    sent_again = set(part_numbers(proxy))
    assert sent_again == set(range(1, 13)) - received
    assert result.uploaded_bytes == len(sent_again) * MIB
    assert client_farm.stored(md5_of(content))
    assert client_farm.leftovers() == []


# -- files that change or vanish after hashing ------------------------------------------------


class ChangeWhenUploadStarts(object):
    """A progress callback that edits a file the moment the upload phase starts (after the
    file was hashed, before it is sent)."""

    def __init__(self, path, data, phase="uploading", final=False):
        self.path, self.data, self.phase, self.final = path, data, phase, final
        self.done = False
        self.phases = []

    def __call__(self, event):
        self.phases.append((event.phase, event.message))
        if self.done or event.phase != self.phase or bool(event.message) != self.final:
            return
        self.done = True
        if self.data is None:
            os.unlink(str(self.path))
        else:
            self.path.write_bytes(self.data)


@pytest.mark.parametrize("final", [False, True], ids=["before-it-is-sent", "after-it-was-sent"])
def test_a_file_edited_after_hashing_is_hashed_again_not_sent_with_its_old_md5(
    client_farm, farm_client, tmp_path, final
):
    old, new = os.urandom(5000), os.urandom(6000)
    edited = tmp_path / "scene.ass"
    edited.write_bytes(old)
    other = tmp_path / "other.txt"
    other.write_bytes(os.urandom(100))
    change = ChangeWhenUploadStarts(edited, new, final=final)
    result = farm_client.submit(
        job(farm_client, [edited, other], command="cat {}".format(edited)), progress=change
    )
    assert change.done
    assert wait_final(farm_client, result.job_id).succeeded
    assert client_farm.stored(md5_of(new))
    if not final:
        assert not client_farm.stored(md5_of(old))  # never sent under its old md5
    record = farm_client.status(result.job_id).raw
    assert record["job_title"] == "upload faults"
    hashing = [phase for phase, _ in change.phases if phase == "hashing"]
    assert hashing, change.phases


def test_a_file_deleted_after_hashing_is_named(client_farm, farm_client, tmp_path):
    doomed = tmp_path / "doomed.exr"
    doomed.write_bytes(os.urandom(3000))
    jobs_before = len(farm_client.jobs())
    with pytest.raises(InputError) as caught:
        farm_client.submit(
            job(farm_client, [doomed]), progress=ChangeWhenUploadStarts(doomed, None)
        )
    assert str(caught.value) == (
        "upload_paths: {} changed after it was hashed and cannot be read any more (No such "
        "file or directory)".format(doomed)
    )
    assert len(farm_client.jobs()) == jobs_before


def test_a_file_deleted_after_the_scan_is_named(client_farm, farm_client, tmp_path):
    from farmhand.core.job import JobSettings, build_submission

    doomed = tmp_path / "doomed.exr"
    doomed.write_bytes(b"x")
    settings = JobSettings(
        frames="1",
        task_template="true",
        instance_type=farm_client.catalogue().instance_types[0].name,
        output_path=str(tmp_path / "out"),
        upload_paths=[str(doomed)],
    )
    submission = build_submission(settings).check()
    doomed.unlink()
    with pytest.raises(InputError) as caught:
        farm_client.submit(submission)
    assert str(caught.value) == "upload_paths: entry 1 {!r}: no such file or directory".format(
        str(doomed)
    )


# -- force_upload, names, empty files ---------------------------------------------------------


def test_force_upload_sends_everything_again(client_farm, farm_client, tmp_path):
    a, b = tmp_path / "a.bin", tmp_path / "b.bin"
    a.write_bytes(os.urandom(3000))
    b.write_bytes(os.urandom(5 * MIB))  # multipart
    first = farm_client.submit(job(farm_client, [a, b]))
    assert first.uploaded_files == 2
    again = farm_client.submit(job(farm_client, [a, b]))
    assert again.uploaded_files == 0
    forced = farm_client.submit(job(farm_client, [a, b], force_upload=True))
    assert (forced.uploaded_files, forced.uploaded_bytes) == (2, 3000 + 5 * MIB)
    assert wait_final(farm_client, forced.job_id).succeeded


def test_names_with_spaces_and_non_ascii_characters_and_an_empty_file(
    client_farm, farm_client, tmp_path
):
    folder = tmp_path / "Szene 1"
    folder.mkdir()
    texture = folder / "Textur ü 漢字.exr"
    texture.write_bytes(os.urandom(2000))
    empty = folder / "leer.txt"
    empty.write_bytes(b"")
    result = farm_client.submit(
        job(
            farm_client,
            [folder],
            command="test -s '{}' && test -f '{}' && ! test -s '{}'".format(texture, empty, empty),
        )
    )
    assert result.uploaded_files == 2
    assert wait_final(farm_client, result.job_id).succeeded
    assert client_farm.stored(md5_of(b""))
