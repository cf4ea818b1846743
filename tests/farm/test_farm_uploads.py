"""Uploads: dedupe by md5, verified single-part and multipart uploads, jobs needing them."""

import base64
import hashlib
import os
import time

import pytest
import requests


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def ask(farm, files):
    reply = farm.post(
        "/api/v2/files/get_upload_urls",
        {
            "project": "default",
            "upload_files": [{"path": p, "hash": m, "size": s} for p, m, s in files],
        },
    )
    assert reply.status_code == 200, reply.text
    return reply.json()


def stored(farm, landing=()):
    """The md5s under their store names. A verified upload gets its name once its bytes are
    on disk, in the background (``farm/landing.py``): ``landing`` names contents to wait
    for (a few milliseconds)."""
    deadline = time.monotonic() + 10
    while True:
        found = []
        for _dirpath, dirnames, filenames in os.walk(farm.paths.store):
            dirnames[:] = [d for d in dirnames if d != "tmp"]
            found.extend(filenames)
        if set(landing) <= set(found) or time.monotonic() > deadline:
            return sorted(found)
        time.sleep(0.01)


def test_single_part_upload_is_stored_once_and_then_not_asked_for(farm):
    data = b"scene contents\n" * 100
    md5 = md5_b64(data)
    answer = ask(farm, [("/proj/scene.ass", md5, len(data)), ("/proj/copy.ass", md5, len(data))])
    assert answer["multiPartURLs"] == []
    assert len(answer["singlePartURLs"]) == 1  # the same content twice is asked for once
    item = answer["singlePartURLs"][0]
    assert item["filePath"] == "/proj/scene.ass" and item["fileSize"] == len(data)
    reply = requests.put(item["preSignedURL"], data=data, headers={"Content-MD5": md5})
    assert reply.status_code == 200
    assert reply.json() == {"md5": md5, "size": len(data), "stored": True}
    assert stored(farm, [hashlib.md5(data).hexdigest()]) == [hashlib.md5(data).hexdigest()]
    path = os.path.join(
        farm.paths.store, hashlib.md5(data).hexdigest()[:2], hashlib.md5(data).hexdigest()
    )
    assert oct(os.stat(path).st_mode & 0o777) == "0o400"
    # Asked again: the store has it, so nothing is asked for.
    assert ask(farm, [("/elsewhere/scene.ass", md5, len(data))]) == {
        "singlePartURLs": [],
        "multiPartURLs": [],
    }


def test_chunked_upload_like_ciocore_streams_it(farm):
    data = os.urandom(3 * 1024 * 1024 + 17)
    md5 = md5_b64(data)
    url = ask(farm, [("/p/big.bin", md5, len(data))])["singlePartURLs"][0]["preSignedURL"]

    def chunks():
        for start in range(0, len(data), 1024 * 1024):
            yield data[start : start + 1024 * 1024]

    reply = requests.put(url, data=chunks(), headers={"Content-MD5": md5})
    assert reply.status_code == 200, reply.text
    assert stored(farm, [hashlib.md5(data).hexdigest()]) == [hashlib.md5(data).hexdigest()]


def test_bytes_that_do_not_match_the_md5_are_rejected_and_not_stored(farm):
    data = b"the real bytes"
    md5 = md5_b64(data)
    url = ask(farm, [("/p/a", md5, len(data))])["singlePartURLs"][0]["preSignedURL"]
    reply = requests.put(
        url, data=b"other bytes!!!", headers={"Content-MD5": md5_b64(b"other bytes!!!")}
    )
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "md5 mismatch: this URL is for {} but the 14 bytes received hash to {}; nothing"
        " was stored".format(md5, md5_b64(b"other bytes!!!")),
        "field": "Content-MD5",
    }
    assert stored(farm) == []
    assert os.listdir(farm.paths.store_tmp) == []


def test_content_md5_header_must_match_the_bytes(farm):
    data = b"payload"
    md5 = md5_b64(data)
    url = ask(farm, [("/p/a", md5, len(data))])["singlePartURLs"][0]["preSignedURL"]
    reply = requests.put(url, data=data, headers={"Content-MD5": md5_b64(b"x")})
    assert reply.status_code == 400
    assert reply.json()["error"] == (
        "Content-MD5 mismatch: the header says {} but the 7 bytes received hash to {};"
        " nothing was stored".format(md5_b64(b"x"), md5)
    )
    assert stored(farm) == []


