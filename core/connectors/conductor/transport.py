"""HTTP to a Conductor-protocol farm: token exchange, JSON requests, typed errors.

One ``requests.Session`` per thread (keep-alive makes a submit a handful of milliseconds on
loopback); the bearer token is fetched once, shared, and refreshed when the farm says it
expired. Every failure becomes a Farmhand error naming the URL and status: a 400/404/409 that
carries the protocol's ``{"error": ...}`` is the user's input (``InputError``), 401 names the
key, anything else is ``FarmConnectionError``. An error status without the protocol's error
body means something other than a Conductor-compatible service answered (a wrong
``CONDUCTOR_URL``), so that message names the URL, method and path instead of a bare status.
"""

import json
import threading
import time
from typing import Any, Dict, List, Optional, Tuple

import requests

from farmhand.core.connectors.conductor.credentials import ApiKey
from farmhand.core.errors import FarmAuthError, FarmConnectionError, InputError

# (connect, read) seconds: a local farm answers in milliseconds, a remote one may be slow.
DEFAULT_TIMEOUT = (10.0, 120.0)
# Refresh the token this long before the farm would reject it.
_EXPIRY_MARGIN = 60.0


class FarmRejectedError(InputError):
    """The farm refused the request as bad input (unknown job, bad payload field...)."""

    def __init__(self, message: str, field: Optional[str], status: int) -> None:
        self.status = status
        super().__init__(message, field=field)


class ConductorHttp(object):
    def __init__(
        self,
        url: str,
        api_key: ApiKey,
        timeout: Tuple[float, float] = DEFAULT_TIMEOUT,
        key_in_body: bool = False,
    ):
        self.url = url.rstrip("/")
        self.api_key = api_key
        # Conductor's protocol (ciocore) sends the key in the exchange's query string, where
        # proxies, access logs and urllib3's debug log can keep it; the local farm also takes
        # it as a POST form body, which Farmhand uses for it.
        self.key_in_body = key_in_body
        self.timeout = timeout
        self._local = threading.local()
        self._token_lock = threading.Lock()
        self._token: Optional[str] = None
        self._token_expires = 0.0
        self._sessions: List[requests.Session] = []
        self._sessions_lock = threading.Lock()

    # -- plumbing -------------------------------------------------------------------------

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # Proxies and .netrc never apply to a farm on this machine (and cost a lookup).
            session.trust_env = not _is_loopback(self.url)
            self._local.session = session
            with self._sessions_lock:
                self._sessions.append(session)
        return session

    def close(self) -> None:
        with self._sessions_lock:
            for session in self._sessions:
                session.close()
            self._sessions = []
        self._local = threading.local()

    def absolute(self, path_or_url: str) -> str:
        if path_or_url.startswith(("http://", "https://")):
            return path_or_url
        return self.url + "/" + path_or_url.lstrip("/")

    def send(self, method: str, path_or_url: str, **kwargs: Any) -> requests.Response:
        """One request; network failures become ``FarmConnectionError`` naming the URL."""
        url = self.absolute(path_or_url)
        kwargs.setdefault("timeout", self.timeout)
        try:
            return self.session.request(method, url, **kwargs)
        except requests.exceptions.RequestException as error:
            raise FarmConnectionError(
                "cannot reach the farm at {} ({} {}): {}".format(
                    self.url, method, _path_of(url), connection_reason(error)
                ),
                url=url,
            ) from None

    # -- auth -------------------------------------------------------------------------------

    def token(self, refresh: bool = False) -> str:
        with self._token_lock:
            if refresh or self._token is None or time.time() > self._token_expires:
                self._token, self._token_expires = self._exchange()
            return self._token

    def _exchange(self) -> Tuple[str, float]:
        fields = {
            "grant_type": "client_credentials",
            "scope": "owner admin user",
            "client_id": self.api_key.client_id,
            "client_secret": self.api_key.private_key,
        }
        if self.key_in_body:
            response = self.send("POST", "/api/oauth_jwt", data=fields)
        else:
            response = self.send("GET", "/api/oauth_jwt", params=fields)
        where = self.url + "/api/oauth_jwt"  # response.url would carry the key in its query
        if response.status_code in (400, 401, 403):
            raise FarmAuthError(
                "the farm at {} refused the API key with client_id {!r} (from {}): {}".format(
                    self.url, self.api_key.client_id, self.api_key.source, _error_text(response)
                ),
                url=where,
                status=response.status_code,
            )
        if response.status_code != 200 and _farm_error(response) is None:
            raise FarmConnectionError(
                _unexpected(self.url, response.request.method or "GET", response)
                + " (is it a Conductor-compatible service?)",
                url=where,
                status=response.status_code,
            )
        data = self._check(response, response.request.method or "GET", (200,))
        try:
            token = str(data["access_token"])
            expires_in = float(data.get("expires_in", 3600))
        except (KeyError, TypeError, ValueError):
            raise FarmConnectionError(
                "the farm at {} answered the token exchange without an access_token".format(
                    self.url
                ),
                url=response.url.split("?", 1)[0],  # a query may hold a key
                status=response.status_code,
            ) from None
        return token, time.time() + max(0.0, expires_in - _EXPIRY_MARGIN)

    # -- requests ---------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path_or_url: str,
        expected: Tuple[int, ...] = (200,),
        json_body: Any = None,
        **kwargs: Any,
    ) -> requests.Response:
        """An authenticated request; raises unless the status is in ``expected``."""
        headers = dict(kwargs.pop("headers", None) or {})
        if json_body is not None:
            kwargs["data"] = json.dumps(json_body).encode("utf-8")
            headers.setdefault("Content-Type", "application/json")
        headers["Authorization"] = "Bearer " + self.token()
        response = self.send(method, path_or_url, headers=headers, **kwargs)
        if response.status_code == 401 and _rewindable(kwargs.get("data")):
            # The token expired early (farm restarted with a new secret...): fetch a new one once.
            headers["Authorization"] = "Bearer " + self.token(refresh=True)
            response = self.send(method, path_or_url, headers=headers, **kwargs)
        self.raise_for(response, method, expected)
        return response

    def json(
        self, method: str, path: str, expected: Tuple[int, ...] = (200,), **kwargs: Any
    ) -> Dict[str, Any]:
        response = self.request(method, path, expected=expected, **kwargs)
        return self._check(response, method, expected)

    def _check(
        self, response: requests.Response, method: str, expected: Tuple[int, ...]
    ) -> Dict[str, Any]:
        self.raise_for(response, method, expected)
        if response.status_code == 204 or not response.content:
            return {}
        try:
            data = response.json()
        except ValueError:
            raise FarmConnectionError(
                "the farm at {} answered {} {} with something that is not JSON: {!r}".format(
                    self.url, method, _path_of(response.url), response.text[:200]
                ),
                url=response.url.split("?", 1)[0],  # a query may hold a key
                status=response.status_code,
            ) from None
        if not isinstance(data, dict):
            raise FarmConnectionError(
                "the farm at {} answered {} {} with JSON that is not an object".format(
                    self.url, method, _path_of(response.url)
                ),
                url=response.url.split("?", 1)[0],  # a query may hold a key
                status=response.status_code,
            )
        return data

    def raise_for(
        self, response: requests.Response, method: str, expected: Tuple[int, ...]
    ) -> None:
        status = response.status_code
        if status in expected:
            return
        text = _error_text(response)
        if status == 401:
            raise FarmAuthError(
                "the farm at {} refused {} {} with the token of API key {!r} (from {}): {}".format(
                    self.url,
                    method,
                    _path_of(response.url),
                    self.api_key.client_id,
                    self.api_key.source,
                    text,
                ),
                url=response.url.split("?", 1)[0],  # a query may hold a key
                status=status,
            )
        if status == 507 and _farm_error(response) is not None:  # the farm's disk is full
            raise FarmConnectionError(
                "the farm at {} is out of disk space: {}".format(self.url, text),
                url=response.url.split("?", 1)[0],  # a query may hold a key
                status=status,
            )
        if status in (400, 404, 409, 413, 422) and _farm_error(response) is not None:
            field = None
            try:
                field = response.json().get("field")
            except (ValueError, AttributeError):
                pass
            raise FarmRejectedError(text, field=field, status=status)
        raise FarmConnectionError(
            _unexpected(self.url, method, response), url=response.url, status=status
        )


