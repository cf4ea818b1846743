"""Runs the local farm in the foreground (``farmhand farm serve``, ``-m farmhand.farm.server``).

One farm per ``FARMHAND_HOME``, enforced by an exclusive lock on ``farm.lock`` (held for the
life of the process, released by the kernel even on SIGKILL, so a crash never leaves a stale
"already running"). The farm listens on 127.0.0.1 only. SIGTERM and SIGINT stop it cleanly:
no new requests, running tasks stopped and recorded as preempted, database closed.
"""

import argparse
import asyncio
import dataclasses
import fcntl
import logging
import os
import signal
import socket
import sys
from typing import Callable, Optional, Sequence

from aiohttp import web

from farmhand import __version__
from farmhand.core.catalogue import Catalogue
from farmhand.core.errors import InputError
from farmhand.farm import connection_cap
from farmhand.farm.app import create_app
from farmhand.farm.config import FarmConfig, load_config
from farmhand.farm.context import FarmContext
from farmhand.farm.credentials import load_or_create_api_key, load_or_create_secret
from farmhand.farm.errors import FarmStartError
from farmhand.farm.machine import machine_catalogue, machine_cores
from farmhand.farm.paths import FarmPaths, loose_home_warning
from farmhand.farm.service import Farm

log = logging.getLogger("farmhand.farm")
HOST = "127.0.0.1"
# How much of a request body aiohttp buffers before it stops reading the socket (its default
# is 64 KiB): an upload streams through in fewer pause/resume rounds (upload_stream.py).
READ_BUFFER = 1024 * 1024


def lock_path(paths: FarmPaths) -> str:
    return os.path.join(paths.root, "farm.lock")


def acquire_lock(paths: FarmPaths) -> int:
    fd = os.open(lock_path(paths), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise FarmStartError(
            "a farm is already running for {} (pid {}); stop it with `farmhand farm stop`".format(
                paths.root, read_text(paths.pid_file) or "?"
            )
        ) from None
    return fd


def read_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read().strip()
    except OSError:
        return ""


def write_atomic(path: str, text: str) -> None:
    tmp = "{}.{}.tmp".format(path, os.getpid())
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def bind_socket(port: int) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((HOST, port))
    except OSError as error:
        sock.close()
        raise FarmStartError(
            "cannot listen on {}:{} ({}); pick another port with --port".format(
                HOST, port, error.strerror
            )
        ) from None
    sock.listen(512)
    sock.setblocking(False)
    return sock


def choose_socket(paths: FarmPaths, port: Optional[int], config: FarmConfig) -> socket.socket:
    """The asked port, else the configured one, else the last one used if free, else any."""
    if port is not None:
        return bind_socket(port)
    if config.port is not None:
        return bind_socket(config.port)
    env_port = os.environ.get("FARMHAND_FARM_PORT")
    if env_port:
        return bind_socket(int(env_port))
    last = read_text(paths.port_file)
    if last.isdigit():
        try:
            return bind_socket(int(last))
        except FarmStartError:
            pass
    return bind_socket(0)


def catalogue_without_probe(config: FarmConfig) -> Catalogue:
    return machine_catalogue(dataclasses.replace(config, probe_software=False))


async def run_farm(
    paths: FarmPaths,
    port: Optional[int] = None,
    slots: Optional[int] = None,
    ready: Optional[Callable[[str], None]] = None,
    stop_event: Optional[asyncio.Event] = None,
    extra_routes: Sequence[str] = (),
) -> None:
    """Serve until ``stop_event`` is set (or SIGTERM/SIGINT in the main thread)."""
    paths.ensure()
    lock_fd = acquire_lock(paths)
    try:
        loose_home = loose_home_warning(paths.root)
        if loose_home:
            log.warning("%s", loose_home)
        if os.path.exists(paths.pid_file):  # we hold the lock: any pid file is stale
            os.unlink(paths.pid_file)
        config = load_config(paths.config)
        api_key = load_or_create_api_key(paths)
        secret = load_or_create_secret(paths)
        loop = asyncio.get_running_loop()
        slot_count = slots or config.slots or machine_cores()
        farm = Farm(paths, config, catalogue_without_probe(config), slot_count, loop)
        # The software probe runs `blender --version` (about a second): serve meanwhile; the
        # catalogue routes and submits wait for it.
        cache = os.path.join(paths.root, "software.json")
        catalogue_future = loop.run_in_executor(
            farm.threads, lambda: machine_catalogue(config, cache_path=cache)
        )
        sock = choose_socket(paths, port, config)
        actual_port = sock.getsockname()[1]
        url = "http://{}:{}".format(HOST, actual_port)
        context = FarmContext(
            farm=farm,
            paths=paths,
            config=config,
            api_key=api_key,
            secret=secret,
            catalogue_future=catalogue_future,
            url=url,
            version=__version__,
        )
        recovered = farm.recover()
        if recovered["requeued"] or recovered["failed"]:
            log.warning("recovered after an interruption: %s", recovered)
        app = create_app(context, extra_routes)
        runner = web.AppRunner(app, access_log=None, handle_signals=False, read_bufsize=READ_BUFFER)
        await runner.setup()
        assert runner.server is not None
        connection_cap.cap_connections(runner.server, connection_cap.MAX_CONNECTIONS)
        site = web.SockSite(runner, sock, shutdown_timeout=2.0)
        await site.start()
        write_atomic(paths.port_file, str(actual_port))
        write_atomic(paths.pid_file, str(os.getpid()))
        log.info("farm listening on %s with %d slots (home %s)", url, slot_count, paths.root)
        stop = stop_event or asyncio.Event()
        if stop_event is None:
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
        if ready is not None:
            ready(url)
        try:
            await stop.wait()
        finally:
            log.info("farm stopping")
            farm.refuse_new_jobs()  # submits still being received get a retryable 503
            await runner.cleanup()
            await farm.shutdown()
            if read_text(paths.pid_file) == str(os.getpid()):
                os.unlink(paths.pid_file)
    finally:
        os.close(lock_fd)


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m farmhand.farm.server")
    parser.add_argument("--port", type=int, default=None)
    parser.add_argument("--slots", type=int, default=None)
    parser.add_argument("--ready-fd", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    return serve_forever(args.port, args.slots, args.ready_fd)


def serve_forever(port: Optional[int], slots: Optional[int], ready_fd: Optional[int] = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s farmhand-farm %(levelname)s %(message)s"
    )
    paths = FarmPaths.default()

    fds = [ready_fd]

    def ready(url: str) -> None:
        print("farmhand farm: listening on {}".format(url), file=sys.stderr, flush=True)
        if fds[0] is not None:
            os.write(fds[0], (url + "\n").encode("ascii"))
            os.close(fds[0])
            fds[0] = None

    try:
        asyncio.run(run_farm(paths, port, slots, ready))
    except (FarmStartError, InputError) as error:
        return _failed(str(error), fds[0])
    except Exception as error:  # noqa: BLE001 - reported to the starter, then re-raised
        log.exception("the farm failed")
        _failed("{}: {}".format(type(error).__name__, error), fds[0])
        raise
    return 0


def _failed(message: str, ready_fd: Optional[int]) -> int:
    print("farmhand farm: error: {}".format(message), file=sys.stderr, flush=True)
    if ready_fd is not None:
        try:
            os.write(ready_fd, ("error " + message.replace("\n", " ") + "\n").encode("utf-8"))
        except OSError:
            pass  # already reported ready: the starter is gone or not listening
    return 1


if __name__ == "__main__":
    sys.exit(main())
