"""Fixtures for the local farm: a real farm process on a free port with its own home.

``farm`` starts ``python -m farmhand.farm.server`` exactly as ``farmhand farm start`` does
(background process, lock, pid and port files) with two slots, and stops it after the test.
The returned handle speaks the protocol with ``requests`` (token exchange included), so the
tests exercise the same HTTP a client does. ``farm_factory`` starts more farms or farms with
other slots and settings (config.json).
"""

import base64
import hashlib
import json
import os
import select
import signal
import time

import pytest
import requests

from farmhand.farm import control
from farmhand.farm.paths import FarmPaths

FINAL = ("success", "failed", "killed")


def md5_b64(data):
    return base64.b64encode(hashlib.md5(data).digest()).decode("ascii")


class FarmHandle:
    """One farm process and an authenticated HTTP session to it."""

    def __init__(self, home, slots=2, config=None):
        self.home = str(home)
        self.paths = FarmPaths(os.path.join(self.home, "farm"))
        self.slots = slots
        self.config = {"probe_software": False} if config is None else config
        self.url = None
        self.api_key = None
        self.session = requests.Session()
        self._instance_type = None

    # -- process ----------------------------------------------------------------------------

    def start(self):
        self.paths.ensure()
        with open(self.paths.config, "w") as handle:
            json.dump(self.config, handle)
        self.url, self.api_key = control.start(port=0, slots=self.slots, paths=self.paths)
        self.session.headers["Authorization"] = "Bearer " + self.token()
        return self

    def token(self):
        return control.get_token(self.url, self.api_key)

    def paths_secret(self):
        with open(self.paths.secret, "rb") as handle:
            return handle.read().strip()

    @property
    def pid(self):
        with open(self.paths.pid_file) as handle:
            return int(handle.read())

    def stop(self):
        return control.stop(paths=self.paths)

    def kill9(self):
        """SIGKILL the farm and wait until its lock is free (the process is gone)."""
        pid = self.pid
        pidfd = os.pidfd_open(pid)
        os.kill(pid, signal.SIGKILL)
        poller = select.poll()  # not select(): the test process may hold > 1,024 fds
        poller.register(pidfd, select.POLLIN)
        poller.poll(10_000)
        os.close(pidfd)
        deadline = time.monotonic() + 10
        while control.is_running(self.paths) and time.monotonic() < deadline:
            time.sleep(0.01)

    def restart(self):
        self.url, self.api_key = control.start(port=0, slots=self.slots, paths=self.paths)
        self.session.headers["Authorization"] = "Bearer " + self.token()
        return self

    # -- HTTP -------------------------------------------------------------------------------

    def get(self, path, **params):
        return self.session.get(self.url + path, params=params, timeout=60)

    def post(self, path, body=None, **kwargs):
        data = json.dumps(body) if body is not None else None
        return self.session.post(self.url + path, data=data, timeout=60, **kwargs)

    def put(self, path, body=None, **kwargs):
        data = json.dumps(body) if body is not None else None
        return self.session.put(self.url + path, data=data, timeout=60, **kwargs)

    def instance_type(self):
        if self._instance_type is None:
            reply = self.get("/api/v1/instance-types")
            reply.raise_for_status()
            self._instance_type = reply.json()["data"][0]["name"]
        return self._instance_type

    def payload(self, tasks, **fields):
        """A valid payload; ``tasks`` are command strings or tasks_data dicts."""
        data = {
            "job_title": "test job",
            "project": "default",
            "instance_type": self.instance_type(),
            "output_path": "",
            "tasks_data": [
                t if isinstance(t, dict) else {"command": t, "frames": str(i + 1)}
                for i, t in enumerate(tasks)
            ],
        }
        data.update(fields)
        return data

    def submit(self, tasks=None, payload=None, **fields):
        reply = self.post(
            "/jobs/", payload if payload is not None else self.payload(tasks, **fields)
        )
        assert reply.status_code == 201, reply.text
        return reply.json()["jobid"]

    def job(self, jid):
        reply = self.get("/api/v1/jobs/" + jid)
        reply.raise_for_status()
        return reply.json()["data"]

    def tasks(self, jid):
        reply = self.get("/api/v1/jobs/{}/tasks".format(jid))
        reply.raise_for_status()
        return reply.json()["data"]

    def task(self, jid, tid):
        reply = self.get("/api/v1/jobs/{}/tasks/{}".format(jid, tid))
        reply.raise_for_status()
        return reply.json()["data"]

    def log(self, jid, tid, attempt=None):
        params = {} if attempt is None else {"attempt": attempt}
        reply = self.get("/api/v1/jobs/{}/tasks/{}/log".format(jid, tid), **params)
        reply.raise_for_status()
        return reply.text

    def wait(self, jid, until=FINAL, timeout=60, predicate=None):
        """Follow the job with long polls (no sleeping) until ``predicate(job)`` holds
        (by default: its status is one of ``until``)."""
        check = predicate or (lambda job: job["status"] in until)
        deadline = time.monotonic() + timeout
        revision = -1
        while True:
            left = deadline - time.monotonic()
            reply = self.get("/api/v1/jobs/" + jid, wait=max(0.0, min(left, 20)), revision=revision)
            reply.raise_for_status()
            job = reply.json()["data"]
            if check(job):
                return job
            if left <= 0:
                raise AssertionError(
                    "job {} still not there after {} s: {}".format(jid, timeout, job)
                )
            revision = job["revision"]

    def upload(self, data, path="/proj/file.bin"):
        """Upload bytes through the single-part protocol; returns the md5."""
        md5 = md5_b64(data)
        reply = self.post(
            "/api/v2/files/get_upload_urls",
            {
                "project": "default",
                "upload_files": [{"path": path, "hash": md5, "size": len(data)}],
            },
        )
        reply.raise_for_status()
        for item in reply.json()["singlePartURLs"]:
            put = requests.put(
                item["preSignedURL"], data=data, headers={"Content-MD5": md5}, timeout=60
            )
            assert put.status_code == 200, put.text
        return md5


@pytest.fixture
def farm_factory(tmp_path):
    started = []

    def make(name="farm", slots=2, config=None, start=True):
        handle = FarmHandle(tmp_path / name, slots=slots, config=config)
        started.append(handle)
        return handle.start() if start else handle

    yield make
    for handle in started:
        try:
            handle.stop()
        except Exception:  # noqa: BLE001 - a test may have killed it on purpose
            pass


@pytest.fixture
def farm(farm_factory):
    return farm_factory()


@pytest.fixture
def out_dir(tmp_path):
    path = tmp_path / "out"
    path.mkdir()
    return path
