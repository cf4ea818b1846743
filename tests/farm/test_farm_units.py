"""Small pieces of the farm: tokens, signed URLs, the task environment, the store."""

import base64
import hashlib
import os
import time

import pytest

from farmhand.farm import signing, task_env, tokens
from farmhand.farm.errors import RequestError, UnauthorizedError
from farmhand.farm.store import BlobStore

SECRET = b"s" * 64


def test_token_round_trip_and_tampering():
    token = tokens.issue(SECRET, "http://127.0.0.1:1", "acct", "client", 60, time.time())
    claims = tokens.decode(token, SECRET)
    assert claims["aud"] == "http://127.0.0.1:1" and claims["account"] == "acct"
    head, body, sig = token.split(".")
    forged_body = base64.urlsafe_b64encode(b'{"account":"other","exp":9999999999}').rstrip(b"=")
    with pytest.raises(UnauthorizedError) as caught:
        tokens.decode("{}.{}.{}".format(head, forged_body.decode(), sig), SECRET)
    assert str(caught.value) == "bearer token signature is not valid for this farm"
    with pytest.raises(UnauthorizedError):
        tokens.decode(token, b"t" * 64)


def test_token_with_another_algorithm_is_refused():
    head = base64.urlsafe_b64encode(b'{"alg":"none"}').rstrip(b"=").decode()
    body = base64.urlsafe_b64encode(b'{"exp":9999999999}').rstrip(b"=").decode()
    signing_input = "{}.{}".format(head, body).encode()
    import hmac

    sig = base64.urlsafe_b64encode(hmac.new(SECRET, signing_input, hashlib.sha256).digest())
    token = "{}.{}.{}".format(head, body, sig.rstrip(b"=").decode())
    with pytest.raises(UnauthorizedError) as caught:
        tokens.decode(token, SECRET)
    assert str(caught.value) == "bearer token uses algorithm 'none'; this farm issues HS256"


def test_signed_url_checks():
    query = dict(pair.split("=") for pair in signing.signed_query(SECRET, "PUT", "/a").split("&"))
    signing.verify(SECRET, "PUT", "/a", query)
    with pytest.raises(UnauthorizedError):
        signing.verify(SECRET, "GET", "/a", query)
    with pytest.raises(UnauthorizedError):
        signing.verify(SECRET, "PUT", "/b", query)
    expired = {"expires": "1", "signature": signing.signature(SECRET, "PUT", "/a", 1)}
    with pytest.raises(UnauthorizedError) as caught:
        signing.verify(SECRET, "PUT", "/a", expired)
    assert str(caught.value) == "signed URL expired; ask the farm for a new one"
    with pytest.raises(UnauthorizedError) as caught:
        signing.verify(SECRET, "PUT", "/a", {"signature": "x"})
    assert str(caught.value) == "signed URL lacks a valid 'expires' parameter"


def test_task_environment_merge_policies():
    base = {"PATH": "/usr/bin:/bin", "HOME": "/home/u"}
    merged = task_env.merge(
        base,
        {"PATH": "/opt/a/bin", "PYTHONPATH": "/p", "HOME": "/elsewhere", "NEW": "1"},
        {"PATH": "prepend", "PYTHONPATH": "append"},
    )
    assert merged == {
        "PATH": "/opt/a/bin:/usr/bin:/bin",
        "PYTHONPATH": "/p",
        "HOME": "/elsewhere",
        "NEW": "1",
    }
    assert base == {"PATH": "/usr/bin:/bin", "HOME": "/home/u"}


def test_clean_base_passes_only_what_a_task_needs():
    base = task_env.clean_base(
        {
            "HOME": "/h",
            "LANG": "C.UTF-8",
            "VIRTUAL_ENV": "/venv",
            "PYTHONPATH": "/x",
            "PATH": "/venv/bin:/usr/bin",
        }
    )
    assert base["PATH"] == task_env.SYSTEM_PATH
    assert base["HOME"] == "/h" and base["LANG"] == "C.UTF-8" and base["TERM"] == "dumb"
    assert "VIRTUAL_ENV" not in base and "PYTHONPATH" not in base


def test_store_keeps_verified_bytes_only(tmp_path):
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))
    data = b"hello"
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    writer = store.writer(md5, len(data))
    writer.write(data)
    assert writer.commit(md5) is True
    assert store.has(md5)
    again = store.writer(md5, len(data))
    again.write(data)
    assert again.commit(None) is False  # already there: one copy
    bad = store.writer(md5, None)
    bad.write(b"HELLO")
    with pytest.raises(RequestError) as caught:
        bad.commit(None)
    assert caught.value.field == "Content-MD5"
    assert os.listdir(str(tmp_path / "store" / "tmp")) == []
    with pytest.raises(RequestError) as caught:
        store.writer("not-md5", None)
    assert str(caught.value) == "md5: 'not-md5' is not an md5 (base64 of 16 bytes)"


def test_store_link_or_copy_outside_the_farm_is_a_private_copy(tmp_path):
    store = BlobStore(str(tmp_path / "store"), str(tmp_path / "store" / "tmp"))
    data = b"texture"
    md5 = base64.b64encode(hashlib.md5(data).digest()).decode()
    writer = store.writer(md5, None)
    writer.write(data)
    writer.commit(None)
    target = tmp_path / "restored" / "tex.png"
    store.link_or_copy(md5, str(target), allow_link=False)
    assert target.read_bytes() == data
    assert os.stat(str(target)).st_ino != os.stat(store.path(md5)).st_ino
    target.write_bytes(b"changed by the user")  # the store's copy is untouched
    with open(store.path(md5), "rb") as handle:
        assert handle.read() == data
