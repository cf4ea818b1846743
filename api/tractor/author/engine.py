"""Where ``Job.spool()`` sends a job, and the HTTP exchange Tractor's engine expects.

Tractor's client posts the job script as the body of ``POST /Tractor/spool`` with the spool
metadata in the query (``spvers``, ``hnm``, ``jobOwner``, ``jobAuthor``, ``jobFile``, ``cwd``,
``blocking=spool`` when the caller waits) and reads ``{"rc": 0, "jid": N}`` back. The local
farm serves the same route, so one client spools to either.

The target is, in order: ``hostname``/``port`` given to ``spool()``, the engine named by
``setEngineClientParam``, the ``TRACTOR_ENGINE`` variable (``host[:port]``, port 80 by
default), and otherwise the local farm on this workstation, found (or started) the way every
Farmhand client finds it (``farmhand.core.connectors.local_farm``). An engine named by address
that is the running local farm is spooled to with the farm's key, like the default. The local
farm's transport, and so its token, is kept for the next spool.
"""

import getpass
import json
import os
import re
import socket
import sys
from typing import Any, Dict, List, Optional, Tuple

import requests

from farmhand import __version__
from farmhand.api.tractor.author.errors import AuthorError, SpoolError, invalid_value
from farmhand.core.connectors import local_farm
from farmhand.core.connectors.conductor.transport import ConductorHttp, connection_reason
from farmhand.core.errors import FarmConnectionError, FarmhandError

SPOOL_VERSION = "2.0"
DEFAULT_PORT = 80
DEFAULT_USER = "root"
CONTENT_TYPE = "application/tractor-spool"
# Connecting must be quick; a blocking spool waits for the engine to process the whole job.
CONNECT_TIMEOUT = 10.0
READ_TIMEOUT = 600.0
# How a spooling script can do without the local farm (ends the "cannot start it" message).
USE_AN_ENGINE = "set TRACTOR_ENGINE to spool to a Tractor engine"


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() not in ("", "0", "false", "no", "off")


_PORT = re.compile(r"\A[0-9]{1,5}\Z")

def parse_engine(text: str, source: str = "TRACTOR_ENGINE") -> Tuple[str, int]:
    """``"host"`` or ``"host:port"`` -> (host, port); ``source`` names where it came from."""
    host, sep, port_text = text.strip().partition(":")
    if not host:
        raise AuthorError(
            "invalid engine {!r}; expected host or host:port".format(text),
            field=source,
            value=text,
            valid=("host", "host:port"),
        )
    if not sep:
        return host, DEFAULT_PORT
    # ASCII digits only: '³'.isdigit() is true, but int('³') raises ValueError (fuzzing)
    if not _PORT.match(port_text) or not 0 < int(port_text) < 65536:
        raise AuthorError(
            "invalid port {!r} in engine {!r}; expected a number from 1 to 65535".format(
                port_text, text
            ),
            field=source,
            value=text,
            valid=("host:port",),
        )
    return host, int(port_text)


