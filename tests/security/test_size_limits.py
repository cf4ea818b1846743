"""Job files and HTTP bodies have size limits, and going over one is a clear error naming it.

Every route that reads a body reads it through ``read_body`` (``farm/http_util.py``) with a
limit sized to what it carries: a declared Content-Length over it is refused before a byte
is read, a chunked body as soon as it passes it. aiohttp's ``client_max_size`` (the payload
limit, app-wide) is only a backstop. Uploads stream to disk with their own limit (the size
the signed URL names).
"""

import json
import os
import re
import socket

import pytest
import requests

from farmhand.core.job.job_file import MAX_JOB_FILE_BYTES, JobFileError, read_job_file
from farmhand.farm import signing
from farmhand.farm.payload import MAX_BODY_BYTES
from farmhand.farm.routes.auth import MAX_FORM_BYTES
from farmhand.farm.routes.upload_daemon import FAIL_BYTES, NEXT_BYTES
from farmhand.farm.tractor.spool_route import MAX_SCRIPT_BYTES

pytestmark = pytest.mark.timeout(180)

MIB = 1024 * 1024
# Every route that reads a JSON body, with its limit (read_json's second argument).
JSON_ROUTES = [
    ("PUT", "/uploads/client/next", NEXT_BYTES),
    ("POST", "/uploads/abc/fail", FAIL_BYTES),
    ("POST", "/jobs/", MAX_BODY_BYTES),
    ("POST", "/jobs", MAX_BODY_BYTES),
    ("POST", "/api/v1/jobs", MAX_BODY_BYTES),
    ("PUT", "/jobs_multi", MIB),
    ("PUT", "/tasks_multi", MIB),
    ("POST", "/uploads/abc/update", MIB),
    ("POST", "/uploads/abc/finish", MAX_BODY_BYTES),
    ("POST", "/api/v2/files/get_upload_urls", MAX_BODY_BYTES),
    ("POST", "/api/v2/files/multipart/complete", 16 * MIB),
    ("POST", "/jobs/00001/downloads", 16 * MIB),
]


def _token(farm):
    key = json.loads(farm.api_key)
    reply = requests.post(
        farm.url + "/api/oauth_jwt",
        data={"client_id": key["client_id"], "client_secret": key["private_key"]},
        timeout=30,
    )
    return reply.json()["access_token"]


def _raw(farm, head_lines, body=b"", timeout=30):
    """Send a request by hand (a Content-Length can claim more than is sent) and return
    (status, parsed JSON body)."""
    port = int(farm.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(head_lines) + "\r\n\r\n").encode("ascii") + body)
        data = b""
        while b"\r\n\r\n" not in data or len(data.partition(b"\r\n\r\n")[2]) < _length(data):
            chunk = sock.recv(65536)  # the farm answers at once; it does not wait for a body
            if not chunk:
                break
            data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(rest.decode("utf-8"))


def _length(data):
    for line in data.partition(b"\r\n\r\n")[0].split(b"\r\n"):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            return int(value)
    return 1 << 62


@pytest.mark.parametrize("method, path, limit", JSON_ROUTES)
def test_a_declared_body_over_the_limit_is_refused_unread(live_farm, method, path, limit):
    status, answer = _raw(
        live_farm,
        [
            "{} {} HTTP/1.1".format(method, path),
            "Host: 127.0.0.1",
            "Authorization: Bearer " + _token(live_farm),
            "Content-Type: application/json",
            "Content-Length: {}".format(limit + 1),
            "Connection: close",
        ],
    )
    assert status == 400
    assert answer == {
        "error": "the request body is {} bytes; the limit is {}".format(limit + 1, limit),
        "field": "body",
    }


def test_a_streamed_body_is_cut_off_at_the_limit(live_farm):
    def chunks():
        for _ in range(3):
            yield b" " * (MIB // 2)

    reply = requests.put(
        live_farm.url + "/jobs_multi",
        data=chunks(),  # no Content-Length: chunked transfer
        headers={"Authorization": "Bearer " + _token(live_farm)},
        timeout=60,
    )
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "the request body is over {} bytes (the limit)".format(MIB),
        "field": "body",
    }