def _farm_error(response: requests.Response) -> Optional[str]:
    """The reason in the protocol's ``{"error": ...}`` body, None when the body is not one."""
    try:
        data = response.json()
    except ValueError:
        return None
    if isinstance(data, dict) and data.get("error"):
        return str(data["error"])
    return None


def _error_text(response: requests.Response) -> str:
    farm_error = _farm_error(response)
    if farm_error is not None:
        return farm_error
    text = (response.text or "").strip().splitlines()
    return text[0][:300] if text else "HTTP {} {}".format(response.status_code, response.reason)


def _unexpected(url: str, method: str, response: requests.Response) -> str:
    """``the farm at URL answered GET /path with HTTP 404 Not Found[: first line of the body]``
    (an HTML page's first line says nothing, so it is left out)."""
    message = "the farm at {} answered {} {} with HTTP {} {}".format(
        url, method, _path_of(response.url), response.status_code, response.reason or ""
    ).rstrip()
    text = _error_text(response)
    if response.text and response.text.strip() and not text.startswith("<"):
        message += ": " + text
    return message


def _path_of(url: str) -> str:
    rest = url.split("://", 1)[-1]
    path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return path.split("?", 1)[0]


def connection_reason(error: Exception) -> str:
    """A requests error in a few words (``connection refused``), not urllib3's nested repr."""
    text = str(error)
    for marker in (
        "Connection refused",
        "Connection reset by peer",
        "Remote end closed connection without response",
        "Name or service not known",
        "timed out",
    ):
        if marker in text:
            return marker.lower()
    return text.splitlines()[0][:200] if text else type(error).__name__


def _rewindable(data: Any) -> bool:
    return data is None or isinstance(data, (bytes, str, dict))


def _is_loopback(url: str) -> bool:
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return host in ("127.0.0.1", "localhost", "[::1]")
