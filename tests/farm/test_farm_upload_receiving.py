"""How uploads are received: streamed, hashed as they arrive, landed on disk before use.

The byte-level guarantees (wrong bytes never stored, nothing half-stored, dedupe) are in
test_farm_uploads.py; these tests pin what makes receiving fast without losing them: a job
may name a file at once after its upload (the submit waits until the file is on disk),
multipart parts may come in any order or be sent again, a clean stop lands every verified
upload, and the store lands files in the order that survives a power loss.
"""

import base64
import hashlib
import os
import threading
import time

import pytest
import requests

from farmhand.farm import disk_sync, landing, multipart
from farmhand.farm.store import BlobStore


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def hex_of(data):
    return hashlib.md5(data).hexdigest()


def store_names(farm):
    """The store's contents right now (no waiting)."""
    found = []
    for _dirpath, dirnames, filenames in os.walk(farm.paths.store):
        dirnames[:] = [d for d in dirnames if d != "tmp"]
        found.extend(filenames)
    return sorted(found)


def ask(farm, path, data):
    reply = farm.post(
        "/api/v2/files/get_upload_urls",
        {
            "project": "default",
            "upload_files": [{"path": path, "hash": md5_b64(data), "size": len(data)}],
        },
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def complete(farm, upload, parts):
    return farm.post(
        "/api/v2/files/multipart/complete",
        {"uploadID": upload["uploadID"], "hash": upload["md5"], "completedParts": parts},
    )


@pytest.fixture
def multipart_farm(farm_factory):
    return farm_factory(
        config={"probe_software": False, "multipart_threshold": 1000, "part_size": 400}
    )


def put_parts(upload, data, order):
    etags = {}
    for number in order:
        part = upload["parts"][number - 1]
        start = (number - 1) * 400
        reply = requests.put(part["url"], data=data[start : start + 400], timeout=30)
        assert reply.status_code == 200, reply.text
        etags[number] = reply.headers["ETag"].strip('"')
    return [{"partNumber": n, "etag": etags[n]} for n in sorted(etags)]


def test_a_job_named_right_after_its_upload_finds_the_file_on_disk(farm, tmp_path):
    data = os.urandom(3 * 1024 * 1024)
    (tmp_path / "original").write_bytes(data)
    md5 = farm.upload(data, "/p/plate.exr")
    jid = farm.submit(
        ["cmp $FARMHAND_INPUTS/p/plate.exr {}".format(tmp_path / "original")],
        upload_files=[{"md5": md5, "destination": "/p/plate.exr", "st_size": len(data)}],
    )
    # The submit waited for the file to land: it is under its store name already.
    assert hex_of(data) in store_names(farm)
    assert farm.wait(jid)["status"] == "success", farm.log(jid, "000")


def test_multipart_parts_in_any_order(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    upload = ask(farm, "/p/big", data)["multiPartURLs"][0]
    parts = put_parts(upload, data, [3, 1, 2])
    reply = complete(farm, upload, parts)
    assert reply.status_code == 200, reply.text
    assert reply.json() == {"md5": md5_b64(data), "size": 1000, "stored": True}
    farm.submit(["true"], upload_files=[{"md5": md5_b64(data), "destination": "/p/big"}])
    assert store_names(farm) == [hex_of(data)]


def test_a_part_sent_again_replaces_the_first_one_and_its_etag(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    upload = ask(farm, "/p/big", data)["multiPartURLs"][0]
    first = requests.put(upload["parts"][0]["url"], data=b"x" * 400, timeout=30)  # corrupted
    assert first.status_code == 200
    parts = put_parts(upload, data, [1, 2, 3])  # part 1 again, now right
    stale = [dict(parts[0], etag=first.headers["ETag"].strip('"'))] + parts[1:]
    reply = complete(farm, upload, stale)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "etag {!r} of part 1 is not the one the farm gave for it ({}): the part was"
        " sent again since".format(stale[0]["etag"], parts[0]["etag"]),
        "field": "completedParts[0].etag",
    }
    upload = ask(farm, "/p/big", data)["multiPartURLs"][0]  # a failed complete discards
    requests.put(upload["parts"][1]["url"], data=b"y" * 400, timeout=30)
    parts = put_parts(upload, data, [1, 2, 3])
    assert complete(farm, upload, parts).status_code == 200


def test_a_part_may_carry_content_md5(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    upload = ask(farm, "/p/big", data)["multiPartURLs"][0]
    url = upload["parts"][0]["url"]
    reply = requests.put(url, data=data[:400], headers={"Content-MD5": md5_b64(b"z")}, timeout=30)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "Content-MD5 mismatch on part 1: header {} but the bytes hash to {}".format(
            md5_b64(b"z"), md5_b64(data[:400])
        ),
        "field": "Content-MD5",
    }
    reply = requests.put(url, data=data[:400], headers={"Content-MD5": md5_b64(data[:400])})
    assert reply.status_code == 200


def test_more_bytes_than_announced_are_refused(farm):
    url = ask(farm, "/p/a", b"abc")["singlePartURLs"][0]["preSignedURL"]
    reply = requests.put(url, data=b"abcde", headers={"Content-MD5": md5_b64(b"abc")})
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "size mismatch: expected 3 bytes, received more (5 so far); nothing was stored",
        "field": "Content-Length",
    }
    assert os.listdir(farm.paths.store_tmp) == []


def test_a_part_with_more_bytes_than_its_size_is_refused(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    upload = ask(farm, "/p/big", data)["multiPartURLs"][0]
    reply = requests.put(upload["parts"][0]["url"], data=data[:401], timeout=30)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "part 1 has more bytes than expected (400)",
        "field": "Content-Length",
    }
    parts = put_parts(upload, data, [1, 2, 3])  # the upload goes on with the right part
    assert complete(farm, upload, parts).status_code == 200


def test_a_part_still_arriving_blocks_its_twin_and_complete(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    upload = ask(farm, "/p/big", data)["multiPartURLs"][0]
    go_on = threading.Event()
    replies = []

    def slow_body():
        yield data[:100]
        go_on.wait(30)
        yield data[100:400]

    sender = threading.Thread(
        target=lambda: replies.append(requests.put(upload["parts"][0]["url"], data=slow_body()))
    )
    sender.start()
    try:
        deadline = time.monotonic() + 10
        # The part's file appears once the farm took the part in (before its bytes).
        while not any(n.startswith("multipart-") for n in os.listdir(farm.paths.store_tmp)):
            assert time.monotonic() < deadline
            time.sleep(0.01)
        twin = requests.put(upload["parts"][0]["url"], data=data[:400], timeout=30)
        assert twin.status_code == 409
        assert twin.json()["error"] == "part 1 of upload {} is being received already".format(
            upload["uploadID"]
        )
        early = complete(farm, upload, [{"partNumber": n, "etag": "x"} for n in (1, 2, 3)])
        assert early.status_code == 409
        assert early.json()["error"] == (
            "parts [1] of upload {} are still being received; complete once they are done".format(
                upload["uploadID"]
            )
        )
    finally:
        go_on.set()
        sender.join(30)
    assert replies[0].status_code == 200, replies[0].text
    parts = put_parts(upload, data, [2, 3])
    parts.insert(0, {"partNumber": 1, "etag": replies[0].headers["ETag"].strip('"')})
    assert complete(farm, upload, parts).status_code == 200


def test_a_clean_stop_keeps_every_verified_upload(farm):
    blobs = [os.urandom(2048) for _ in range(20)]
    for index, data in enumerate(blobs):
        farm.upload(data, "/p/f{}".format(index))
    farm.stop()  # verified uploads still landing are landed before the farm exits
    assert store_names(farm) == sorted(hex_of(data) for data in blobs)
    assert os.listdir(farm.paths.store_tmp) == []
    farm.restart()
    for index, data in enumerate(blobs):
        assert ask(farm, "/p/f{}".format(index), data)["singlePartURLs"] == []


def test_what_a_crash_left_in_store_tmp_is_removed_at_start(farm):
    farm.stop()
    leftover = os.path.join(farm.paths.store_tmp, "upload-0123")
    with open(leftover, "wb") as handle:
        handle.write(b"verified but never landed")
    farm.restart()
    assert not os.path.exists(leftover)


def test_an_abandoned_multipart_upload_is_dropped_when_the_next_one_starts(tmp_path):
    """A submit killed mid-upload leaves a session nobody completes; its file must not wait
    for a farm restart (a resubmit starts a new session and sends the bytes again)."""
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "tmp"))
    uploads = multipart.MultipartUploads(store, threads=None)
    data = b"x" * 10
    killed = uploads.start(md5_b64(data), len(data), 5)
    with open(killed.path, "wb") as handle:
        handle.write(data[:5])  # part 1 arrived, then the client was killed
    receiving = uploads.start(md5_b64(data), len(data), 5)
    receiving.busy.add(1)  # a part still arriving, however long it takes
    for session in (killed, receiving):
        session.touched_at -= multipart.ABANDONED_AFTER - 1
    uploads.start(md5_b64(data), len(data), 5)
    assert os.path.exists(killed.path)  # not idle long enough yet
    for session in (killed, receiving):
        session.touched_at -= 2
    newest = uploads.start(md5_b64(data), len(data), 5)
    assert not os.path.exists(killed.path)
    assert killed.upload_id not in uploads.sessions
    assert receiving.upload_id in uploads.sessions and newest.upload_id in uploads.sessions


