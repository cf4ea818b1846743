"""Authentication: the API key file, token exchange, and 401 with nothing stored."""

import json
import os
import stat
import subprocess
import sys
import time

import pytest
import requests

from farmhand.farm import tokens


def test_api_key_file_is_private_and_shaped_for_ciocore(farm):
    info = os.stat(farm.paths.api_key)
    assert stat.S_IMODE(info.st_mode) == 0o600
    assert stat.S_IMODE(os.stat(farm.paths.secret).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(farm.paths.root).st_mode) == 0o700
    key = json.loads(farm.api_key)
    assert set(key) == {"client_id", "private_key"}


def test_token_is_a_signed_jwt_with_the_claims_ciocore_reads(farm):
    import jwt  # PyJWT, what ciocore decodes tokens with

    claims = jwt.decode(farm.token(), algorithms=["HS256"], options={"verify_signature": False})
    assert claims["aud"] == farm.url
    assert claims["account"]
    assert claims["exp"] > time.time()
    secret = farm.paths_secret()
    assert tokens.decode(farm.token(), secret)["sub"] == json.loads(farm.api_key)["client_id"]


def test_unknown_api_key_is_refused(farm):
    reply = requests.get(
        farm.url + "/api/oauth_jwt",
        params={"grant_type": "client_credentials", "client_id": "someone", "client_secret": "x"},
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "unknown API key client_id 'someone' for this farm"


def test_right_id_wrong_secret_is_refused(farm):
    key = json.loads(farm.api_key)
    reply = requests.get(
        farm.url + "/api/oauth_jwt",
        params={"client_id": key["client_id"], "client_secret": key["private_key"] + "x"},
    )
    assert reply.status_code == 401
    assert "unknown API key client_id" in reply.json()["error"]


def test_unsupported_grant_type(farm):
    key = json.loads(farm.api_key)
    reply = requests.get(
        farm.url + "/api/oauth_jwt",
        params={
            "grant_type": "password",
            "client_id": key["client_id"],
            "client_secret": key["private_key"],
        },
    )
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "unsupported grant_type 'password'; this farm issues client_credentials tokens",
        "field": "grant_type",
    }


@pytest.mark.parametrize(
    "header, message",
    [
        (None, "missing 'Authorization: Bearer <token>'; exchange the API key at /api/oauth_jwt"),
        ("Bearer abc", "bearer token is not a JWT (expected 3 dot-separated parts)"),
        ("Bearer a.b.c", "bearer token signature is not valid for this farm"),
        (
            "Basic dXNlcjpwYXNz",
            "missing 'Authorization: Bearer <token>'; exchange the API key at /api/oauth_jwt",
        ),
    ],
)
def test_bad_credentials_submit_nothing(farm, header, message):
    headers = {} if header is None else {"Authorization": header}
    payload = farm.payload(["true"])
    reply = requests.post(farm.url + "/jobs/", data=json.dumps(payload), headers=headers)
    assert reply.status_code == 401
    assert reply.json()["error"] == message
    assert farm.get("/api/v1/jobs").json()["data"] == []
    assert farm.get("/api/v1/farm").json()["data"]["tasks"] == {}


def test_token_from_another_farm_is_refused(farm_factory):
    first = farm_factory("one")
    second = farm_factory("two")
    reply = requests.post(
        second.url + "/jobs/",
        data=json.dumps(second.payload(["true"])),
        headers={"Authorization": "Bearer " + first.token()},
    )
    assert reply.status_code == 401
    assert reply.json()["error"] == "bearer token signature is not valid for this farm"
    assert second.get("/api/v1/jobs").json()["data"] == []


def test_expired_token_is_refused(farm):
    secret = farm.paths_secret()
    token = tokens.issue(secret, farm.url, "acct", "client", lifetime=10, now=time.time() - 60)
    reply = requests.get(farm.url + "/api/v1/jobs", headers={"Authorization": "Bearer " + token})
    assert reply.status_code == 401
    assert reply.json()["error"] == ("bearer token has expired; exchange the API key for a new one")


def test_unknown_route_needs_auth_then_is_404(farm):
    assert requests.get(farm.url + "/nowhere").status_code == 401
    reply = farm.get("/nowhere")
    assert reply.status_code == 404
    assert reply.json()["error"] == "no such route: GET /nowhere"


def test_rejected_upload_stores_no_bytes(farm):
    store_before = sorted(os.listdir(farm.paths.store))
    reply = requests.post(
        farm.url + "/api/v2/files/get_upload_urls",
        data=json.dumps(
            {"upload_files": [{"path": "/a", "hash": "1B2M2Y8AsgTpgAmY7PhCfg==", "size": 0}]}
        ),
    )
    assert reply.status_code == 401
    # A forged signed URL is refused too, and nothing lands in the store.
    reply = requests.put(
        farm.url + "/api/v2/files/objects/d41d8cd98f00b204e9800998ecf8427e/0"
        "?expires=9999999999&signature=forged",
        data=b"",
    )
    assert reply.status_code == 401
    assert reply.json()["error"].startswith("signed URL signature is not valid")
    assert sorted(os.listdir(farm.paths.store)) == store_before


def test_credentials_lines_eval_in_a_shell(farm, tmp_path):
    from farmhand.farm.credentials import load_or_create_api_key, shell_lines

    text = shell_lines(farm.url, load_or_create_api_key(farm.paths))
    assert text.splitlines()[0] == "CONDUCTOR_URL={}; export CONDUCTOR_URL".format(farm.url)
    # eval'd in a shell whose environment lacks them, then read by a child process, as
    # ciocore or the `conductor` command reads them
    child = "import os; print(os.environ['CONDUCTOR_URL']); print(os.environ['CONDUCTOR_API_KEY'])"
    environ = {k: v for k, v in os.environ.items() if not k.startswith("CONDUCTOR_")}
    result = subprocess.run(
        ["sh", "-c", 'eval "$1"; exec "$2" -c "$3"', "sh", text, sys.executable, child],
        capture_output=True,
        text=True,
        check=True,
        env=environ,
    )
    url, key = result.stdout.splitlines()
    assert url == farm.url
    assert json.loads(key) == json.loads(farm.api_key)
