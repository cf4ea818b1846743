"""Managing the background farm: start, stop, status, and ``ensure_running`` for clients.

``start`` spawns ``python -m farmhand.farm.server`` detached from the terminal, logging to
``serve.log``, and waits for the child to say on a pipe that it listens (or why it failed):
no polling. Whether a farm runs is decided by its lock on ``farm.lock``, not by a pid file
that a crash may leave behind.
"""

import fcntl
import json
import os
import select
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Optional, Tuple

from farmhand.farm.credentials import load_or_create_api_key
from farmhand.farm.errors import FarmStartError
from farmhand.farm.paths import FarmPaths
from farmhand.farm.server import lock_path, read_text

START_TIMEOUT = 60.0
STOP_TIMEOUT = 30.0


def _paths(paths: Optional[FarmPaths]) -> FarmPaths:
    return (paths or FarmPaths.default()).ensure()


def is_running(paths: Optional[FarmPaths] = None) -> bool:
    paths = _paths(paths)
    fd = os.open(lock_path(paths), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def farm_url(paths: Optional[FarmPaths] = None) -> Optional[str]:
    """The URL of the running farm; None when none runs or it is still starting.

    The server writes the port file, then the pid file, once it listens (and removes a stale
    pid file first), so a pid file next to a held lock means the port file is current.
    """
    paths = _paths(paths)
    if not is_running(paths) or not read_text(paths.pid_file).isdigit():
        return None
    port = read_text(paths.port_file)
    return "http://127.0.0.1:{}".format(port) if port.isdigit() else None


def _wait_for_starting_farm(paths: FarmPaths, timeout: float) -> Optional[str]:
    """Another process is starting the farm right now: wait (briefly) until it listens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_running(paths):
            return None
        url = farm_url(paths)
        if url:
            return url
        time.sleep(0.05)
    raise FarmStartError(
        "a farm for {} is starting but did not listen within {:.0f} s; see {}".format(
            paths.root, timeout, paths.serve_log
        )
    )


def api_key_json(paths: Optional[FarmPaths] = None) -> str:
    return load_or_create_api_key(_paths(paths)).to_json()


def get_token(url: str, key_json: str) -> str:
    key = json.loads(key_json)
    form = urllib.parse.urlencode(
        {
            "grant_type": "client_credentials",
            "scope": "owner admin user",
            "client_id": key["client_id"],
            "client_secret": key["private_key"],
        }
    ).encode("ascii")
    # A POST body: a query string is where proxies and logs keep URLs, key and all.
    with urllib.request.urlopen("{}/api/oauth_jwt".format(url), form, timeout=10) as reply:
        return str(json.load(reply)["access_token"])


def request_json(url: str, key_json: str, path: str) -> Dict[str, Any]:
    """An authenticated GET (token exchange included), for status and tests."""
    token = get_token(url, key_json)
    request = urllib.request.Request(url + path, headers={"Authorization": "Bearer " + token})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return dict(json.load(reply))


def start(
    port: Optional[int] = None,
    slots: Optional[int] = None,
    paths: Optional[FarmPaths] = None,
    timeout: float = START_TIMEOUT,
) -> Tuple[str, str]:
    """Start the farm in the background (if not running); returns ``(url, api_key_json)``."""
    paths = _paths(paths)
    url = farm_url(paths) or (
        _wait_for_starting_farm(paths, timeout) if is_running(paths) else None
    )
    if url:
        return url, api_key_json(paths)
    read_fd, write_fd = os.pipe()
    command = [sys.executable, "-m", "farmhand.farm.server", "--ready-fd", str(write_fd)]
    if port is not None:
        command += ["--port", str(port)]
    if slots is not None:
        command += ["--slots", str(slots)]
    env = dict(os.environ)
    env["FARMHAND_HOME"] = os.path.dirname(paths.root)
    with open(paths.serve_log, "ab") as log_file:
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            pass_fds=(write_fd,),
            start_new_session=True,
            env=env,
            cwd="/",
        )
    os.close(write_fd)
    try:
        line = _read_line(read_fd, timeout)
    finally:
        os.close(read_fd)
    if line.startswith("http://"):
        return line, api_key_json(paths)
    if line.startswith("error") and is_running(paths):
        # Another process started the farm at the same moment and won the lock: use it.
        url = _wait_for_starting_farm(paths, timeout)
        if url:
            return url, api_key_json(paths)
    if line.startswith("error "):
        reason = ": " + line[len("error ") :]
    elif not _exited(process):
        process.kill()
        reason = " within {:.0f} s".format(timeout)
    else:
        reason = " (it exited with status {}: {})".format(
            process.returncode, _last_line(paths.serve_log)
        )
    raise FarmStartError("the farm did not start{}; see {}".format(reason, paths.serve_log))


def _exited(process: "subprocess.Popen[bytes]") -> bool:
    """The pipe closed without a word: give the child a moment to finish dying."""
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        return False
    return True


def _last_line(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            handle.seek(0, os.SEEK_END)
            handle.seek(max(0, handle.tell() - 4096))
            lines = handle.read().decode("utf-8", "replace").strip().splitlines()
    except OSError:
        return "no log"
    return lines[-1] if lines else "empty log"


def _readable(fd: int, timeout: float) -> bool:
    """Wait until ``fd`` is readable, at most ``timeout`` seconds. ``poll``, not ``select``:
    a host application (or a long test run) may hold over 1,024 descriptors, and ``select``
    refuses a descriptor numbered 1,024 or more (ValueError), which failed the start."""
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(max(0, int(timeout * 1000) + 1)))


def _read_line(fd: int, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    data = b""
    while b"\n" not in data:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if not _readable(fd, left):
            break
        chunk = os.read(fd, 4096)
        if not chunk:
            break
        data += chunk
    return data.decode("utf-8", "replace").strip()


def ensure_running(paths: Optional[FarmPaths] = None) -> Tuple[str, str]:
    """``(url, api_key_json)`` of the local farm, starting it in the background if needed.

    ``api_key_json`` is what ``CONDUCTOR_API_KEY`` holds (``{"client_id", "private_key"}``).
    """
    return start(paths=paths)


def stop(paths: Optional[FarmPaths] = None, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the running farm cleanly (SIGTERM, wait for exit); False if none was running."""
    paths = _paths(paths)
    if not is_running(paths):
        return False
    pid_text = read_text(paths.pid_file)
    if not pid_text.isdigit():
        raise FarmStartError(
            "a farm holds {} but {} has no pid; stop it by hand".format(
                lock_path(paths), paths.pid_file
            )
        )
    pid = int(pid_text)
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    # Stopped when the lock is free: the kernel releases it when the process is gone.
    deadline = time.monotonic() + timeout
    while is_running(paths):
        if time.monotonic() > deadline:
            raise FarmStartError(
                "the farm (pid {}) did not stop within {:.0f} s; see {}".format(
                    pid, timeout, paths.serve_log
                )
            )
        _wait_for_exit(pid, deadline - time.monotonic())
    return True


def _wait_for_exit(pid: int, timeout: float) -> None:
    """Block until ``pid`` exits (a pidfd where the kernel has them), at most ``timeout``."""
    try:
        pidfd = os.pidfd_open(pid)
    except ProcessLookupError:
        return
    except (OSError, AttributeError):
        time.sleep(min(0.05, max(0.0, timeout)))
        return
    try:
        _readable(pidfd, max(0.0, timeout))
    finally:
        os.close(pidfd)


def status(paths: Optional[FarmPaths] = None) -> Optional[Dict[str, Any]]:
    """The running farm's ``/api/v1/farm`` answer, or None when no farm runs."""
    paths = _paths(paths)
    url = farm_url(paths)
    if not url:
        return None
    try:
        data: Dict[str, Any] = request_json(url, api_key_json(paths), "/api/v1/farm")["data"]
        return data
    except (urllib.error.URLError, OSError, ValueError, KeyError) as error:
        raise FarmStartError(
            "a farm runs for {} but does not answer at {} ({})".format(paths.root, url, error)
        ) from None
