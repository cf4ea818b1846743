"""Uploads go out in parallel (issue 5): the parts of one multipart file, and many small
files, are sent on several connections at once to a real local farm.

Between client and farm sits a plain TCP relay that paces what the client sends (a slow
link: each part takes a while) and records how many connections carry a request at the
same moment. A client that sent one request after another would reuse one keep-alive
connection and never have two busy at once.
"""

import base64
import hashlib
import os
import socket
import threading
import time

import pytest

from farmhand.core.connectors.conductor.connector import ConductorConnector

pytestmark = pytest.mark.timeout(120)

MIB = 1024 * 1024
CLIENT_FARM_CONFIG = {"multipart_threshold": 4 * MIB, "part_size": MIB}


class PacingRelay(object):
    """Relays TCP connections to the farm; ``busy_peak`` is the most connections that were
    carrying client bytes within the same 50 ms."""

    CHUNK = 64 * 1024
    PAUSE = 0.01  # per chunk: about 6 MiB/s per connection

    def __init__(self, upstream_url):
        host, port = upstream_url.split("//", 1)[1].rstrip("/").split(":")
        self.upstream = (host, int(port))
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(32)
        self.url = "http://127.0.0.1:{}".format(self.server.getsockname()[1])
        self.lock = threading.Lock()
        self.last_bytes = {}  # connection number -> when it last carried client bytes
        self.busy_peak = 0
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        number = 0
        while not self.closed:
            try:
                client, _ = self.server.accept()
            except OSError:
                return
            number += 1
            try:
                upstream = socket.create_connection(self.upstream)
            except OSError:
                client.close()
                continue
            for source, target, paced in ((client, upstream, True), (upstream, client, False)):
                threading.Thread(
                    target=self._pump, args=(number, source, target, paced), daemon=True
                ).start()

    def _pump(self, number, source, target, paced):
        try:
            while True:
                data = source.recv(self.CHUNK)
                if not data:
                    break
                if paced:
                    self._note(number)
                    time.sleep(self.PAUSE)
                target.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, target):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _note(self, number):
        now = time.monotonic()
        with self.lock:
            self.last_bytes[number] = now
            busy = sum(1 for when in self.last_bytes.values() if now - when < 0.05)
            self.busy_peak = max(self.busy_peak, busy)

    def close(self):
        self.closed = True
        self.server.close()


@pytest.fixture
def relay(client_farm):
    paced = PacingRelay(client_farm.url)
    yield paced
    paced.close()


def md5_of(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


def submit(relay, client_farm, paths):
    client = ConductorConnector(relay.url, client_farm.key, "local farm (through a relay)")
    try:
        return client.submit(
            {
                "job_title": "parallel uploads",
                "project": "default",
                "instance_type": client.catalogue().instance_types[0].name,
                "tasks_data": [{"command": "true", "frames": "1"}],
                "output_path": "",
                "upload_paths": [str(p) for p in paths],
            }
        )
    finally:
        client.close()


def test_the_parts_of_one_big_file_are_sent_at_once(relay, client_farm, tmp_path):
    content = os.urandom(8 * MIB)  # 8 parts of 1 MiB
    path = tmp_path / "cache.vdb"
    path.write_bytes(content)
    result = submit(relay, client_farm, [path])
    assert (result.uploaded_files, result.uploaded_bytes) == (1, len(content))
    assert client_farm.stored(md5_of(content))
    assert relay.busy_peak >= 2, "the parts went one after another"


def test_small_files_are_sent_at_once(relay, client_farm, tmp_path):
    contents = [os.urandom(512 * 1024) for _ in range(8)]
    paths = []
    for index, content in enumerate(contents):
        path = tmp_path / "tex{}.exr".format(index)
        path.write_bytes(content)
        paths.append(path)
    result = submit(relay, client_farm, paths)
    assert result.uploaded_files == 8
    assert all(client_farm.stored(md5_of(c)) for c in contents)
    assert relay.busy_peak >= 2, "the files went one after another"
