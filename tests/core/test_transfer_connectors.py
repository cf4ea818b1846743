"""Connector plumbing that needs no farm: API keys, targets, the registry, job requests,
record mapping. (The network side is tested against the real local farm in tests/farm.)"""

import base64
import json

import pytest

from farmhand.core.connectors import (
    Connector,
    JobInfo,
    job_request,
)
from farmhand.core.connectors.conductor.connector import _job_id, _task_id
from farmhand.core.connectors.conductor.credentials import (
    api_key_from_environment,
    parse_api_key,
)
from farmhand.core.connectors.conductor.records import job_from_record, task_from_record
from farmhand.core.errors import InputError

KEY = {"client_id": "cid-1", "private_key": "secret-1"}
KEY_JSON = json.dumps(KEY)


# -- API keys -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [KEY, KEY_JSON, KEY_JSON.encode(), base64.b64encode(KEY_JSON.encode()).decode()],
)
def test_parse_api_key_forms(value):
    key = parse_api_key(value, "CONDUCTOR_API_KEY")
    assert (key.client_id, key.private_key, key.source) == (
        "cid-1",
        "secret-1",
        "CONDUCTOR_API_KEY",
    )


def test_api_key_repr_hides_the_secret():
    key = parse_api_key(KEY, "somewhere")
    assert "secret-1" not in repr(key)
    assert "cid-1" in repr(key)


@pytest.mark.parametrize(
    "value, message",
    [
        ("not json at all!", "api_key: the API key from X is neither JSON nor base64-encoded JSON"),
        (
            "[1, 2]",
            "api_key: the API key from X must be a JSON object with client_id and private_key",
        ),
        ('{"client_id": "a"}', "api_key: the API key from X lacks private_key"),
        ("{}", "api_key: the API key from X lacks client_id and private_key"),
        ('{"client_id": 5, "private_key": "p"}', "api_key: the API key from X lacks client_id"),
    ],
)
def test_parse_api_key_errors(value, message):
    with pytest.raises(InputError) as caught:
        parse_api_key(value, "X")
    assert str(caught.value) == message


def test_api_key_from_environment(tmp_path):
    assert api_key_from_environment({}) is None
    assert api_key_from_environment({"CONDUCTOR_API_KEY": KEY_JSON}).client_id == "cid-1"
    path = tmp_path / "key.json"
    path.write_text(KEY_JSON)
    key = api_key_from_environment({"CONDUCTOR_API_KEY_PATH": str(path)})
    assert (key.client_id, key.source) == ("cid-1", str(path))


def test_api_key_path_unreadable(tmp_path):
    missing = str(tmp_path / "nope.json")
    with pytest.raises(InputError) as caught:
        api_key_from_environment({"CONDUCTOR_API_KEY_PATH": missing})
    assert str(caught.value) == (
        "api_key: cannot read the API key file {!r} named by CONDUCTOR_API_KEY_PATH: "
        "No such file or directory".format(missing)
    )


# (the registry and choosing a farm: tests/connectors/test_contract.py)


# -- job requests ---------------------------------------------------------------------------


def test_job_request_from_payload_dict(tmp_path):
    (tmp_path / "tex").mkdir()
    (tmp_path / "tex" / "a.png").write_bytes(b"a")
    (tmp_path / "scene.blend").write_bytes(b"scene")
    payload = {
        "project": "shots",
        "upload_paths": [str(tmp_path / "scene.blend"), str(tmp_path / "tex")],
        "tasks_data": [{"command": "echo 1", "frames": "1"}],
    }
    request = job_request(payload, extra={"release_on_scout_success": True})
    assert [f.path for f in request.files] == [
        str(tmp_path / "scene.blend"),
        str(tmp_path / "tex" / "a.png"),
    ]
    assert request.project == "shots"
    assert request.upload_size == 6
    assert request.payload["release_on_scout_success"] is True
    assert "release_on_scout_success" not in payload  # the caller's dict is left alone


def test_job_request_from_submission_uses_its_resolved_upload_list(tmp_path):
    (tmp_path / "f1.exr").write_bytes(b"1")
    (tmp_path / "f2.exr").write_bytes(b"22")

    class Upload(object):
        def __init__(self, path):
            self.path = path

    class FakeSubmission(object):
        uploads = [Upload(str(tmp_path / "f1.exr")), {"path": str(tmp_path / "f2.exr")}]

        def to_payload(self):
            return {"project": "default", "upload_paths": [str(tmp_path / "f#.exr")]}

    request = job_request(FakeSubmission())
    assert [f.size for f in request.files] == [1, 2]


