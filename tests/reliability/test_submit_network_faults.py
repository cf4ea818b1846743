"""Farmhand's client creating a job through a faulty network (issue 8): an answer lost after
the farm created the job, an answer slower than the client's read timeout, a connection cut
mid-body, a farm answering 5xx a few times or for ever. Each ends in exactly one job or in
one error naming the URL, the attempts and the last answer, never in two jobs.

The faults come from ``tests/support/faulty_proxy.py`` in front of a real local farm; the
requests that pass reach the farm, and the farm's job list is the judge.
"""

import base64
import hashlib
import os
import time
import uuid

import pytest
from faulty_proxy import FaultyProxy

from farmhand.core.connectors.conductor import connector as connector_module
from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.connectors.conductor.create_job import create_job
from farmhand.core.connectors.conductor.transport import FarmRejectedError
from farmhand.core.errors import FarmConnectionError

pytestmark = pytest.mark.timeout(120)

PAUSES = (0.2, 0.4, 0.8)


@pytest.fixture
def proxy(client_farm):
    with FaultyProxy(client_farm.url) as faulty:
        yield faulty


@pytest.fixture
def client(proxy, client_farm):
    connector = ConductorConnector(proxy.url, client_farm.key, "local farm (through a proxy)")
    connector.submit_retry_delays = PAUSES
    yield connector
    connector.close()


@pytest.fixture
def judge(client_farm):
    """A client straight to the farm (no proxy), to count the jobs it holds."""
    connector = ConductorConnector(client_farm.url, client_farm.key, "local farm")
    yield connector
    connector.close()


def payload(judge, title, tasks=1):
    return {
        "job_title": title,
        "project": "default",
        "instance_type": judge.catalogue().instance_types[0].name,
        "tasks_data": [{"command": "true", "frames": str(i + 1)} for i in range(tasks)],
        "output_path": "",
    }


def titled(judge, title):
    return sorted(job.job_id for job in judge.jobs() if job.title == title)


def job_posts(proxy):
    return [happened for _, _, _, happened in proxy.requests("/jobs/", "POST")]


def unique(name):
    return "{} {}".format(name, uuid.uuid4().hex[:8])


def test_an_answer_lost_after_the_farm_created_the_job_is_one_job(client, proxy, judge):
    title = unique("answer lost")
    proxy.drop_answer("/jobs/")
    result = client.submit(payload(judge, title))
    assert job_posts(proxy) == ["answer dropped", "forwarded"]
    assert titled(judge, title) == [result.job_id]


def test_an_answer_slower_than_the_read_timeout_is_one_job(client, proxy, judge):
    title = unique("slow answer")
    client.http.timeout = (5.0, 1.0)
    proxy.delay_answer("/jobs/", seconds=3.0, times=2)
    started = time.monotonic()
    result = client.submit(payload(judge, title))
    # Two answers held past the timeout, the third relayed at once.
    assert job_posts(proxy) == ["forwarded"] * 3
    assert time.monotonic() - started >= 2 * 1.0 + PAUSES[0] + PAUSES[1]
    assert titled(judge, title) == [result.job_id]


def test_a_connection_cut_mid_body_is_sent_again_and_is_one_job(client, proxy, judge):
    title = unique("cut body")
    proxy.cut("/jobs/", after_bytes=40, method="POST")
    result = client.submit(payload(judge, title, tasks=50))
    assert job_posts(proxy) == ["cut", "forwarded"]
    assert titled(judge, title) == [result.job_id]


def test_5xx_a_few_times_then_success_waits_longer_each_time(client, proxy, judge):
    title = unique("5xx then fine")
    proxy.fail("/jobs/", status=503, times=2, method="POST")
    started = time.monotonic()
    result = client.submit(payload(judge, title))
    assert job_posts(proxy) == [503, 503, "forwarded"]
    assert time.monotonic() - started >= PAUSES[0] + PAUSES[1]
    assert titled(judge, title) == [result.job_id]


def test_5xx_for_ever_is_one_error_naming_the_url_the_attempts_and_the_last_answer(
    client, proxy, judge, monkeypatch
):
    title = unique("5xx for ever")
    monkeypatch.setattr(connector_module, "new_key", lambda: "key-for-ever")
    proxy.fail("/jobs/", status=500, times=-1, method="POST", body=b"the farm is on fire")
    started = time.monotonic()
    with pytest.raises(FarmConnectionError) as caught:
        client.submit(payload(judge, title))
    assert str(caught.value) == (
        "creating the job at {url} (POST /jobs/, Idempotency-Key key-for-ever) failed 4 times;"
        " giving up. Last failure: the farm at {url} answered POST /jobs/ with HTTP 500 Fault:"
        " the farm is on fire".format(url=proxy.url)
    )
    assert caught.value.status == 500
    assert job_posts(proxy) == [500] * 4
    assert time.monotonic() - started >= sum(PAUSES)
    assert titled(judge, title) == []


