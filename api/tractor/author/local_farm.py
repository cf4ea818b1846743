"""Finding the local farm from inside a host, where the farm service cannot be imported.

``Job.spool()`` runs in Maya, Houdini or Clarisse (Python 3.7 and up), which cannot import
the farm service (it needs aiohttp and Python 3.8). What the farm documents instead is its
state folder (docs/protocol.md, "Where things live"): ``farm.port`` once it listens, and
``api_key.json`` (mode 0600: only the farm's owner may spool to it). When no farm answers, it
is started in the background, by this interpreter when it can run the farm (Python 3.8+ with
aiohttp), else with ``farmhand farm start`` (``FARMHAND_COMMAND`` or ``farmhand`` on ``PATH``).
"""

import importlib.util
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
from typing import Dict, List, Optional, Tuple

import requests

from farmhand.api.tractor.author.errors import SpoolError
from farmhand.core.paths import farmhand_home

START_TIMEOUT = 90.0
TOKEN_MARGIN = 60.0  # refresh a token this many seconds before it expires

# (url, client_id) -> (token, expiry time)
_TOKENS: Dict[Tuple[str, str], Tuple[str, float]] = {}


def farm_root() -> str:
    return os.path.join(farmhand_home(), "farm")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def _url(root: str) -> Optional[str]:
    port = _read(os.path.join(root, "farm.port"))
    pid = _read(os.path.join(root, "farm.pid"))
    if not port.isdigit() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)  # files left behind by a farm that was killed
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # another user's process: the farm's answer decides
    return "http://127.0.0.1:{}".format(port)


def running_port() -> Optional[int]:
    """The port of the local farm when one runs on this machine for FARMHAND_HOME."""
    url = _url(farm_root())
    return int(url.rsplit(":", 1)[1]) if url else None


def _api_key(root: str) -> Tuple[str, str]:
    path = os.path.join(root, "api_key.json")
    try:
        with open(path, encoding="utf-8") as handle:
            key = json.load(handle)
        return str(key["client_id"]), str(key["private_key"])
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise SpoolError(
            "cannot read the local farm's API key {} ({}); only the farm's owner can spool"
            " to it".format(path, error)
        ) from None


def start_command() -> List[str]:
    """How to run ``farmhand farm start`` from here."""
    configured = os.environ.get("FARMHAND_COMMAND", "").strip()
    if configured:
        return shlex.split(configured) + ["farm", "start"]
    if sys.version_info >= (3, 8) and importlib.util.find_spec("aiohttp") is not None:
        # This interpreter can run the farm: start it the way `farmhand farm start` does,
        # without going through (and depending on) every other CLI command.
        return [sys.executable, "-c", "from farmhand.farm.control import start; start()"]
    program = shutil.which("farmhand")
    if program:
        return [program, "farm", "start"]
    raise SpoolError(
        "the local farm is not running and this Python ({}) cannot start it; run `farmhand"
        " farm start` in a shell, set FARMHAND_COMMAND to the farmhand program, or set"
        " TRACTOR_ENGINE to spool to a Tractor engine".format(sys.executable)
    )


def _start(root: str) -> str:
    command = start_command()
    try:
        result = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            universal_newlines=True,
            timeout=START_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SpoolError(
            "could not start the local farm with {}: {}".format(" ".join(command), error)
        ) from None
    url = _url(root)
    if result.returncode != 0 or not url:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise SpoolError(
            "could not start the local farm with {}: {}".format(
                " ".join(command),
                reason[-1] if reason else "exit code {}".format(result.returncode),
            )
        )
    return url


def _token(session: requests.Session, url: str, client_id: str, private_key: str) -> str:
    cached = _TOKENS.get((url, client_id))
    if cached and cached[1] > time.time() + TOKEN_MARGIN:
        return cached[0]
    reply = session.get(
        url + "/api/oauth_jwt",
        params={
            "grant_type": "client_credentials",
            "scope": "owner admin user",
            "client_id": client_id,
            "client_secret": private_key,
        },
        timeout=(10.0, 30.0),
    )
    try:
        answer = reply.json()
        token = str(answer["access_token"])
        lifetime = float(answer.get("expires_in", 0))
    except (ValueError, KeyError, TypeError):
        raise SpoolError(
            "the local farm at {} refused its own API key (HTTP {}): {}".format(
                url, reply.status_code, reply.text.strip()[:300]
            ),
            url=url,
            status=reply.status_code,
        ) from None
    _TOKENS[(url, client_id)] = (token, time.time() + lifetime)
    return token


def locate(
    session: requests.Session, unreachable: Optional[str] = None
) -> Tuple[str, Dict[str, str]]:
    """(base URL, auth headers) of the local farm, started first when none answers
    (``unreachable``: a URL the caller just failed to reach)."""
    root = farm_root()
    url = _url(root)
    started = False
    if url is None or url == unreachable:
        url, started = _start(root), True
    client_id, private_key = _api_key(root)
    try:
        token = _token(session, url, client_id, private_key)
    except requests.ConnectionError:
        if started:
            raise SpoolError(
                "the local farm started but does not answer at " + url, url=url
            ) from None
        url = _start(root)  # a stale port file: the farm is not running any more
        client_id, private_key = _api_key(root)
        token = _token(session, url, client_id, private_key)
    return url, {"Authorization": "Bearer " + token}
