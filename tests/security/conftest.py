"""Fixtures for the security tests: a real farm served in this process (so the test can read
the very aiohttp application that answers), and recognisable secrets to grep for.

``live_farm`` runs ``farmhand.farm.server.run_farm`` (the code ``farmhand farm serve`` runs)
on its own event loop in a thread, with ``create_app`` wrapped to keep the application it
built: the route table the tests enumerate is the one bound to the listening socket.
"""

import asyncio
import json
import os
import threading

import pytest

from farmhand.farm import server
from farmhand.farm.paths import FarmPaths


class LiveFarm:
    def __init__(self, root):
        self.paths = FarmPaths(str(root))
        self.app = None
        self.url = None
        self.socket_names = []
        self._loop = None
        self._stop = None
        self._ready = threading.Event()
        self._error = []

    def start(self, monkeypatch, config=None):
        real_create_app = server.create_app
        real_choose = server.choose_socket

        def keep_app(context, extra=()):
            self.app = real_create_app(context, extra)
            return self.app

        def keep_socket(paths, port, config):
            sock = real_choose(paths, port, config)
            self.socket_names.append(sock.getsockname())
            return sock

        monkeypatch.setattr(server, "create_app", keep_app)
        monkeypatch.setattr(server, "choose_socket", keep_socket)
        self.paths.ensure()
        with open(self.paths.config, "w") as handle:
            handle.write(json.dumps(dict({"probe_software": False}, **(config or {}))))
        thread = threading.Thread(target=self._serve, daemon=True)
        thread.start()
        if not self._ready.wait(60):
            raise RuntimeError("the in-process farm did not start: {}".format(self._error))
        if self._error:
            raise self._error[0]
        self._thread = thread
        return self

    def _serve(self):
        async def main():
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()

            def ready(url):
                self.url = url
                self._ready.set()

            await server.run_farm(self.paths, port=0, slots=1, ready=ready, stop_event=self._stop)

        try:
            asyncio.run(main())
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            self._error.append(error)
            self._ready.set()

    def token(self):
        """A bearer token, from the token exchange as any client gets one."""
        import requests

        key = json.loads(self.api_key)
        reply = requests.post(
            self.url + "/api/oauth_jwt",
            data={"client_id": key["client_id"], "client_secret": key["private_key"]},
            timeout=30,
        )
        return reply.json()["access_token"]

    @property
    def api_key(self):
        with open(self.paths.api_key) as handle:
            return handle.read()

    def stop(self):
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
            self._thread.join(30)


@pytest.fixture
def start_live_farm(tmp_path, monkeypatch):
    """Start a live farm after the test has set things up (a config, a loose home folder, a
    patched limit): ``start_live_farm(config=None)`` returns it; it is stopped afterwards."""
    started = []

    def start(config=None):
        farm = LiveFarm(tmp_path / "live-home" / "farm")
        started.append(farm)
        return farm.start(monkeypatch, config)

    yield start
    for farm in started:
        farm.stop()


@pytest.fixture
def live_farm(start_live_farm):
    return start_live_farm()


@pytest.fixture
def umask_022():
    """The usual umask (others may read new files): what the permission tests must survive."""
    old = os.umask(0o022)
    yield
    os.umask(old)