def test_size_must_match_the_announced_size(farm):
    data = b"abc"
    md5 = md5_b64(data)
    url = ask(farm, [("/p/a", md5, 5)])["singlePartURLs"][0]["preSignedURL"]
    reply = requests.put(url, data=data, headers={"Content-MD5": md5})
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "size mismatch: expected 5 bytes, received 3; nothing was stored",
        "field": "Content-Length",
    }
    assert stored(farm) == []


def test_tampered_signed_url_is_refused(farm):
    data = b"abc"
    md5 = md5_b64(data)
    url = ask(farm, [("/p/a", md5, 3)])["singlePartURLs"][0]["preSignedURL"]
    other = hashlib.md5(b"zzz").hexdigest()
    tampered = url.replace(hashlib.md5(data).hexdigest(), other)
    reply = requests.put(tampered, data=b"zzz")
    assert reply.status_code == 401
    assert stored(farm) == []


@pytest.mark.parametrize(
    "entry, field, message",
    [
        (
            {"path": "/a", "hash": "nope", "size": 1},
            "upload_files[0].hash",
            "'nope' is not an md5 (base64 of 16 bytes) for /a",
        ),
        (
            {"path": "", "hash": "1B2M2Y8AsgTpgAmY7PhCfg==", "size": 1},
            "upload_files[0].path",
            "expected a file path, got ''",
        ),
        (
            {"path": "/a", "hash": "1B2M2Y8AsgTpgAmY7PhCfg==", "size": -1},
            "upload_files[0].size",
            "expected a size in bytes (integer >= 0) for /a, got -1",
        ),
    ],
)
def test_bad_upload_entries(farm, entry, field, message):
    reply = farm.post("/api/v2/files/get_upload_urls", {"upload_files": [entry]})
    assert reply.status_code == 400
    assert reply.json() == {"error": message, "field": field}


def test_job_needing_a_file_the_store_lacks_is_refused_and_not_started(farm, tmp_path):
    marker = tmp_path / "ran"
    payload = farm.payload(
        ["touch {}".format(marker)],
        upload_files=[
            {"md5": md5_b64(b"never uploaded"), "destination": "/p/x.abc", "st_size": 14}
        ],
    )
    reply = farm.post("/jobs/", payload)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "md5 {} of /p/x.abc is not in the farm's store (1 of 1 files missing); upload"
        " the files (POST /api/v2/files/get_upload_urls) before submitting".format(
            md5_b64(b"never uploaded")
        ),
        "field": "upload_files[0].md5",
    }
    assert farm.get("/api/v1/jobs").json()["data"] == []
    assert not marker.exists()


def test_job_whose_upload_failed_verification_is_refused(farm):
    data = b"good"
    md5 = md5_b64(data)
    url = ask(farm, [("/p/a", md5, 4)])["singlePartURLs"][0]["preSignedURL"]
    assert requests.put(url, data=b"evil").status_code == 400
    reply = farm.post(
        "/jobs/",
        farm.payload(["true"], upload_files=[{"md5": md5, "destination": "/p/a", "st_size": 4}]),
    )
    assert reply.status_code == 400
    assert reply.json()["field"] == "upload_files[0].md5"


def test_job_with_uploads_gets_its_files(farm, tmp_path):
    data = b"texture bytes"
    md5 = farm.upload(data, "/p/tex.png")
    missing = tmp_path / "restored" / "tex.png"  # the original is gone on this machine
    dump = tmp_path / "seen"
    jid = farm.submit(
        ['cat "$FARMHAND_INPUTS{}" > {} && cat {} >> {}'.format(missing, dump, missing, dump)],
        upload_files=[{"md5": md5, "destination": str(missing), "st_size": len(data)}],
    )
    assert farm.wait(jid)["status"] == "success", farm.log(jid, "000")
    assert dump.read_bytes() == data + data
    assert missing.read_bytes() == data


