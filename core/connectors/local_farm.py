"""Reach the local farm from code that must not import it (core, the seed APIs, hosts).

The farm service needs Python >= 3.8 and aiohttp, which a DCC's interpreter may lack, so this
goes through a process boundary: ``farmhand farm credentials`` starts the farm when it is not
running and prints ``CONDUCTOR_URL=...`` / ``CONDUCTOR_API_KEY=...``. Which command runs it:

1. ``$FARMHAND_FARM_COMMAND`` (e.g. ``/opt/farmhand/bin/farmhand``), when set;
2. this interpreter (``python -m farmhand``) when it can run the farm;
3. ``farmhand`` found on ``PATH``.
"""

import importlib.util
import os
import shlex
import shutil
import subprocess
import sys
from typing import Dict, List, Mapping, Optional, Tuple

from farmhand.core.errors import FarmConnectionError, InputError

START_TIMEOUT = 90.0


def _environment(environ: Optional[Mapping[str, str]]) -> Dict[str, str]:
    """The farm command's environment: this process's, with ``environ`` on top (never less:
    the farm must see the same FARMHAND_HOME, HOME and PATH as the caller)."""
    env = dict(os.environ)
    env.update(environ or {})
    return env


def farm_command(environ: Optional[Mapping[str, str]] = None) -> List[str]:
    """The command (without the ``farm credentials`` words) that runs Farmhand's CLI."""
    env = _environment(environ)
    configured = env.get("FARMHAND_FARM_COMMAND", "").strip()
    if configured:
        return shlex.split(configured)
    if _can_run_farm():
        return [sys.executable, "-m", "farmhand"]
    found = shutil.which("farmhand")
    if found:
        return [found]
    raise InputError(
        "cannot start the local farm from this Python {}.{} ({}): it needs Python 3.8+ with "
        "aiohttp; set FARMHAND_FARM_COMMAND to the farmhand command of the workstation, or "
        "CONDUCTOR_URL to a running farm".format(
            sys.version_info[0], sys.version_info[1], sys.executable
        ),
        field="target",
    )


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


def parse_credentials(text: str) -> Dict[str, str]:
    """``NAME=value`` lines (shell-quoted) into a dict."""
    values = {}
    for line in text.splitlines():
        words = shlex.split(line)
        if len(words) == 1 and "=" in words[0]:
            name, _, value = words[0].partition("=")
            values[name] = value
    return values


def ensure_local_farm(environ: Optional[Mapping[str, str]] = None) -> Tuple[str, str]:
    """``(url, api_key_json)`` of the local farm, started in the background if needed."""
    env = _environment(environ)
    command = farm_command(env) + ["farm", "credentials"]
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
        raise FarmConnectionError("cannot run `{}`: {}".format(" ".join(command), error)) from None
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise FarmConnectionError(
            "the local farm did not start (`{}` exited with {}): {}".format(
                " ".join(command), done.returncode, lines[-1] if lines else "no message"
            )
        )
    values = parse_credentials(done.stdout.decode("utf-8", "replace"))
    if "CONDUCTOR_URL" not in values or "CONDUCTOR_API_KEY" not in values:
        raise FarmConnectionError(
            "`{}` printed no CONDUCTOR_URL/CONDUCTOR_API_KEY lines".format(" ".join(command))
        )
    return values["CONDUCTOR_URL"], values["CONDUCTOR_API_KEY"]