@pytest.mark.parametrize(
    "method, path, limit",
    [("PUT", "/uploads/client/next", NEXT_BYTES), ("POST", "/uploads/abc/fail", FAIL_BYTES)],
)
def test_the_upload_daemon_routes_cut_a_streamed_body_at_their_limit(
    live_farm, method, path, limit
):
    """They used to read their body whole, bounded only by the app-wide 64 MiB."""

    def chunks():
        yield b" " * limit
        yield b"  "

    reply = requests.request(
        method,
        live_farm.url + path,
        data=chunks(),  # no Content-Length: chunked transfer
        headers={"Authorization": "Bearer " + _token(live_farm)},
        timeout=60,
    )
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "the request body is over {} bytes (the limit)".format(limit),
        "field": "body",
    }


def test_the_upload_daemon_routes_still_take_what_they_carry(live_farm):
    headers = {"Authorization": "Bearer " + _token(live_farm)}
    reply = requests.put(
        live_farm.url + "/uploads/client/next",
        json={"location": "x" * (NEXT_BYTES - 100)},
        headers=headers,
        timeout=30,
    )
    assert reply.status_code == 204, reply.text  # nothing is owed to that location
    reply = requests.put(live_farm.url + "/uploads/client/next", headers=headers, timeout=30)
    assert reply.status_code == 204, reply.text  # no body: every location
    reply = requests.post(
        live_farm.url + "/uploads/abc/fail", data=b"Traceback...\n" * 1000, headers=headers
    )
    assert reply.status_code < 500 and reply.json().get("field") != "body", reply.text


def test_a_tractor_script_over_the_limit_is_refused(live_farm):
    status, answer = _raw(
        live_farm,
        [
            "POST /Tractor/spool HTTP/1.1",
            "Host: 127.0.0.1",
            "Authorization: Bearer " + _token(live_farm),
            "Content-Type: application/tractor-spool",
            "Content-Length: {}".format(MAX_SCRIPT_BYTES + 1),
            "Connection: close",
        ],
    )
    assert status == 400
    assert answer["msg"] == "the job script is {} bytes; the limit is {}".format(
        MAX_SCRIPT_BYTES + 1, MAX_SCRIPT_BYTES
    ), answer


def test_an_upload_cannot_send_more_than_its_signed_size(live_farm):
    with open(live_farm.paths.secret, "rb") as handle:
        secret = handle.read().strip()
    path = "/api/v2/files/objects/{}/4".format("0" * 32)
    query = signing.signed_query(secret, "PUT", path)
    reply = requests.put(live_farm.url + path + "?" + query, data=b"x" * 100000, timeout=30)
    assert reply.status_code == 400
    assert reply.json()["error"].startswith("size mismatch: expected 4 bytes, received more ("), (
        reply.text
    )
    assert reply.json()["error"].endswith("nothing was stored")
    assert os.listdir(live_farm.paths.store_tmp) == []


def test_a_job_file_over_the_limit_is_refused_before_parsing(tmp_path):
    path = tmp_path / "huge.json"
    with open(str(path), "wb") as handle:
        handle.truncate(MAX_JOB_FILE_BYTES + 1)  # sparse: no disk is used
    with pytest.raises(JobFileError) as caught:
        read_job_file(str(path))
    assert str(caught.value) == (
        "{}: the job file is over {} bytes (the limit for a job file); split the job".format(
            path, MAX_JOB_FILE_BYTES
        )
    )


def test_a_job_file_at_the_limit_is_read(tmp_path):
    path = tmp_path / "big.json"
    text = '{"job_title": "big", "metadata": {"pad": "'
    text += "x" * (MAX_JOB_FILE_BYTES - len(text) - 3) + '"}}'
    path.write_text(text)
    assert os.path.getsize(str(path)) == MAX_JOB_FILE_BYTES
    assert read_job_file(str(path))["job_title"] == "big"


