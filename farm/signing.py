"""Signed URLs for file bytes.

ciocore uploads multipart parts and downloads outputs with plain HTTP requests that carry no
bearer token (they were meant for cloud storage URLs), so the farm hands out URLs that
authenticate themselves: an expiry and an HMAC of method, path and expiry.
"""

import hashlib
import hmac
import time
from typing import Mapping, Optional
from urllib.parse import urlencode

from farmhand.farm.errors import UnauthorizedError

URL_LIFETIME = 24 * 3600


def signature(secret: bytes, method: str, path: str, expires: int) -> str:
    message = "{}\n{}\n{}".format(method.upper(), path, expires).encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def signed_query(
    secret: bytes, method: str, path: str, extra: Optional[Mapping[str, str]] = None
) -> str:
    expires = int(time.time()) + URL_LIFETIME
    query = dict(extra or {})
    query["expires"] = str(expires)
    query["signature"] = signature(secret, method, path, expires)
    return urlencode(query)


def verify(secret: bytes, method: str, path: str, query: Mapping[str, str]) -> None:
    try:
        expires = int(query.get("expires", ""))
    except ValueError:
        raise UnauthorizedError("signed URL lacks a valid 'expires' parameter") from None
    given = query.get("signature", "")
    # compare_digest raises on non-ASCII text: compared as bytes, a stray accent is refused.
    expected = signature(secret, method, path, expires).encode("ascii")
    if not hmac.compare_digest(expected, given.encode("utf-8", "surrogatepass")):
        raise UnauthorizedError("signed URL signature is not valid for {} {}".format(method, path))
    if expires < time.time():
        raise UnauthorizedError("signed URL expired; ask the farm for a new one")
