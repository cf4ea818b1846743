"""The farm's side of idempotent submission (issue 8): ``POST /jobs/`` with an
``Idempotency-Key`` creates at most one job per key, also across a restart; the same key with
another body is a 409 naming the key; a malformed key is a 400 naming the header. Requests
without the header (ciocore's) behave as before: each one is a job.
"""

import json
import os
import signal
import threading
import time
import uuid

import pytest
import requests
from client_farm import FarmProcess

from farmhand.farm import control
from farmhand.farm.paths import FarmPaths

pytestmark = pytest.mark.timeout(120)


class Raw(object):
    """Plain HTTP to the farm, headers under the test's control."""

    def __init__(self, farm):
        self.url = farm.url
        self.headers = {"Authorization": "Bearer " + control.get_token(farm.url, farm.key)}
        self._instance_type = None

    def get(self, path):
        reply = requests.get(self.url + path, headers=self.headers, timeout=30)
        reply.raise_for_status()
        return reply.json()

    def payload(self, title, command="true"):
        if self._instance_type is None:
            self._instance_type = self.get("/api/v1/instance-types")["data"][0]["name"]
        return {
            "job_title": title,
            "project": "default",
            "instance_type": self._instance_type,
            "output_path": "",
            "tasks_data": [{"command": command, "frames": "1"}],
        }

    def submit(self, payload, key=None):
        headers = dict(self.headers)
        if key is not None:
            headers["Idempotency-Key"] = key
        return requests.post(self.url + "/jobs/", json=payload, headers=headers, timeout=30)

    def jobs_titled(self, title):
        return sorted(j["jid"] for j in self.get("/api/v1/jobs")["data"] if j["title"] == title)


@pytest.fixture
def raw(client_farm):
    return Raw(client_farm)


def unique(name):
    return "{} {}".format(name, uuid.uuid4().hex[:8])


def test_a_repeated_key_answers_the_first_job_and_creates_no_second(raw):
    title = unique("repeat")
    first = raw.submit(raw.payload(title), key="key-" + title.replace(" ", "-"))
    again = raw.submit(raw.payload(title), key="key-" + title.replace(" ", "-"))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert "Idempotent-Replayed" not in first.headers
    assert again.headers["Idempotent-Replayed"] == "true"
    assert raw.jobs_titled(title) == [first.json()["jobid"]]


def test_key_order_and_spacing_of_the_body_do_not_make_it_another_body(raw):
    title = unique("same body")
    key = uuid.uuid4().hex
    payload = raw.payload(title)
    first = raw.submit(payload, key=key)
    reordered = dict(reversed(list(payload.items())))
    headers = dict(raw.headers, **{"Idempotency-Key": key, "Content-Type": "application/json"})
    text = json.dumps(reordered, indent=4)
    again = requests.post(raw.url + "/jobs", data=text, headers=headers, timeout=30)
    assert again.status_code == 201, again.text
    assert again.json()["jobid"] == first.json()["jobid"]
    assert len(raw.jobs_titled(title)) == 1


def test_the_same_key_with_another_body_is_refused_naming_the_key_and_the_job(raw):
    title = unique("first body")
    first = raw.submit(raw.payload(title), key="shared-key-" + title[-8:])
    other = raw.submit(raw.payload(unique("second body")), key="shared-key-" + title[-8:])
    assert other.status_code == 409
    assert other.json() == {
        "error": "'shared-key-{}' was already used to submit job {} with a"
        " different body; send a new key for a new job".format(title[-8:], first.json()["jobid"]),
        "field": "Idempotency-Key",
    }


@pytest.mark.parametrize(
    "key, message",
    [
        (
            "",
            "the Idempotency-Key header is empty; send a unique value per job (a UUID) or no"
            " header",
        ),
        ("k" * 256, "the Idempotency-Key header is 256 characters long; the limit is 255"),
        (
            "two words",
            "the Idempotency-Key header 'two words' holds ' '; use printable ASCII without"
            " spaces",
        ),
    ],
    ids=["empty", "too-long", "space"],
)
def test_a_malformed_key_is_refused_and_nothing_is_submitted(raw, key, message):
    title = unique("bad key")
    reply = raw.submit(raw.payload(title), key=key)
    assert reply.status_code == 400
    assert reply.json() == {"error": message, "field": "Idempotency-Key"}
    assert raw.jobs_titled(title) == []


def test_a_refused_body_stores_no_key_so_the_corrected_body_goes_through(raw):
    title = unique("corrected")
    key = uuid.uuid4().hex
    bad = raw.payload(title)
    bad["instance_type"] = "no-such-type"
    refused = raw.submit(bad, key=key)
    assert refused.status_code == 400
    assert "no-such-type" in refused.json()["error"]
    accepted = raw.submit(raw.payload(title), key=key)
    assert accepted.status_code == 201, accepted.text
    assert raw.jobs_titled(title) == [accepted.json()["jobid"]]


def test_requests_without_a_key_are_each_a_job_as_before(raw):
    title = unique("no key")
    first = raw.submit(raw.payload(title))
    second = raw.submit(raw.payload(title))
    assert first.status_code == second.status_code == 201
    assert first.json()["jobid"] != second.json()["jobid"]
    assert len(raw.jobs_titled(title)) == 2


def test_overlapping_requests_with_one_key_make_one_job(raw):
    title = unique("overlap")
    key = uuid.uuid4().hex
    payload = raw.payload(title)
    # 100 tasks: the farm awaits while checking them, so the requests really overlap.
    payload["tasks_data"] = [{"command": "true", "frames": str(i)} for i in range(1, 101)]
    answers = []
    barrier = threading.Barrier(6)

    def post():
        barrier.wait()
        answers.append(raw.submit(payload, key=key))

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert [a.status_code for a in answers] == [201] * 6
    assert len({a.json()["jobid"] for a in answers}) == 1
    assert sum(1 for a in answers if a.headers.get("Idempotent-Replayed") == "true") == 5
    assert len(raw.jobs_titled(title)) == 1


def test_a_key_outlives_a_restart_and_a_crash_of_the_farm(tmp_path):
    farm = FarmProcess(tmp_path / "home" / "farm").start()
    try:
        raw = Raw(farm)
        title = unique("restart")
        key = uuid.uuid4().hex
        first = raw.submit(raw.payload(title), key=key).json()["jobid"]
        farm.stop()
        farm.start()
        raw = Raw(farm)
        assert raw.submit(raw.payload(title), key=key).json()["jobid"] == first
        os.kill(farm.pid, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while control.is_running(FarmPaths(farm.root)) and time.monotonic() < deadline:
            time.sleep(0.02)
        farm.start()
        raw = Raw(farm)
        again = raw.submit(raw.payload(title), key=key)
        assert again.status_code == 201
        assert again.json()["jobid"] == first
        assert again.headers["Idempotent-Replayed"] == "true"
        assert raw.jobs_titled(title) == [first]
        refused = raw.submit(raw.payload(unique("other")), key=key)
        assert refused.status_code == 409
    finally:
        farm.stop()
