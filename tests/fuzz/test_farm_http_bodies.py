"""Generated request bodies posted to a real local farm: every answer is a success or a 4xx
whose JSON names what was wrong, never a 500 (nor a dropped connection).

The farm runs in its own process (``client_farm``), as clients reach it. Bodies are arbitrary
bytes, arbitrary JSON, deeply nested JSON and payload-shaped objects with arbitrary values.
Commands in generated jobs are only ever ``true`` (or not commands at all), because an
accepted job really runs. ``FARMHAND_HYPOTHESIS_EXAMPLES`` raises the example counts.
"""

import json
import os

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from farmhand.farm import control

EXAMPLES = int(os.environ.get("FARMHAND_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    # client_farm is one farm per module; the autouse FARMHAND_HOME fixture does not matter
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (method, path, how the body is sent): every route that reads a body
JSON_ROUTES = [
    ("POST", "/jobs/"),
    ("POST", "/api/v1/jobs"),
    ("PUT", "/jobs_multi"),
    ("PUT", "/tasks_multi"),
    ("POST", "/api/v1/jobs/00001/kill"),
    ("POST", "/api/v1/jobs/00001/tasks/000/retry"),
    ("POST", "/api/v2/files/get_upload_urls"),
    ("POST", "/api/v2/files/multipart/complete"),
    ("PUT", "/uploads/client/next"),
    ("POST", "/uploads/1/update"),
    ("POST", "/uploads/1/finish"),
    ("POST", "/uploads/1/fail"),
    ("POST", "/jobs/00001/downloads"),
    ("POST", "/downloads/status"),
    ("POST", "/Tractor/spool"),
]

# routes that do not read their body as JSON (a failure text, a status poke, an action)
IGNORE_BODIES = [
    ("POST", "/api/v1/jobs/00001/kill"),
    ("POST", "/api/v1/jobs/00001/tasks/000/retry"),
    ("POST", "/uploads/1/fail"),
    ("POST", "/downloads/status"),
    ("POST", "/Tractor/spool"),
]

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()  # NaN and Infinity: Python's json writes and reads them
    | st.text(max_size=20)
    | st.sampled_from(["", "1-10", "00001", "000", "kill", "retry", "default", "1B2M2Y8AsgTpg"])
)
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
# never a command that could do anything: `true`, or something that is not a command
commands = st.sampled_from(["true", ["true"], ["true", "x y"]]) | st.integers() | st.none()
tasks = st.fixed_dictionaries(
    {},
    optional={
        "command": commands,
        "commands": st.lists(commands, max_size=3) | st.integers(),
        "frames": st.sampled_from(["1", "1-3", "", "x", "1-999999999999y3"]) | json_values,
        "depends_on": st.lists(st.integers(-2, 4), max_size=3) | json_values,
        "title": json_values,
    },
)
OPTIONAL_KEYS = (
            "job_title",
            "output_path",
            "scout_frames",
            "environment",
            "metadata",
            "autoretry_policy",
            "upload_files",
            "software_package_ids",
            "priority",
            "chunk_size",
            "local_upload",
            "notify",
            "budgets",
            "upload_only",
            "action",
            "jobids",
            "taskids",
            "tids",
            "uploadID",
            "completedParts",
            "transfer_size",
            "bytes_transfered",
        )
payloads = st.fixed_dictionaries(
    {
        "tasks_data": st.lists(tasks, max_size=4) | json_values,
        "project": st.just("default") | json_values,
        "instance_type": st.just("<the farm's>") | json_values,
    },
    optional=dict.fromkeys(OPTIONAL_KEYS, json_values),
)


def valid_payload(farm):
    return {
        "job_title": "fuzz",
        "project": "default",
        "instance_type": farm.instance_type,
        "output_path": "",
        "scout_frames": "1",
        "tasks_data": [
            {"command": "true", "frames": "1"},
            {"command": ["true"], "frames": "2", "depends_on": [0]},
        ],
    }


PAYLOAD_KEYS = OPTIONAL_KEYS + ("tasks_data", "project", "instance_type")


@pytest.fixture(scope="module")
def farm(client_farm):
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + control.get_token(
        client_farm.url, client_farm.key
    )
    reply = session.get(client_farm.url + "/api/v1/instance-types", timeout=30)
    reply.raise_for_status()
    session.instance_type = reply.json()["data"][0]["name"]
    session.url = client_farm.url
    reply = session.post(session.url + "/jobs/", data=json.dumps(valid_payload(session)))
    assert reply.status_code == 201, reply.text  # job 00001, for the routes that name it
    yield session
    session.close()


def answered_properly(farm, method, path, body, generated=True):
    reply = farm.request(method, farm.url + path, data=body, timeout=60)
    where = "{} {} with {!r}".format(method, path, (body or b"")[:200])
    if generated:  # --hypothesis-show-statistics shows how often each answer came
        event("{} {}: {}".format(method, path, reply.status_code))
    # 507: an upload bigger than the farm's free disk is refused as such (tests/farm)
    disk_full = reply.status_code == 507 and path == "/api/v2/files/get_upload_urls"
    assert reply.status_code < 500 or disk_full, "{} answered {}: {}".format(
        where, reply.status_code, reply.text
    )
    if reply.status_code >= 400:
        answer = reply.json()
        message = answer.get("error") or answer.get("msg")
        assert isinstance(message, str) and message.strip(), "{}: {}".format(where, reply.text)
    return reply


@SETTINGS
@given(route=st.sampled_from(JSON_ROUTES), body=st.binary(max_size=300))
def test_any_bytes_are_a_4xx_with_a_message(farm, route, body):
    answered_properly(farm, route[0], route[1], body)


@SETTINGS
@given(route=st.sampled_from(JSON_ROUTES), value=json_values)
def test_any_json_is_a_4xx_with_a_message(farm, route, value):
    answered_properly(farm, route[0], route[1], json.dumps(value).encode())


@SETTINGS
@given(route=st.sampled_from(JSON_ROUTES), payload=payloads)
def test_payload_shaped_objects_are_accepted_or_a_4xx_naming_the_field(farm, route, payload):
    if payload.get("instance_type") == "<the farm's>":
        payload["instance_type"] = farm.instance_type
    reply = answered_properly(farm, route[0], route[1], json.dumps(payload).encode())
    if route[1] in ("/jobs/", "/api/v1/jobs") and reply.status_code == 400:
        assert "field" in reply.json(), reply.text


@pytest.mark.parametrize("route", JSON_ROUTES, ids=lambda route: route[0] + " " + route[1])
@pytest.mark.parametrize("depth", [900, 5000, 100000])
def test_deeply_nested_json_is_a_400_naming_the_body(farm, route, depth):
    body = ("[" * depth + "]" * depth).encode()
    reply = answered_properly(farm, route[0], route[1], body, generated=False)
    if route not in IGNORE_BODIES:
        assert reply.status_code == 400, reply.text


@SETTINGS
@given(
    changes=st.dictionaries(st.sampled_from(PAYLOAD_KEYS), json_values, min_size=1, max_size=2),
    extra_task=tasks,
)
def test_a_valid_payload_with_fields_changed_is_accepted_or_names_a_field(
    farm, changes, extra_task
):
    payload = valid_payload(farm)
    payload.update(changes)
    if isinstance(payload.get("tasks_data"), list) and "tasks_data" not in changes:
        payload["tasks_data"].append(extra_task)
    reply = answered_properly(farm, "POST", "/jobs/", json.dumps(payload).encode())
    assert reply.status_code in (201, 400), reply.text
    if reply.status_code == 400:
        field = reply.json()["field"]
        assert isinstance(field, str) and field, reply.text


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "field"),
    [
        # The findings of tests/fuzz/test_findings.py, end to end: each was a 500.
        ("POST", "/jobs/", {"priority": 2**70}, 400, "priority"),
        ("POST", "/jobs/", {"job_title": "\ud800"}, 400, "job_title"),
        ("POST", "/jobs/", {"location": "\udc80"}, 400, "location"),
        ("POST", "/jobs/", {"output_path": "/tmp/a\u0000"}, 400, "output_path"),
        ("PUT", "/jobs_multi", {"action": "kill", "jobids": [2**70]}, 404, None),
        ("PUT", "/jobs_multi", {"action": ["kill"], "jobids": [1]}, 400, "action"),
        ("PUT", "/tasks_multi", {"action": "kill", "jobid": 2**70, "taskids": [0]}, 404, None),
        ("GET", "/api/v1/jobs/" + "9" * 30, None, 404, None),
        ("GET", "/api/v1/jobs?filter=jid_gt_" + "9" * 30, None, 200, None),
        ("PUT", "/uploads/client/next", "[" * 5000, 400, "body"),
    ],
)
def test_what_fuzzing_found_is_answered_with_a_4xx(farm, method, path, body, status, field):
    if isinstance(body, dict) and path == "/jobs/":
        body = dict(valid_payload(farm), **body)
    data = body.encode() if isinstance(body, str) else None if body is None else json.dumps(body)
    reply = answered_properly(farm, method, path, data, generated=False)
    assert reply.status_code == status, reply.text
    if status >= 400:
        assert reply.json()["field"] == field, reply.text
