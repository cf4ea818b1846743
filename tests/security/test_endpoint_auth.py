"""Every route of the real farm application refuses a request that does not carry the key.

The routes are read from the aiohttp application the running farm serves (``live_farm``), so
a route added later is covered without touching this file; only routes that authenticate in
another way than the bearer token must be listed in ``NOT_BEARER`` with the reason.
"""

import json
import os
import re
import socket
import subprocess
import sys
import time

import pytest
import requests

from farmhand.farm import tokens
from farmhand.farm.http_util import AUTH_ATTRIBUTE, BEARER

pytestmark = pytest.mark.timeout(120)

# Routes that do not take the bearer token, and why that is safe.
NOT_BEARER = {
    # The token exchange: it carries the API key itself (client_id + client_secret), checked
    # in constant time; without the key it answers 401.
    ("GET", "/api/oauth_jwt"): "api_key",
    ("HEAD", "/api/oauth_jwt"): "api_key",
    ("POST", "/api/oauth_jwt"): "api_key",
    # File bytes moved by ciocore with plain HTTP (it sends no token to storage URLs): the
    # URL the farm handed out (to a bearer-authenticated caller) carries an HMAC of method,
    # path and expiry made with the farm's secret.
    ("PUT", "/api/v2/files/objects/{hex}/{size}"): "signed",
    ("PUT", "/api/v2/files/multipart/{upload_id}/parts/{number}"): "signed",
    ("GET", "/api/v2/files/outputs/{jid}/{tid}/{relative}"): "signed",
    ("HEAD", "/api/v2/files/outputs/{jid}/{tid}/{relative}"): "signed",
}

PLACEHOLDERS = {"jid": "00001", "tid": "000", "hex": "00" * 16, "size": "4", "number": "1"}

MALFORMED_HEADERS = [
    "Bearer",
    "Bearer ",
    "Bearer not-a-jwt",
    "Bearer a.b.c",
    "Bearer a.b",
    "Basic dXNlcjpwYXNz",
    "Token abc",
    "bearer\tabc",
    "Bearer " + "x" * 5000,
]


def _routes(app):
    found = []
    for route in app.router.routes():
        kind = getattr(route.handler, AUTH_ATTRIBUTE, BEARER)
        found.append((route.method, route.resource.canonical, kind))
    return found


def _concrete(canonical):
    return re.sub(r"\{(\w+)\}", lambda m: PLACEHOLDERS.get(m.group(1), "x"), canonical)


def _send(farm, method, canonical, headers=None, params=None):
    return requests.request(
        method,
        farm.url + _concrete(canonical),
        headers=headers or {},
        params=params,
        data=b"{}" if method in ("POST", "PUT", "PATCH") else None,
        timeout=30,
    )


def _foreign_token(farm):
    """A well-formed token with the right claims, signed with another farm's secret."""
    return tokens.issue(
        b"0123456789abcdef" * 4,
        audience=farm.url,
        account="someone@elsewhere",
        subject=json.loads(farm.api_key)["client_id"],
        lifetime=3600,
        now=time.time(),
    )


def _expired_token(farm):
    with open(farm.paths.secret, "rb") as handle:
        secret = handle.read().strip()
    return tokens.issue(
        secret,
        audience=farm.url,
        account="me",
        subject=json.loads(farm.api_key)["client_id"],
        lifetime=60,
        now=time.time() - 3600,
    )


def test_the_farm_listens_on_loopback_only(live_farm):
    assert live_farm.socket_names == [("127.0.0.1", live_farm.socket_names[0][1])]
    assert live_farm.url.startswith("http://127.0.0.1:")
    port = live_farm.socket_names[0][1]
    # Another address of this machine does not reach the farm.
    for address in _other_local_addresses():
        with pytest.raises(OSError):
            socket.create_connection((address, port), timeout=2).close()