@pytest.fixture
def multipart_farm(farm_factory):
    return farm_factory(
        config={"probe_software": False, "multipart_threshold": 1000, "part_size": 400}
    )


def test_multipart_upload(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    md5 = md5_b64(data)
    answer = ask(farm, [("/p/big", md5, len(data))])
    assert answer["singlePartURLs"] == []
    upload = answer["multiPartURLs"][0]
    assert upload["partSize"] == 400 and upload["md5"] == md5 and upload["fileSize"] == 1000
    assert [p["partNumber"] for p in upload["parts"]] == [1, 2, 3]
    parts = []
    for part in upload["parts"]:
        start = (part["partNumber"] - 1) * 400
        reply = requests.put(part["url"], data=data[start : start + 400])
        assert reply.status_code == 200
        parts.append({"partNumber": part["partNumber"], "etag": reply.headers["ETag"].strip('"')})
    assert stored(farm) == []  # nothing is visible before completion
    reply = farm.post(
        "/api/v2/files/multipart/complete",
        {
            "uploadID": upload["uploadID"],
            "hash": md5,
            "completedParts": parts,
            "project": "default",
        },
    )
    assert reply.status_code == 200, reply.text
    assert stored(farm, [hashlib.md5(data).hexdigest()]) == [hashlib.md5(data).hexdigest()]
    assert not any(name.startswith("multipart-") for name in os.listdir(farm.paths.store_tmp))


def test_multipart_with_wrong_bytes_is_rejected_and_cleaned(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    md5 = md5_b64(data)
    upload = ask(farm, [("/p/big", md5, len(data))])["multiPartURLs"][0]
    parts = []
    for part in upload["parts"]:
        start = (part["partNumber"] - 1) * 400
        chunk = bytearray(data[start : start + 400])
        if part["partNumber"] == 2:
            chunk[0] ^= 0xFF  # corrupted in transit
        reply = requests.put(part["url"], data=bytes(chunk))
        parts.append({"partNumber": part["partNumber"], "etag": reply.headers["ETag"]})
    reply = farm.post(
        "/api/v2/files/multipart/complete",
        {"uploadID": upload["uploadID"], "hash": md5, "completedParts": parts},
    )
    assert reply.status_code == 400
    assert reply.json()["field"] == "hash"
    assert reply.json()["error"].startswith(
        "md5 mismatch: the upload was announced as {} but its 1000 bytes hash to ".format(md5)
    )
    assert stored(farm) == []
    assert os.listdir(farm.paths.store_tmp) == []


def test_multipart_bad_etag_and_wrong_part_size(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    md5 = md5_b64(data)
    upload = ask(farm, [("/p/big", md5, len(data))])["multiPartURLs"][0]
    reply = requests.put(upload["parts"][0]["url"], data=data[:399])
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "part 1 has 399 bytes; expected 400",
        "field": "Content-Length",
    }
    for part in upload["parts"]:
        start = (part["partNumber"] - 1) * 400
        requests.put(part["url"], data=data[start : start + 400])
    parts = [{"partNumber": n, "etag": "0" * 32} for n in (1, 2, 3)]
    reply = farm.post(
        "/api/v2/files/multipart/complete",
        {"uploadID": upload["uploadID"], "hash": md5, "completedParts": parts},
    )
    assert reply.status_code == 400
    assert reply.json()["field"] == "completedParts[0].etag"
    assert stored(farm) == []


def test_multipart_abort_leaves_nothing(multipart_farm):
    farm = multipart_farm
    data = os.urandom(1000)
    upload = ask(farm, [("/p/big", md5_b64(data), len(data))])["multiPartURLs"][0]
    requests.put(upload["parts"][0]["url"], data=data[:400])
    reply = farm.session.delete(farm.url + "/api/v2/files/multipart/" + upload["uploadID"])
    assert reply.status_code == 200
    assert os.listdir(farm.paths.store_tmp) == []
    reply = farm.post(
        "/api/v2/files/multipart/complete",
        {"uploadID": upload["uploadID"], "hash": md5_b64(data), "completedParts": []},
    )
    assert reply.status_code == 404
    assert reply.json()["error"].startswith("no multipart upload '{}'".format(upload["uploadID"]))
