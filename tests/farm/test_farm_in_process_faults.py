"""Faults injected into a farm running in this process (``run_farm`` on its own loop in a
thread, as ``farmhand farm serve`` runs it), where the test can reach its parts:

* a submit that meets a farm stopping cleanly is told to come back (503 with Retry-After),
  not refused (409): the client sends it again with the same key and the job is created
  once. The test puts the farm in the state its stop begins with (``Farm.refuse_new_jobs``,
  called first when it stops) and takes it back out, without racing a real shutdown's few
  milliseconds;
* a task start whose record cannot be committed is not spawned (no run without a recorded
  attempt): it ends preempted and runs again once the record works.
"""

import asyncio
import sqlite3
import threading
import time

import pytest
import requests

from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.connectors.conductor.create_job import create_job
from farmhand.farm import control, server
from farmhand.farm.paths import FarmPaths

pytestmark = pytest.mark.timeout(120)
MESSAGE = "the farm is shutting down; submit again once it is back"


class InProcessFarm:
    def __init__(self, root, monkeypatch):
        self.paths = FarmPaths(str(root))
        self.farm = None
        self.url = None
        self.loop = None
        self.stop_event = None
        self.ready = threading.Event()
        self.errors = []
        real_farm = server.Farm

        def keep_farm(*args, **kwargs):
            self.farm = real_farm(*args, **kwargs)
            return self.farm

        monkeypatch.setattr(server, "Farm", keep_farm)

    def start(self):
        self.paths.ensure()
        with open(self.paths.config, "w") as handle:
            handle.write('{"probe_software": false}')
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        assert self.ready.wait(60), "the in-process farm did not start"
        if self.errors:
            raise self.errors[0]
        with open(self.paths.api_key) as handle:
            self.api_key = handle.read().strip()
        return self

    def _serve(self):
        async def main():
            self.loop = asyncio.get_running_loop()
            self.stop_event = asyncio.Event()

            def ready(url):
                self.url = url
                self.ready.set()

            await server.run_farm(
                self.paths, port=0, slots=1, ready=ready, stop_event=self.stop_event
            )

        try:
            asyncio.run(main())
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            self.errors.append(error)
            self.ready.set()

    def on_loop(self, function):
        done = threading.Event()
        self.loop.call_soon_threadsafe(lambda: (function(), done.set()))
        assert done.wait(30)

    def stop(self):
        if self.loop is not None:
            self.loop.call_soon_threadsafe(self.stop_event.set)
            self.thread.join(30)


@pytest.fixture
def live_farm(tmp_path, monkeypatch):
    farm = InProcessFarm(tmp_path / "farm", monkeypatch).start()
    yield farm
    farm.stop()


def payload(connector):
    instance = connector.http.json("GET", "/api/v1/instance-types")["data"][0]["name"]
    return {
        "job_title": "submitted while the farm stops",
        "project": "default",
        "instance_type": instance,
        "output_path": "",
        "tasks_data": [{"command": "true", "frames": "1"}],
    }


def test_a_submit_while_the_farm_stops_is_a_503_with_retry_after(live_farm):
    connector = ConductorConnector(live_farm.url, live_farm.api_key)
    body = payload(connector)
    live_farm.on_loop(live_farm.farm.refuse_new_jobs)
    token = control.get_token(live_farm.url, live_farm.api_key)
    reply = requests.post(
        live_farm.url + "/jobs/",
        json=body,
        headers={"Authorization": "Bearer " + token},
        timeout=30,
    )
    assert reply.status_code == 503, reply.text
    assert reply.headers["Retry-After"] == "2"
    assert reply.json() == {"error": MESSAGE, "field": None}


def test_the_client_retries_it_and_the_job_is_created_once(live_farm):
    connector = ConductorConnector(live_farm.url, live_farm.api_key)
    body = payload(connector)
    live_farm.on_loop(live_farm.farm.refuse_new_jobs)
    answers = []
    real_request = connector.http.request

    def counting(*args, **kwargs):
        try:
            response = real_request(*args, **kwargs)
        except Exception as error:
            answers.append(getattr(error, "status", None))
            if len(answers) == 2:  # the farm is back once two submits were turned away
                live_farm.on_loop(lambda: setattr(live_farm.farm, "closing", False))
            raise
        answers.append(response.status_code)
        return response

    connector.http.request = counting
    started = time.monotonic()
    response = create_job(connector.http, body, key="stopping-farm", delays=(0.05,) * 10)
    assert response.status_code == 201
    assert answers == [503, 503, 201]
    assert time.monotonic() - started < 30
    jobs = connector.http.json("GET", "/api/v1/jobs")["data"]
    assert [j["title"] for j in jobs] == ["submitted while the farm stops"]


def test_a_start_that_cannot_be_recorded_is_not_spawned(live_farm, tmp_path):
    trace = tmp_path / "trace"
    connector = ConductorConnector(live_farm.url, live_farm.api_key)
    body = payload(connector)
    body["tasks_data"] = [
        {"command": 'echo "ran $FARMHAND_ATTEMPT" >> {}'.format(trace), "frames": "1"}
    ]
    db = live_farm.farm.db
    real_apply = db.apply
    refused = []

    def apply(ops):
        if not refused and any(sql.startswith("INSERT INTO attempts") for sql, _ in ops):
            refused.append(ops)
            raise sqlite3.OperationalError("database or disk is full")
        return real_apply(ops)

    db.apply = apply
    response = create_job(connector.http, body, key="unrecorded-start")
    jid = response.json()["jobid"]
    deadline = time.monotonic() + 60
    while connector.http.json("GET", "/api/v1/jobs/" + jid)["data"]["status"] != "success":
        assert time.monotonic() < deadline, "the job did not end"
        time.sleep(0.05)
    assert len(refused) == 1
    # Attempt 1 was never spawned (its record failed); attempt 2 ran, once, on record.
    assert trace.read_text() == "ran 2\n"
    task = connector.http.json("GET", "/api/v1/jobs/{}/tasks/000".format(jid))["data"]
    assert [(a["attempt"], a["outcome"]) for a in task["attempts"]] == [(2, "success")]