def _other_local_addresses():
    """Non-loopback IPv4 addresses of this host (none in a network-less sandbox)."""
    addresses = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            addresses.add(info[4][0])
    except OSError:
        pass
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))  # no packet is sent: only picks the outgoing address
        addresses.add(probe.getsockname()[0])
    except OSError:
        pass
    finally:
        probe.close()
    return sorted(a for a in addresses if not a.startswith("127.") and a != "0.0.0.0")


def test_only_the_documented_routes_skip_the_bearer_token(live_farm):
    routes = _routes(live_farm.app)
    assert len(routes) >= 40  # the real application, not an empty one
    open_routes = {(m, c): k for m, c, k in routes if k != BEARER}
    assert open_routes == NOT_BEARER


def test_every_bearer_route_refuses_requests_without_a_valid_token(live_farm):
    routes = [(m, c) for m, c, k in _routes(live_farm.app) if k == BEARER]
    foreign = _foreign_token(live_farm)
    expired = _expired_token(live_farm)
    cases = [None, "Bearer " + foreign, "Bearer " + expired] + MALFORMED_HEADERS
    refused = 0
    for method, canonical in routes:
        for header in cases:
            headers = {} if header is None else {"Authorization": header}
            reply = _send(live_farm, method, canonical, headers)
            assert reply.status_code == 401, (method, canonical, header, reply.text)
            if method != "HEAD":
                error = reply.json()["error"]
                assert "token" in error or "Authorization" in error, error
            refused += 1
    assert refused == len(routes) * len(cases)
    # The same requests with the farm's own token are not refused for authentication.
    token = live_farm_token(live_farm)
    for method, canonical in routes:
        reply = _send(live_farm, method, canonical, {"Authorization": "Bearer " + token})
        assert reply.status_code != 401, (method, canonical, reply.text)


def live_farm_token(farm):
    key = json.loads(farm.api_key)
    reply = requests.post(
        farm.url + "/api/oauth_jwt",
        data={"client_id": key["client_id"], "client_secret": key["private_key"]},
        timeout=30,
    )
    assert reply.status_code == 200, reply.text
    return reply.json()["access_token"]


