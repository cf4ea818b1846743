"""The Envoy service's local web API (``http://localhost:8090`` by default).

What is implemented here is what GridMarkets' own published client library sends and reads
(its open-source ``gm-envoy-client-python`` and Blender add-on), nothing more:

===========================  ==================================================================
``POST /auth``               ``{"Username", "AccessKey"}``: 200 valid, 401 refused
``GET /credits-info``        ``{"credits_available": n}``
``GET /user-info``           ``{"data": {...}}`` (the seed's user info fields)
``GET /products``            ``[{"app_type", "version", "name", "compatible_modules":
                             ["<plugin>:<version>", ...]}]``
``POST /upload``             ``{"upload": [{"localRoot", "remoteRoot", "files": [...]}]}``:
                             200 ``{"ID": "<project name>"}``
``POST /project-submit``     ``{"project_request": {"name", "params", "jobs"}, "project_files":
                             {...}, "watch_files": {pattern: folder}, "skip_upload"?}``: 201;
                             400 with the reasons as JSON
``GET /project-status/<n>``  the seed's status object
===========================  ==================================================================

Machine types by product and credit budgets are in the seed's documentation but their wire
form is in no published source; this module does not guess them (callers say so).
"""

from typing import Any, Dict, List, Optional, Tuple
from urllib.parse import quote

import requests

from farmhand.core.errors import FarmAuthError, FarmConnectionError, InputError

DEFAULT_URL = "http://localhost:8090"
URL_VARIABLE = "GRIDMARKETS_ENVOY_URL"
TIMEOUT = (10.0, 80.0)


class EnvoyRequestError(InputError):
    """The service refused the request as malformed; ``answer`` is its JSON reply, if any."""

    def __init__(self, message: str, status: int, answer: Any) -> None:
        super().__init__(message)
        self.status = status
        self.answer = answer


class EnvoyService(object):
    def __init__(
        self,
        url: str = DEFAULT_URL,
        email: Optional[str] = None,
        access_key: Optional[str] = None,
        timeout: Tuple[float, float] = TIMEOUT,
    ) -> None:
        self.url = url.rstrip("/")
        self.email = email
        self.access_key = access_key
        self.timeout = timeout
        self._session: Optional[requests.Session] = None

    @property
    def session(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
        return self._session

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None

    # -- plumbing ---------------------------------------------------------------------------

    def _send(self, method: str, path: str, body: Any = None) -> requests.Response:
        url = self.url + path
        try:
            return self.session.request(method, url, json=body, timeout=self.timeout)
        except requests.ConnectionError:
            raise FarmConnectionError(
                "cannot reach the Envoy service at {} (connection refused); start Envoy, or"
                " unset {} to use the local farm".format(self.url, URL_VARIABLE),
                url=url,
            ) from None
        except requests.RequestException as error:
            raise FarmConnectionError(
                "the Envoy service at {} did not answer {} {}: {}".format(
                    self.url, method, path, error
                ),
                url=url,
            ) from None

    def _fail(self, response: requests.Response, method: str, path: str) -> None:
        text = response.text.strip()[:300] or response.reason or ""
        where = "the Envoy service at {} answered {} {} with HTTP {}".format(
            self.url, method, path, response.status_code
        )
        if response.status_code == 401:
            raise FarmAuthError(
                "{}: the credentials of {!r} were refused ({})".format(where, self.email, text),
                url=response.url,
                status=401,
            )
        if response.status_code in (400, 404, 422):
            raise EnvoyRequestError(
                "{}: {}".format(where, text), response.status_code, _json_or_none(response)
            )
        raise FarmConnectionError(
            "{}: {}".format(where, text), url=response.url, status=response.status_code
        )

    def _json(self, method: str, path: str, body: Any = None, expected: int = 200) -> Any:
        response = self._send(method, path, body)
        if response.status_code != expected:
            self._fail(response, method, path)
        data = _json_or_none(response)
        if data is None:
            raise FarmConnectionError(
                "the Envoy service at {} answered {} {} with something that is not JSON:"
                " {!r}".format(self.url, method, path, response.text[:200]),
                url=response.url,
                status=response.status_code,
            )
        return data

    # -- the API ----------------------------------------------------------------------------

    def validate_auth(self) -> bool:
        body = {"Username": self.email, "AccessKey": self.access_key}
        response = self._send("POST", "/auth", body)
        if response.status_code != 200:
            self._fail(response, "POST", "/auth")
        return True

    def credits_available(self) -> float:
        data = self._json("GET", "/credits-info")
        value = data.get("credits_available") if isinstance(data, dict) else None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise FarmConnectionError(
                "the Envoy service at {} answered GET /credits-info without a number in"
                " credits_available: {!r}".format(self.url, data)
            )
        return float(value)

    def user_info(self) -> Dict[str, Any]:
        data = self._json("GET", "/user-info")
        info = data.get("data") if isinstance(data, dict) else None
        if not isinstance(info, dict):
            raise FarmConnectionError(
                "the Envoy service at {} answered GET /user-info without its data object:"
                " {!r}".format(self.url, data)
            )
        return info

    def products(self) -> List[Dict[str, Any]]:
        data = self._json("GET", "/products")
        if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
            raise FarmConnectionError(
                "the Envoy service at {} answered GET /products with something that is not a"
                " list of products".format(self.url)
            )
        return data

    def upload(self, body: Dict[str, Any]) -> str:
        data = self._json("POST", "/upload", body)
        name = data.get("ID") if isinstance(data, dict) else None
        if not isinstance(name, str):
            raise FarmConnectionError(
                "the Envoy service at {} accepted the upload but named no project: {!r}".format(
                    self.url, data
                )
            )
        return name

    def submit(self, body: Dict[str, Any]) -> Any:
        response = self._send("POST", "/project-submit", body)
        if response.status_code not in (200, 201):
            self._fail(response, "POST", "/project-submit")
        return _json_or_none(response)

    def project_status(self, name: str) -> Dict[str, Any]:
        path = "/project-status/{}".format(quote(name, safe=""))
        data = self._json("GET", path)
        if not isinstance(data, dict):
            raise FarmConnectionError(
                "the Envoy service at {} answered GET {} with something that is not an"
                " object".format(self.url, path)
            )
        return data


def _json_or_none(response: requests.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None