def test_job_request_rejects_upload_paths_string():
    with pytest.raises(InputError) as caught:
        job_request({"upload_paths": "/one/path"})
    assert str(caught.value) == "upload_paths: expected a list of paths, got str"


def test_job_request_rejects_other_objects():
    with pytest.raises(TypeError, match="expected a Submission or a payload dict"):
        job_request(42)


# -- records and ids ------------------------------------------------------------------------


def test_job_and_task_records():
    task = task_from_record(
        {
            "jid": "00007",
            "tid": "003",
            "status": "success",
            "frames": "4",
            "command": ["blender", "-b"],
            "attempts": [{"attempt": 1}, {"attempt": 2}],
            "duration": 1.5,
            "exit_code": 0,
            "log": "/logs/00007/003.2.log",
            "outputs": [{"path": "/out/f4.png", "size": 3}],
        }
    )
    assert (task.task_id, task.status, task.command, task.attempts) == (
        "003",
        "success",
        "blender -b",
        2,
    )
    assert task.outputs == ["/out/f4.png"] and task.is_final
    job = job_from_record(
        {
            "jid": "00007",
            "job_title": "t",
            "status": "holding",
            "revision": 3,
            "task_count": 3,
            "tasks": {"held": 1, "success": 2},
        },
        [task],
    )
    assert isinstance(job, JobInfo)
    assert job.counts["held"] == 1 and job.counts["success"] == 2 and job.counts["failed"] == 0
    assert not job.is_final and not job.succeeded
    done = job_from_record({"jid": "8", "task_count": 2, "tasks": {"success": 2}})
    assert done.is_final and done.succeeded
    assert task_from_record({"status": "holding"}).status == "held"


def test_job_and_task_ids_are_padded_and_checked():
    assert _job_id(7) == "00007" and _job_id("00012") == "00012"
    assert _task_id("3") == "003"
    with pytest.raises(InputError) as caught:
        _job_id("abc")
    assert str(caught.value) == "job: job id 'abc' is not a number (job ids look like 00042 or 42)"
    with pytest.raises(InputError) as caught:
        _task_id("x1")
    assert str(caught.value) == "task: task id 'x1' is not a number (task ids look like 003 or 3)"


# -- following a job on an engine without long polling ------------------------------------


class ScriptedEngine(Connector):
    """A connector whose ``status`` answers from a list (the last answer repeats)."""

    name = "scripted"

    def __init__(self, answers):
        self.answers = list(answers)
        self.asked = 0

    def status(self, job_id):
        self.asked += 1
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]

    def describe(self):
        return "scripted engine"

    def catalogue(self):
        raise NotImplementedError

    def submit(self, submission, progress=None, cancel=None, extra=None):
        raise NotImplementedError

    def jobs(self):
        return []

    def logs(self, job_id, task_id):
        return ""

    def kill(self, job_id):
        pass

    def retry(self, job_id, task_id=None):
        pass

    def release(self, job_id):
        pass


def running(revision, done=0):
    return JobInfo("00001", "j", "running", {"running": 2 - done, "success": done}, 2,
                   revision=revision)


def test_follow_polls_an_engine_that_cannot_wait_and_yields_each_change(monkeypatch):
    import farmhand.core.connectors.base as base

    sleeps = []
    monkeypatch.setattr(base.time, "sleep", sleeps.append)
    engine = ScriptedEngine([running(1), running(1), running(2, done=1), running(3, done=2)])
    seen = [(job.revision, job.is_final) for job in engine.follow("1")]
    assert seen == [(1, False), (2, False), (3, True)]
    assert engine.asked == 4 and sleeps == [1.0]  # waited only after the unchanged answer


def test_follow_stops_when_cancelled(monkeypatch):
    import threading

    import farmhand.core.connectors.base as base

    monkeypatch.setattr(base.time, "sleep", lambda seconds: None)
    cancel = threading.Event()
    engine = ScriptedEngine([running(1)])
    seen = []
    for job in engine.follow("1", cancel=cancel):
        seen.append(job.revision)
        cancel.set()
    assert seen == [1]
