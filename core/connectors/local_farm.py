"""Reach the local farm without importing it: the one way every client finds the farm.

The CLI, the submitter, the seed APIs and ``Job.spool()`` all run code that must not import
the farm service: it needs Python 3.8+ and aiohttp, which a DCC's interpreter may lack, and
importing it costs a quarter of a second. The farm documents its state files instead
(docs/protocol.md, "Where things live"), under ``$FARMHAND_HOME/farm/``: ``farm.port`` and
``farm.pid``, written once it listens, and ``api_key.json`` (mode 0600: only the farm's owner
may use it). A farm is running when that pid is alive and it answers a token exchange with
that key; finding it costs no process spawn. Only when none answers is it started, with
``farmhand farm start`` run by:

1. ``$FARMHAND_COMMAND`` (the farmhand program, e.g. ``/opt/farmhand/bin/farmhand``), when set;
2. this interpreter (``python -m farmhand``) when it can run the farm;
3. ``farmhand`` found on ``PATH``.

The answer is a ``ConductorHttp`` holding the token it just got, so the caller's first request
needs no second exchange and later ones reuse the token until it expires.
"""

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from typing import Dict, List, Mapping, Optional

from farmhand.core.connectors.conductor.credentials import ApiKey, parse_api_key
from farmhand.core.connectors.conductor.transport import ConductorHttp
from farmhand.core.errors import FarmConnectionError
from farmhand.core.paths import farmhand_home

COMMAND_VARIABLE = "FARMHAND_COMMAND"
START_TIMEOUT = 90.0
# What a caller that cannot start the farm can do instead (a caller may name its own way).
USE_A_SERVICE = "set CONDUCTOR_URL to use a Conductor-compatible service instead"


def _environment(environ: Optional[Mapping[str, str]]) -> Dict[str, str]:
    """This process's environment with ``environ`` on top (never less: a started farm must
    see the same HOME and PATH as the caller)."""
    env = dict(os.environ)
    env.update(environ or {})
    return env


def farm_folder(environ: Optional[Mapping[str, str]] = None) -> str:
    """``$FARMHAND_HOME/farm``, with ``FARMHAND_HOME`` from ``environ`` when it sets one."""
    home = (environ or {}).get("FARMHAND_HOME")
    return os.path.join(os.path.abspath(home) if home else farmhand_home(), "farm")


def _read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def running_url(folder: Optional[str] = None) -> Optional[str]:
    """The URL in ``farm.port`` when ``farm.pid`` names a live process, else ``None``.

    A farm that was killed leaves both files behind; the pid check tells. (Whether it is
    really the farm that answers there is for the token exchange to find out.)
    """
    folder = folder or farm_folder()
    port = _read(os.path.join(folder, "farm.port"))
    pid = _read(os.path.join(folder, "farm.pid"))
    if not port.isdigit() or not pid.isdigit():
        return None
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return None
    except PermissionError:
        pass  # alive, but another user's process: the token exchange decides
    return "http://127.0.0.1:{}".format(port)


def read_api_key(folder: str) -> ApiKey:
    """The farm's ``api_key.json``; only the farm's owner can read it."""
    path = os.path.join(folder, "api_key.json")
    try:
        with open(path, "rb") as handle:
            content = handle.read()
    except OSError as error:
        raise FarmConnectionError(
            "cannot read the local farm's API key {} ({}); only the farm's owner can use the"
            " farm".format(path, error.strerror or error)
        ) from None
    return parse_api_key(content, path)


def _can_run_farm() -> bool:
    if sys.version_info < (3, 8):
        return False
    try:
        return (
            importlib.util.find_spec("aiohttp") is not None
            and importlib.util.find_spec("farmhand.farm") is not None
        )
    except (ImportError, ValueError):
        return False


def start_command(
    environ: Optional[Mapping[str, str]] = None, instead: str = USE_A_SERVICE
) -> List[str]:
    """The ``farmhand farm start`` command line, per the module docstring's order."""
    env = _environment(environ)
    configured = env.get(COMMAND_VARIABLE, "").strip()
    if configured:
        return shlex.split(configured) + ["farm", "start"]
    if _can_run_farm():
        return [sys.executable, "-m", "farmhand", "farm", "start"]
    found = shutil.which("farmhand", path=env.get("PATH"))
    if found:
        return [found, "farm", "start"]
    raise FarmConnectionError(
        "the local farm is not running and this Python {}.{} ({}) cannot start it (the farm"
        " needs Python 3.8+ with aiohttp); run `farmhand farm start` in a shell, set {} to the"
        " farmhand program, or {}".format(
            sys.version_info[0], sys.version_info[1], sys.executable, COMMAND_VARIABLE, instead
        )
    )


def start_farm(environ: Optional[Mapping[str, str]] = None, instead: str = USE_A_SERVICE) -> str:
    """Run ``farmhand farm start`` and answer the URL it left in the state files."""
    env = _environment(environ)
    command = start_command(env, instead)
    shown = " ".join(command)
    try:
        done = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            timeout=START_TIMEOUT,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise FarmConnectionError(
            "could not start the local farm with `{}`: {}".format(shown, error)
        ) from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise FarmConnectionError(
            "could not start the local farm with `{}` (exit status {}): {}".format(
                shown, done.returncode, lines[-1] if lines else "no message"
            )
        )
    folder = farm_folder(env)
    url = running_url(folder)
    if url is None:
        raise FarmConnectionError(
            "`{}` succeeded but {} names no running farm (farm.port, farm.pid); is"
            " FARMHAND_HOME the same for both?".format(shown, folder)
        )
    return url


def _answering(url: str, key: ApiKey) -> Optional[ConductorHttp]:
    """A transport holding a token from the farm at ``url``; ``None`` when nothing answers
    there (a farm that stopped since it wrote its files). Any other failure is raised."""
    http = ConductorHttp(url, key, key_in_body=True)
    try:
        http.token()
    except FarmConnectionError as error:
        http.close()
        if error.status is None:
            return None
        raise
    return http


def local_farm_http(
    environ: Optional[Mapping[str, str]] = None, instead: str = USE_A_SERVICE
) -> ConductorHttp:
    """An authenticated transport to the local farm, which is started first if none answers.

    ``environ`` adds to this process's environment (``FARMHAND_HOME``, ``FARMHAND_COMMAND``);
    ``instead`` ends the message given when this Python cannot start the farm.
    """
    env = _environment(environ)
    folder = farm_folder(env)
    url = running_url(folder)
    if url is not None:
        http = _answering(url, read_api_key(folder))
        if http is not None:
            return http
    url = start_farm(env, instead)
    http = _answering(url, read_api_key(folder))
    if http is None:
        raise FarmConnectionError(
            "the local farm started but does not answer at {}".format(url), url=url
        )
    return http
