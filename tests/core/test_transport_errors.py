"""What the Conductor-protocol client says when the server at the URL is not a farm, or is one
that fails: one line naming the URL, the request and the status, never a bare "HTTP 404".

The server here (tests/support/stand_in_http.py) stands in for a wrong ``CONDUCTOR_URL`` (a
web server, a proxy) or a service answering with its protocol's ``{"error": ...}`` body; the
real local farm's own errors are tested in tests/farm.
"""

import json
import socket
import struct
import threading

import pytest
from stand_in_http import StandIn

from farmhand.core.connectors.conductor.credentials import parse_api_key
from farmhand.core.connectors.conductor.transport import ConductorHttp, FarmRejectedError
from farmhand.core.errors import FarmConnectionError

KEY = parse_api_key({"client_id": "cid-1", "private_key": "secret-1"}, "test")
TOKEN = json.dumps({"access_token": "t", "expires_in": 3600})


def _json(status, data):
    return (status, "application/json", json.dumps(data).encode())


@pytest.mark.parametrize(
    "answer, tail",
    [
        ((404, None, b""), "HTTP 404 Not Found"),
        ((404, "text/html", b"<html>\n<head><title>404</title></head>"), "HTTP 404 Not Found"),
        ((404, "text/plain", b"no such page\nsecond line"), "HTTP 404 Not Found: no such page"),
        ((502, None, b""), "HTTP 502 Bad Gateway"),
    ],
)
def test_a_server_without_the_token_exchange_is_named(answer, tail):
    with StandIn({"/api/oauth_jwt": answer}) as server:
        http = ConductorHttp(server.url, KEY)
        with pytest.raises(FarmConnectionError) as caught:
            http.json("GET", "/api/v1/jobs")
    assert str(caught.value) == (
        "the farm at {} answered GET /api/oauth_jwt with {} "
        "(is it a Conductor-compatible service?)".format(server.url, tail)
    )
    assert caught.value.status == answer[0]
    assert not isinstance(caught.value, FarmRejectedError)  # exits 1 (service), not 2 (input)


def test_the_farms_own_error_body_is_the_users_input():
    answers = {
        "/api/oauth_jwt": (200, "application/json", TOKEN.encode()),
        "/api/v1/jobs/00042": _json(404, {"error": "no job 00042", "field": None}),
    }
    with StandIn(answers) as server, pytest.raises(FarmRejectedError) as caught:
        ConductorHttp(server.url, KEY).json("GET", "/api/v1/jobs/00042")
    assert str(caught.value) == "no job 00042"
    assert caught.value.status == 404


@pytest.mark.parametrize(
    "answer, tail",
    [
        ((404, None, b""), "HTTP 404 Not Found"),
        ((400, "text/plain", b"bad request"), "HTTP 400 Bad Request: bad request"),
        ((500, "text/plain", b"trouble"), "HTTP 500 Internal Server Error: trouble"),
    ],
)
def test_an_error_without_the_protocols_body_names_the_request(answer, tail):
    answers = {
        "/api/oauth_jwt": (200, "application/json", TOKEN.encode()),
        "/api/v1/jobs/00042": answer,
    }
    with StandIn(answers) as server, pytest.raises(FarmConnectionError) as caught:
        ConductorHttp(server.url, KEY).json("GET", "/api/v1/jobs/00042")
    assert str(caught.value) == "the farm at {} answered GET /api/v1/jobs/00042 with {}".format(
        server.url, tail
    )


def test_a_farm_that_goes_away_mid_request_is_said_in_words():
    """A farm killed while a request is on its way: 'connection reset by peer', not the
    ('Connection aborted.', ConnectionResetError(104, ...)) tuple requests carries."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    url = "http://127.0.0.1:{}".format(listener.getsockname()[1])

    def reset_the_first_connection():
        connection, _ = listener.accept()
        connection.recv(1024)
        # linger on, 0 seconds: close() sends an RST, as the kernel does for a killed process
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()

    thread = threading.Thread(target=reset_the_first_connection, daemon=True)
    thread.start()
    try:
        with pytest.raises(FarmConnectionError) as caught:
            ConductorHttp(url, KEY).json("GET", "/api/v1/jobs")
    finally:
        thread.join(5)
        listener.close()
    assert str(caught.value) == (
        "cannot reach the farm at {} (GET /api/oauth_jwt): connection reset by peer".format(url)
    )