# -- the store's landing order, without a farm ---------------------------------------------


@pytest.fixture
def journal(monkeypatch):
    """Every durability call and rename the lander makes, in order."""
    events = []
    real_replace = os.replace

    def replace(source, target):
        events.append(("rename", os.path.basename(target)))
        real_replace(source, target)

    monkeypatch.setattr(disk_sync, "fsync_path", lambda path: events.append(("fsync", path)))
    monkeypatch.setattr(disk_sync, "syncfs", lambda path: events.append(("syncfs", path)))
    monkeypatch.setattr(landing.os, "replace", replace)
    return events


def writer_of(store, data):
    writer = store.writer(md5_b64(data), len(data))
    writer.write(data)
    return writer


def test_a_file_is_durable_before_it_gets_its_name_and_the_name_after(tmp_path, journal):
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))
    writer = writer_of(store, b"texture")
    tmp = writer.tmp
    assert writer.commit(None) is True
    name = hex_of(b"texture")
    folder = os.path.dirname(store.path(md5_b64(b"texture")))
    assert journal == [
        ("fsync", tmp),
        ("rename", name),
        ("fsync", folder),  # the file's new name
        ("fsync", store.root),  # the new folder's name
    ]
    assert oct(os.stat(store.path(md5_b64(b"texture"))).st_mode & 0o777) == "0o400"