def _check_port(value: Any, source: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise invalid_value(source, value, "a port number from 1 to 65535", ("1..65535",))
    return value


class EngineClient(object):
    """Connection parameters of the engine jobs are spooled to (one per process)."""

    VALID_PARAMETERS = ("hostname", "port", "user", "password", "debug")

    def __init__(self) -> None:
        self.hostname: Optional[str] = None
        self.port: Optional[int] = None
        self.user: Optional[str] = None
        self.password: Optional[str] = None
        self.debug: Optional[bool] = None
        self._session: Optional[requests.Session] = None
        self._local_farm: Optional[ConductorHttp] = None
        self._local_farm_folder = ""

    def setParam(self, **params: Any) -> None:
        for name in params:
            if name not in self.VALID_PARAMETERS:
                raise AuthorError(
                    "unknown engine client parameter; valid parameters: {}".format(
                        ", ".join(self.VALID_PARAMETERS)
                    ),
                    field="setEngineClientParam.{}".format(name),
                    value=params[name],
                    valid=self.VALID_PARAMETERS,
                )
        checked: Dict[str, Any] = {}
        for name, value in params.items():
            field = "setEngineClientParam.{}".format(name)
            if name == "port":
                checked[name] = _check_port(value, field)
            elif name == "debug":
                if not isinstance(value, bool) and value not in (0, 1):
                    raise invalid_value(field, value, "True or False", ("True", "False"))
                checked[name] = bool(value)
            elif name == "password":
                if value is not None and not isinstance(value, str):
                    raise invalid_value(field, value, "a string or None", ("a string", "None"))
                checked[name] = value
            else:
                if not isinstance(value, str) or not value.strip():
                    raise invalid_value(field, value, "a non-empty string")
                checked[name] = value.strip()
        if ("hostname" in checked or "port" in checked) and self._session is not None:
            self.close()
        for name, value in checked.items():
            setattr(self, name, value)

    # -- resolved values ---------------------------------------------------------------
    def resolved_user(self) -> str:
        return self.user or os.environ.get("USER") or DEFAULT_USER

    def resolved_debug(self) -> bool:
        return self.debug if self.debug is not None else _env_flag("TRACTOR_DEBUG")

    def target(
        self, hostname: Optional[str] = None, port: Optional[int] = None
    ) -> Tuple[str, Dict[str, str]]:
        """(base URL, extra headers) of the engine a spool goes to, per the module docstring."""
        if port is not None:
            _check_port(port, "spool.port")
        if hostname is not None and (not isinstance(hostname, str) or not hostname.strip()):
            raise invalid_value("spool.hostname", hostname, "a host name")
        host = hostname or self.hostname
        number = port or self.port
        if host is None and number is None and os.environ.get("TRACTOR_ENGINE", "").strip():
            host, number = parse_engine(os.environ["TRACTOR_ENGINE"])
        if host is None and number is None:
            return self.local_farm_target()
        if host is None:
            env = os.environ.get("TRACTOR_ENGINE", "").strip()
            host = parse_engine(env)[0] if env else "tractor-engine"
        number = number or DEFAULT_PORT
        if host in ("127.0.0.1", "localhost") and local_farm.running_url() == (
            "http://127.0.0.1:{}".format(number)
        ):
            # The engine named is this workstation's farm: spool with its key, as by default.
            return self.local_farm_target()
        return "http://{}:{}".format(host, number), {}

    def local_farm_target(self, reconnect: bool = False) -> Tuple[str, Dict[str, str]]:
        """(base URL, token header) of the local farm, started when none answers.

        The transport is kept, so a script spooling many jobs exchanges its key once; it is
        found again when FARMHAND_HOME changes or with ``reconnect`` (the farm went away or
        refused the token).
        """
        folder = local_farm.farm_folder()
        try:
            if reconnect or self._local_farm is None or folder != self._local_farm_folder:
                self._close_local_farm()
                self._local_farm = local_farm.local_farm_http(instead=USE_AN_ENGINE)
                self._local_farm_folder = folder
            token = self._local_farm.token()
        except FarmhandError as error:
            raise _spool_error(error) from None
        return self._local_farm.url, {"Authorization": "Bearer " + token}

    def _close_local_farm(self) -> None:
        if self._local_farm is not None:
            self._local_farm.close()
            self._local_farm = None

    def session(self) -> requests.Session:
        if self._session is None:
            self._session = requests.Session()
        return self._session

    def close(self) -> None:
        """Drop the kept-alive connections; the next spool opens new ones."""
        if self._session is not None:
            self._session.close()
            self._session = None
        self._close_local_farm()

    def log(self, message: str) -> None:
        if self.resolved_debug():
            sys.stderr.write("farmhand.api.tractor.author: {}\n".format(message))

    def spool(
        self,
        script: str,
        block: bool = False,
        owner: Optional[str] = None,
        spoolfile: Optional[str] = None,
        spoolhost: Optional[str] = None,
        hostname: Optional[str] = None,
        port: Optional[int] = None,
    ) -> int:
        for name, value in (("owner", owner), ("spoolfile", spoolfile), ("spoolhost", spoolhost)):
            if value is not None and (not isinstance(value, str) or not value):
                raise invalid_value("spool.{}".format(name), value, "a non-empty string")
        base, headers = self.target(hostname, port)
        local = "Authorization" in headers  # only the local farm is reached with a token
        user = self.resolved_user()
        params: List[Tuple[str, str]] = [
            ("spvers", SPOOL_VERSION),
            ("hnm", spoolhost or socket.gethostname()),
            ("jobOwner", owner or user),
            ("jobAuthor", _process_user()),
            ("jobFile", spoolfile or "no filename specified"),
            ("cwd", os.path.abspath(os.getcwd()).replace("\\", "/")),
        ]
        if block:
            params.append(("blocking", "spool"))
        request_headers = {
            "Content-Type": CONTENT_TYPE,
            "Cookie": "TractorUser={}".format(user),
            "User-Agent": "farmhand-tractor-author/{}".format(__version__),
        }
        url = base.rstrip("/") + "/Tractor/spool"
        try:
            response = self._post(url, params, script, dict(request_headers, **headers), block)
            retry = local and response.status_code == 401  # the farm forgot our token
        except _UnreachableError as error:
            if not local:
                raise SpoolError(error.message, url=url) from None
            retry = True  # the farm went away since we found it: find or start it again
        if retry:
            base, headers = self.local_farm_target(reconnect=True)
            url = base.rstrip("/") + "/Tractor/spool"
            try:
                response = self._post(url, params, script, dict(request_headers, **headers), block)
            except _UnreachableError as again:
                raise SpoolError(again.message, url=url) from None
        self.log("HTTP {}: {}".format(response.status_code, response.text[:2000]))
        return _job_id(url, response)

    def _post(
        self,
        url: str,
        params: List[Tuple[str, str]],
        script: str,
        headers: Dict[str, str],
        block: bool,
    ) -> "requests.Response":
        """One spool request; ``_UnreachableError`` when nothing answers at ``url``, a SpoolError
        naming the URL for anything else that goes wrong on the way."""
        self.log("POST {} ({} bytes, block={})".format(url, len(script), bool(block)))
        try:
            return self.session().post(
                url,
                params=params,
                data=script.encode("utf-8"),
                headers=headers,
                timeout=(CONNECT_TIMEOUT, READ_TIMEOUT),
            )
        except requests.RequestException as error:
            if isinstance(error, requests.ConnectionError):
                raise _UnreachableError(
                    "cannot reach the engine at {}: {}".format(url, connection_reason(error))
                ) from None
            raise SpoolError(
                "the engine at {} did not answer: {}".format(url, connection_reason(error)),
                url=url,
            ) from None


def _spool_error(error: FarmhandError) -> SpoolError:
    """A failure to reach the local farm, as the error a spooling script catches."""
    if isinstance(error, FarmConnectionError):
        return SpoolError(error.message, url=error.url, status=error.status)
    return SpoolError(str(error))


class _UnreachableError(Exception):
    def __init__(self, message: str) -> None:
        super(_UnreachableError, self).__init__(message)
        self.message = message


def _process_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no USER/LOGNAME and no passwd entry (containers)
        return DEFAULT_USER


def _job_id(url: str, response: "requests.Response") -> int:
    """The ``jid`` of an engine's answer, or a SpoolError with the engine's own message."""
    try:
        answer = json.loads(response.text)
    except ValueError:
        answer = None
    message = (answer.get("msg") or answer.get("error")) if isinstance(answer, dict) else None
    if response.status_code != 200:
        raise SpoolError(
            "the engine at {} refused the job (HTTP {}): {}".format(
                url, response.status_code, message or response.text.strip()[:500] or "no reason"
            ),
            url=url,
            status=response.status_code,
        )
    if not isinstance(answer, dict):
        raise SpoolError(
            "the engine at {} answered with something that is not a JSON object: {!r}".format(
                url, response.text[:200]
            ),
            url=url,
            status=response.status_code,
        )
    if answer.get("rc", 0) != 0:
        raise SpoolError(
            "the engine at {} refused the job (rc {}): {}".format(
                url, answer.get("rc"), message or "no reason"
            ),
            url=url,
            status=response.status_code,
        )
    jid = answer.get("jid")
    if isinstance(jid, bool) or not isinstance(jid, int):
        raise SpoolError(
            "the engine at {} did not answer with a job id: {!r}".format(url, answer),
            url=url,
            status=response.status_code,
        )
    return jid


# The engine client every Job.spool() uses, as in Tractor's API.
THE_CLIENT = EngineClient()


def setEngineClientParam(**params: Any) -> None:
    """Set the engine ``hostname``, ``port``, ``user``, ``password`` or ``debug`` flag.

    ``user`` is the default job owner and the ``TractorUser`` the engine sees. Spooling does
    not log in to the engine (Tractor's own spool skips the login as well), so ``password``
    is accepted for scripts that set it but is not sent; the local farm is reached with its
    own API key instead.
    """
    THE_CLIENT.setParam(**params)


def closeEngineClient() -> None:
    """End the session with the engine (closes the kept-alive connection)."""
    THE_CLIENT.close()


def spool_script(script: str, **options: Any) -> int:
    return THE_CLIENT.spool(script, **options)
