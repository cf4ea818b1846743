"""Nobody on the machine can take all of the farm's connections (and with them its file
descriptors): over ``connection_cap.MAX_CONNECTIONS`` open ones a new connection gets a clear
503 at once and is closed; once some close, connections are served again. The cap is set to
4 here so the test opens a handful of sockets, not hundreds."""

import json
import socket
import time

import pytest
import requests

from farmhand.farm import connection_cap

pytestmark = pytest.mark.timeout(120)

LIMIT = 4


def _port(farm):
    return int(farm.url.rsplit(":", 1)[1])


def _busy_answer(sock):
    data = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk


def test_connections_over_the_cap_get_a_503_naming_it(start_live_farm, monkeypatch, caplog):
    monkeypatch.setattr(connection_cap, "MAX_CONNECTIONS", LIMIT)
    farm = start_live_farm()
    token = farm.token()
    time.sleep(0.2)  # the token exchange's connection is closed by now
    idle = [socket.create_connection(("127.0.0.1", _port(farm)), timeout=10) for _ in range(LIMIT)]
    try:
        for _ in range(2):
            with socket.create_connection(("127.0.0.1", _port(farm)), timeout=10) as extra:
                data = _busy_answer(extra)
            head, _, body = data.partition(b"\r\n\r\n")
            assert head.split(b"\r\n")[0] == b"HTTP/1.1 503 Service Unavailable"
            assert b"Retry-After: 1" in head.split(b"\r\n")
            assert json.loads(body.decode("utf-8")) == {
                "error": "the farm has {} connections open (the limit); close idle ones or"
                " try again shortly".format(LIMIT),
                "field": None,
            }
        warned = [r.getMessage() for r in caplog.records if "over the limit" in r.getMessage()]
        assert warned == ["refusing connections over the limit of {}".format(LIMIT)]  # once
    finally:
        for sock in idle:
            sock.close()
    deadline = time.monotonic() + 10
    while True:  # the farm notices the closed sockets within moments
        reply = requests.get(
            farm.url + "/api/v1/jobs", headers={"Authorization": "Bearer " + token}, timeout=10
        )
        if reply.status_code != 503 or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert reply.status_code == 200, reply.text


def test_the_cap_is_far_above_what_farmhand_opens():
    # A submitter's upload threads, the UI and the CLI open tens of connections at most.
    assert connection_cap.MAX_CONNECTIONS == 256