def test_a_batch_lands_with_one_syncfs_before_and_one_after_the_renames(tmp_path, journal):
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))
    lander = landing.Lander(store.root, store.path_for_hex, background=False)
    blobs = [os.urandom(64) for _ in range(2 * landing.SYNCFS_FROM)]  # >= 8 folders too
    items = []
    for data in blobs:
        writer = writer_of(store, data)
        writer._close()
        items.append((hex_of(data), writer.tmp))
    called = []
    lander._landing.update(dict(items))
    lander.when_landed({h for h, _ in items}, lambda: called.append(True))
    lander._land(items)
    kinds = [kind for kind, _ in journal]
    assert kinds[0] == "syncfs" and kinds[-1] == "syncfs"
    assert kinds[1:-1] == ["rename"] * len(blobs)
    assert called == [True] and lander.idle()
    assert all(os.path.exists(store.path_for_hex(h)) for h, _ in items)


def test_a_file_that_cannot_be_made_durable_is_not_stored(tmp_path, monkeypatch):
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))

    def broken(path):
        raise OSError(5, "Input/output error", path)

    monkeypatch.setattr(disk_sync, "fsync_path", broken)
    writer = writer_of(store, b"plate")
    assert writer.commit(None) is True
    assert not store.has(md5_b64(b"plate"))
    assert os.listdir(store.tmp) == []


def test_the_background_lander_tells_waiters_once_files_landed(tmp_path):
    import asyncio

    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"), background=True)
    blobs = [os.urandom(256) for _ in range(30)]

    async def upload_then_wait():
        for data in blobs:
            writer_of(store, data).commit(None)
            assert store.has(md5_b64(data))  # landing or landed: not asked for again
        await asyncio.wait_for(store.settled(md5_b64(d) for d in blobs), 10)
        return [os.path.exists(store.path(md5_b64(d))) for d in blobs]

    try:
        assert asyncio.run(upload_then_wait()) == [True] * len(blobs)
        again = writer_of(store, blobs[0])
        assert again.commit(None) is False  # already stored: one copy
    finally:
        store.close()
    assert os.listdir(store.tmp) == []
