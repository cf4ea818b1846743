"""Bearer tokens: JSON Web Tokens signed with HMAC-SHA256 by the farm's secret.

ciocore decodes the token it is given (without checking the signature) to read ``aud`` and
``account``, so the farm issues real JWTs rather than opaque strings; the farm itself checks
the signature and expiry of every token it receives. Written with the standard library: the
farm needs only HS256, and one small function is easier to audit than a dependency.
"""

import base64
import hashlib
import hmac
import json
import time
from typing import Any, Dict, Optional

from farmhand.farm.errors import UnauthorizedError

HEADER = {"alg": "HS256", "typ": "JWT"}
ISSUER = "farmhand-local-farm"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _sign(signing_input: bytes, secret: bytes) -> str:
    return _b64(hmac.new(secret, signing_input, hashlib.sha256).digest())


def encode(claims: Dict[str, Any], secret: bytes) -> str:
    head = _b64(json.dumps(HEADER, separators=(",", ":")).encode("utf-8"))
    body = _b64(json.dumps(claims, separators=(",", ":"), sort_keys=True).encode("utf-8"))
    signing_input = "{}.{}".format(head, body).encode("ascii")
    return "{}.{}.{}".format(head, body, _sign(signing_input, secret))


def decode(token: str, secret: bytes, now: Optional[float] = None) -> Dict[str, Any]:
    """The claims of a token this farm signed; ``UnauthorizedError`` saying why otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        raise UnauthorizedError("bearer token is not a JWT (expected 3 dot-separated parts)")
    if not token.isascii():  # found by tests/security: an accent made the signing below raise
        raise UnauthorizedError("bearer token is not a JWT (it holds non-ASCII characters)")
    head, body, signature = parts
    expected = _sign("{}.{}".format(head, body).encode("ascii"), secret)
    if not hmac.compare_digest(expected, signature):
        raise UnauthorizedError("bearer token signature is not valid for this farm")
    try:
        header = json.loads(_unb64(head))
        claims = json.loads(_unb64(body))
    except (ValueError, TypeError):
        raise UnauthorizedError("bearer token is not valid base64 JSON") from None
    if header.get("alg") != "HS256" or not isinstance(claims, dict):
        raise UnauthorizedError(
            "bearer token uses algorithm {!r}; this farm issues HS256".format(header.get("alg"))
        )
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp < (time.time() if now is None else now):
        raise UnauthorizedError("bearer token has expired; exchange the API key for a new one")
    return claims


def issue(
    secret: bytes, audience: str, account: str, subject: str, lifetime: int, now: float
) -> str:
    issued = int(now)
    claims = {
        "iss": ISSUER,
        "aud": audience,
        "sub": subject,
        "account": account,
        "scope": "owner admin user",
        "iat": issued,
        "exp": issued + lifetime,
    }
    return encode(claims, secret)