def test_a_farm_that_is_gone_is_one_error_naming_the_url_and_the_attempts(client_farm, judge):
    client = ConductorConnector("http://127.0.0.1:9", client_farm.key, "nowhere")
    client.submit_retry_delays = (0.05, 0.05)
    client.http._token = "no exchange needed for this test"
    client.http._token_expires = time.time() + 3600
    with pytest.raises(FarmConnectionError) as caught:
        create_job(client.http, payload(judge, "gone"), key="key-gone", delays=(0.05, 0.05))
    assert str(caught.value) == (
        "creating the job at http://127.0.0.1:9 (POST /jobs/, Idempotency-Key key-gone) failed"
        " 3 times; giving up. Last failure: cannot reach the farm at http://127.0.0.1:9 (POST"
        " /jobs/): connection refused"
    )


def test_a_refusal_is_not_retried(client, proxy, judge):
    title = unique("refused")
    first = create_job(client.http, payload(judge, title), key="refusal-" + title[-8:])
    with pytest.raises(FarmRejectedError) as caught:
        create_job(client.http, payload(judge, title + " changed"), key="refusal-" + title[-8:])
    assert str(caught.value) == (
        "Idempotency-Key: 'refusal-{}' was already used to submit job {} with a different"
        " body; send a new key for a new job".format(title[-8:], first.json()["jobid"])
    )
    assert caught.value.status == 409
    assert job_posts(proxy) == ["forwarded", "forwarded"]


def test_every_attempt_of_one_submit_carries_one_key_and_each_submit_a_new_one(
    client, proxy, judge, monkeypatch
):
    keys = []
    real_request = client.http.request

    def spying(method, path, **kwargs):
        if method == "POST" and path == "/jobs/":
            keys.append(kwargs["headers"]["Idempotency-Key"])
        return real_request(method, path, **kwargs)

    monkeypatch.setattr(client.http, "request", spying)
    proxy.fail("/jobs/", status=502, times=1, method="POST")
    title = unique("keys")
    client.submit(payload(judge, title))
    client.submit(payload(judge, title))
    assert len(keys) == 3
    assert keys[0] == keys[1] != keys[2]
    assert len(titled(judge, title)) == 2  # two submits are two jobs


# -- uploads the farm lost (killed before they reached its store) ------------------------------


def forget_on_submitting(client_farm, md5, times):
    """A progress callback that deletes the farm's stored copy of ``md5`` when the client is
    about to create the job, as a farm killed before the upload landed would have lost it."""
    events = []
    hex_digest = base64.b64decode(md5).hex()
    stored = os.path.join(client_farm.store, hex_digest[:2], hex_digest)

    def progress(event):
        events.append(event)
        if event.phase == "submitting" and len(
            [e for e in events if e.phase == "submitting"]
        ) <= times:
            deadline = time.monotonic() + 10
            while not os.path.exists(stored) and time.monotonic() < deadline:
                time.sleep(0.01)  # still landing
            os.remove(stored)

    return progress, events


def test_files_the_farm_lost_are_sent_again_and_the_job_created_once(
    client, proxy, judge, client_farm, tmp_path
):
    scene = tmp_path / "scene.bin"
    scene.write_bytes(os.urandom(30000))
    md5 = base64.b64encode(hashlib.md5(scene.read_bytes()).digest()).decode("ascii")
    progress, events = forget_on_submitting(client_farm, md5, times=1)
    title = unique("lost upload")
    job = dict(payload(judge, title), upload_paths=[str(scene)])
    result = client.submit(job, progress=progress)
    assert result.uploaded_files == 2  # sent, lost by the farm, sent again
    assert [e.phase for e in events if e.phase in ("submitting", "done")] == [
        "submitting",
        "submitting",
        "done",
    ]
    assert any("no longer holds files it had received" in (e.message or "") for e in events)
    assert titled(judge, title) == [result.job_id]
    assert client_farm.stored(md5)


def test_files_the_farm_keeps_losing_end_in_its_refusal(
    client, proxy, judge, client_farm, tmp_path
):
    scene = tmp_path / "scene.bin"
    scene.write_bytes(os.urandom(30000))
    md5 = base64.b64encode(hashlib.md5(scene.read_bytes()).digest()).decode("ascii")
    progress, _ = forget_on_submitting(client_farm, md5, times=99)
    title = unique("always lost")
    job = dict(payload(judge, title), upload_paths=[str(scene)])
    with pytest.raises(FarmRejectedError) as caught:
        client.submit(job, progress=progress)
    assert str(caught.value) == (
        "upload_files[0].md5: md5 {} of {} is not in the farm's store (1 of 1 files missing);"
        " upload the files (POST /api/v2/files/get_upload_urls) before submitting".format(
            md5, scene
        )
    )
    assert job_posts(proxy) == ["forwarded"] * 3  # the first try and two rounds of sending
    assert titled(judge, title) == []