def test_the_token_exchange_reads_a_small_form_only(live_farm):
    """The one route open to anybody on the machine reads at most 64 KiB of form."""
    from farmhand.farm.routes.auth import MAX_FORM_BYTES

    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, answer = _raw(
        live_farm,
        [
            "POST /api/oauth_jwt HTTP/1.1",
            "Host: 127.0.0.1",
            "Content-Type: application/x-www-form-urlencoded",
            "Content-Length: {}".format(MAX_FORM_BYTES + 1),
            "Connection: close",
        ],
    )
    assert status == 400
    assert answer == {
        "error": "the token request's body is {} bytes; the limit is {}".format(
            MAX_FORM_BYTES + 1, MAX_FORM_BYTES
        ),
        "field": "body",
    }

    def chunks():
        yield b"client_id=x&client_secret=" + b"y" * MAX_FORM_BYTES

    reply = requests.post(live_farm.url + "/api/oauth_jwt", data=chunks(), headers=form, timeout=30)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "the token request's body is over {} bytes (the limit)".format(MAX_FORM_BYTES),
        "field": "body",
    }
    reply = requests.post(
        live_farm.url + "/api/oauth_jwt", data=b"client_id=\xff", headers=form, timeout=30
    )
    assert reply.json() == {"error": "the token request's body is not UTF-8 text", "field": "body"}
    multipart = requests.post(
        live_farm.url + "/api/oauth_jwt",
        files={"client_id": (None, "x"), "client_secret": (None, "y" * (MAX_FORM_BYTES + 1))},
        timeout=30,
    )
    assert multipart.status_code == 400
    assert multipart.json()["error"] == (
        "a multipart token request needs a Content-Length of at most {}".format(MAX_FORM_BYTES)
    )


PLACEHOLDERS = {"jid": "00001", "tid": "000", "hex": "00" * 16, "size": "4", "number": "1"}
LIMIT = re.compile(r"the limit is (\d+)$")


def test_every_body_read_has_its_own_limit_below_the_app_wide_cap(live_farm):
    """Read from the served application, so a new route is checked too: every POST, PUT and
    DELETE route is sent a declared body as large as the app-wide cap (aiohttp's
    ``client_max_size``) and must answer at once (a route that read its body whole, or up to
    the cap, would wait for the bytes and the socket would time out): with a refusal naming a
    limit below the cap, or with its own answer when it reads no body (or, for the signed
    upload routes, streams it to disk against the size its URL names)."""
    cap = live_farm.app._client_max_size
    assert cap == MAX_BODY_BYTES + 1
    token = _token(live_farm)
    limits = {}
    checked = 0
    for route in live_farm.app.router.routes():
        method, canonical = route.method, route.resource.canonical
        if method in ("GET", "HEAD"):
            continue
        path = re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDERS.get(m.group(1), "abc"), canonical)
        status, answer = _raw(
            live_farm,
            [
                "{} {} HTTP/1.1".format(method, path),
                "Host: 127.0.0.1",
                "Authorization: Bearer " + token,
                "Content-Type: application/x-www-form-urlencoded"
                if path == "/api/oauth_jwt"
                else "Content-Type: application/tractor-spool"
                if path == "/Tractor/spool"
                else "Content-Type: application/json",
                "Content-Length: {}".format(cap),
                "Connection: close",
            ],
            timeout=10,
        )
        assert status < 500, (method, canonical, status, answer)
        if answer.get("field") == "body":
            message = answer.get("error") or answer.get("msg")
            found = LIMIT.search(message)
            assert found, (method, canonical, answer)
            assert int(found.group(1)) < cap, (method, canonical, answer)
            limits[(method, path)] = int(found.group(1))
        checked += 1
    assert checked >= 18  # every POST, PUT and DELETE route
    expected = {(method, path): limit for method, path, limit in JSON_ROUTES}
    expected[("POST", "/api/oauth_jwt")] = MAX_FORM_BYTES
    expected[("POST", "/Tractor/spool")] = MAX_SCRIPT_BYTES
    assert {k: v for k, v in limits.items() if k in expected} == expected