def test_the_error_for_a_foreign_token_names_the_reason(live_farm):
    reply = requests.get(
        live_farm.url + "/api/v1/jobs",
        headers={"Authorization": "Bearer " + _foreign_token(live_farm)},
        timeout=30,
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "bearer token signature is not valid for this farm"
    reply = requests.get(
        live_farm.url + "/api/v1/jobs",
        headers={"Authorization": "Bearer " + _expired_token(live_farm)},
        timeout=30,
    )
    assert reply.json()["error"] == "bearer token has expired; exchange the API key for a new one"


def test_every_signed_route_refuses_a_missing_or_wrong_signature(live_farm):
    routes = [(m, c) for m, c, k in _routes(live_farm.app) if k == "signed"]
    assert routes
    token = live_farm_token(live_farm)
    future = str(int(time.time()) + 3600)
    no_expiry = "signed URL lacks a valid 'expires' parameter"
    cases = [
        ({}, no_expiry),
        ({"expires": "soon", "signature": "0" * 64}, no_expiry),
        ({"expires": future}, "signed URL signature is not valid for"),
        ({"expires": future, "signature": "0" * 64}, "signed URL signature is not valid for"),
        ({"expires": "1", "signature": "ab"}, "signed URL signature is not valid for"),
    ]
    for method, canonical in routes:
        for params, message in cases:
            # A bearer token does not stand in for the signature either.
            for headers in ({}, {"Authorization": "Bearer " + token}):
                reply = _send(live_farm, method, canonical, headers, params)
                assert reply.status_code == 401, (method, canonical, params, reply.text)
                if method != "HEAD":
                    assert reply.json()["error"].startswith(message), reply.text


def test_the_token_exchange_refuses_anything_but_the_key(live_farm):
    key = json.loads(live_farm.api_key)
    cases = [
        ({}, "client_id and client_secret (the API key's private_key) are required"),
        ({"client_id": key["client_id"]}, "client_id and client_secret"),
        (
            {"client_id": key["client_id"], "client_secret": key["private_key"][:-1]},
            "unknown API key client_id {!r} for this farm".format(key["client_id"]),
        ),
        (
            {"client_id": "other", "client_secret": key["private_key"]},
            "unknown API key client_id 'other' for this farm",
        ),
    ]
    for method in ("GET", "POST"):
        for fields, message in cases:
            if method == "GET":
                reply = requests.get(live_farm.url + "/api/oauth_jwt", params=fields, timeout=30)
            else:
                reply = requests.post(live_farm.url + "/api/oauth_jwt", data=fields, timeout=30)
            assert reply.status_code == 401, (method, fields, reply.text)
            assert reply.json()["error"].startswith(message)
            assert key["private_key"] not in reply.text


def test_a_key_with_non_ascii_text_is_refused_not_an_internal_error(live_farm):
    """compare_digest raises on non-ASCII text: that was a 500 and a traceback in the log."""
    key = json.loads(live_farm.api_key)
    for fields in (
        {"client_id": "d\u00e9j\u00e0", "client_secret": key["private_key"]},
        {"client_id": key["client_id"], "client_secret": "\u00e9" * 10},
    ):
        reply = requests.post(live_farm.url + "/api/oauth_jwt", data=fields, timeout=30)
        assert reply.status_code == 401, reply.text
        assert reply.json()["error"] == "unknown API key client_id {!r} for this farm".format(
            fields["client_id"]
        )
    form_with_key = {"client_id": key["client_id"], "client_secret": key["private_key"]}
    reply = requests.post(live_farm.url + "/api/oauth_jwt", data=form_with_key, timeout=30)
    assert reply.status_code == 200  # a form body (what Farmhand's clients send)
    reply = requests.get(live_farm.url + "/api/oauth_jwt", params=form_with_key, timeout=30)
    assert reply.status_code == 200  # the query string (what ciocore sends)


def test_non_ascii_tokens_and_signatures_are_refused_not_internal_errors(live_farm):
    """Found here: an accent in a token or a signature was a 500 (and a traceback)."""
    for header in ("Bearer \u00e9.\u00e9.\u00e9", "Bearer a.b.\u00e9"):
        reply = requests.get(
            live_farm.url + "/api/v1/jobs",
            headers={"Authorization": header.encode("latin-1")},
            timeout=30,
        )
        assert reply.status_code == 401
        assert reply.json()["error"] == (
            "bearer token is not a JWT (it holds non-ASCII characters)"
        )
    path = "/api/v2/files/outputs/00001/000/x"
    reply = requests.get(
        live_farm.url + path,
        params={"expires": str(int(time.time()) + 99), "signature": "\u00e9"},
        timeout=30,
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "signed URL signature is not valid for GET " + path


def test_unknown_routes_answer_401_without_a_token(live_farm):
    """Without the key nobody learns which routes exist."""
    for method, path in (("GET", "/nope"), ("DELETE", "/jobs/"), ("POST", "/api/v1/nothing")):
        reply = requests.request(method, live_farm.url + path, timeout=30)
        assert reply.status_code == 401, (method, path, reply.text)


def test_other_listening_addresses_cannot_be_asked_for(tmp_path):
    """Neither the command line nor the config file has a way to listen elsewhere."""
    env = dict(os.environ, FARMHAND_HOME=str(tmp_path))
    command = [sys.executable, "-m", "farmhand.cli.main", "farm", "serve", "--host", "0.0.0.0"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "unrecognized arguments: --host 0.0.0.0" in done.stderr
    (tmp_path / "farm").mkdir()
    (tmp_path / "farm" / "config.json").write_text('{"host": "0.0.0.0"}')
    done = subprocess.run(command[:-2], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "config.json: unknown key(s) host; valid keys: projects" in done.stderr
