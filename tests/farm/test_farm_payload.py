"""Payload validation: every malformed field is refused with a message naming it."""

import json

import pytest

from farmhand.core.catalogue import (
    Catalogue,
    InstanceType,
    PackageEnvironmentEntry,
    SoftwarePackage,
)
from farmhand.core.errors import InputError
from farmhand.farm.payload import parse_payload

CATALOGUE = Catalogue(
    projects=("default", "spider"),
    instance_types=(InstanceType("standard-2", 2, 7.5), InstanceType("highmem-2", 2, 13.0)),
    packages=(
        SoftwarePackage(
            "blender-id",
            "blender",
            "3",
            "4",
            "1",
            environment=(PackageEnvironmentEntry("PATH", "/usr/bin", "append"),),
        ),
    ),
)


def good(**fields):
    data = {
        "job_title": "job",
        "project": "default",
        "instance_type": "standard-2",
        "output_path": "/tmp/out",
        "tasks_data": [{"command": "echo 1", "frames": "1"}, {"command": "echo 2", "frames": "2"}],
    }
    data.update(fields)
    return data


def refused(data):
    with pytest.raises(InputError) as caught:
        parse_payload(data, CATALOGUE)
    return caught.value


def test_ciocore_shaped_payload_is_accepted():
    # What conductor_submit.Submit posts, extra keys included.
    data = good(
        autoretry_policy={"preempted": {"max_retries": 2}, "failed": {"max_retries": 1}},
        docker_image="",
        environment={"PATH": "/opt/x"},
        local_upload=True,
        location="",
        preemptible=False,
        metadata={"shot": "010"},
        priority=800,
        scout_frames="1",
        software_package_ids=["blender-id"],
        max_instances=0,
        chunk_size=1,
        owner="me",
        notify={"emails": ["a@b.c"]},
        upload_files=[
            {
                "md5": "1B2M2Y8AsgTpgAmY7PhCfg==",
                "destination": "/p/a",
                "st_size": 0,
                "st_mode": 33188,
            }
        ],
        upload_size=0,
    )
    spec = parse_payload(data, CATALOGUE)
    assert spec.priority == 800
    assert spec.retry.failed == 1 and spec.retry.preempted == 2
    assert spec.env_policies == {"PATH": "append"}
    assert spec.uploads[0].destination == "/p/a"
    assert spec.payload["docker_image"] == ""  # kept with the job
    assert [t.commands[0].shell for t in spec.tasks] == ["echo 1", "echo 2"]


def test_farm_extensions_are_accepted():
    spec = parse_payload(
        good(
            tasks_data=[
                {"command": ["/bin/echo", "a b"]},
                {"commands": ["echo 1", ["/bin/true"]], "depends_on": [0], "title": "second"},
            ],
            release_on_scout_success=True,
        ),
        CATALOGUE,
    )
    assert spec.tasks[0].commands[0].argv == ("/bin/echo", "a b")
    assert spec.tasks[1].depends_on == (0,)
    assert spec.tasks[1].title == "second"
    assert spec.release_on_scout_success


def test_preempted_retries_are_at_least_one():
    spec = parse_payload(good(autoretry_policy={"preempted": {"max_retries": 0}}), CATALOGUE)
    assert spec.retry.preempted == 1


BAD = [
    ([], "payload", "payload: the payload must be a JSON object, got list"),
    (
        {"project": "default", "instance_type": "standard-2"},
        "tasks_data",
        "tasks_data: is required",
    ),
    (
        good(tasks_data=[]),
        "tasks_data",
        "tasks_data: expected a non-empty list of tasks, got [] (a job without tasks is an"
        " upload-only job, and this one names no upload_files)",
    ),
    (
        good(tasks_data="echo"),
        "tasks_data",
        "tasks_data: expected a non-empty list of tasks, got 'echo'",
    ),
    (
        good(tasks_data=[{"frames": "1"}]),
        "tasks_data[0].command",
        "tasks_data[0].command: has no 'command'",
    ),
    (
        good(tasks_data=[{"command": 42}]),
        "tasks_data[0].command",
        "tasks_data[0].command: expected a non-empty string or a list of strings, got int 42",
    ),
    (
        good(tasks_data=[{"command": "  "}]),
        "tasks_data[0].command",
        "tasks_data[0].command: is empty",
    ),
    (
        good(tasks_data=[{"command": "a\x00b"}]),
        "tasks_data[0].command",
        "tasks_data[0].command: contains a NUL character",
    ),
    (
        good(tasks_data=[{"command": ["", "x"]}]),
        "tasks_data[0].command",
        "tasks_data[0].command: argv[0] (the program) is empty",
    ),
    (
        good(tasks_data=[{"command": "x" * (128 * 1024 + 1)}]),
        "tasks_data[0].command",
        "tasks_data[0].command: is 131073 bytes; the limit is 131072",
    ),
    (
        good(tasks_data=["echo"]),
        "tasks_data[0]",
        "tasks_data[0]: expected an object with a 'command', got str 'echo'",
    ),
    (
        good(tasks_data=[{"command": "x", "commands": ["y"]}]),
        "tasks_data[0]",
        "tasks_data[0]: give either 'command' or 'commands', not both",
    ),
    (
        good(tasks_data=[{"commands": []}]),
        "tasks_data[0].commands",
        "tasks_data[0].commands: expected a non-empty list of commands, got []",
    ),
    (
        good(tasks_data=[{"commands": ["ok", 3]}]),
        "tasks_data[0].commands[1]",
        "tasks_data[0].commands[1]: expected a non-empty string or a list of strings, got int 3",
    ),
    (
        good(tasks_data=[{"command": "x", "frames": "1-x"}]),
        "tasks_data[0].frames",
        "tasks_data[0].frames: invalid frame spec '1-x'",
    ),
    (
        good(tasks_data=[{"command": "x", "frames": [1]}]),
        "tasks_data[0].frames",
        "tasks_data[0].frames: expected a frame spec string, got list [1]",
    ),
    (
        good(tasks_data=[{"command": "x", "depends_on": [0]}]),
        "tasks_data[0].depends_on",
        "tasks_data[0].depends_on: a task cannot depend on itself",
    ),
    (
        good(tasks_data=[{"command": "x", "depends_on": [5]}]),
        "tasks_data[0].depends_on",
        "tasks_data[0].depends_on: task index 5 is out of range (the job has tasks 0 to 0)",
    ),
    (
        good(tasks_data=[{"command": "x", "depends_on": "0"}]),
        "tasks_data[0].depends_on",
        "tasks_data[0].depends_on: expected a list of task indices, got '0'",
    ),
    (
        good(tasks_data=[{"command": "a", "depends_on": [1]}, {"command": "b", "depends_on": [0]}]),
        "tasks_data[0].depends_on",
        "tasks_data[0].depends_on: the dependencies form a cycle through task 0",
    ),
    (
        good(instance_type="huge-64"),
        "instance_type",
        "instance_type: unknown instance type 'huge-64'; this farm offers: standard-2, highmem-2",
    ),
    (good(instance_type=None), "instance_type", "instance_type: unknown instance type ''"),
    (
        good(project="nope"),
        "project",
        "project: unknown project 'nope'; this farm has: default, spider (add projects in the"
        " farm's config.json)",
    ),
    (good(project=3), "project", "project: expected a string, got int 3"),
    (
        good(software_package_ids=["zzz"]),
        "software_package_ids[0]",
        "software_package_ids[0]: unknown software package id 'zzz'; this farm has: blender-id"
        " (blender 3.4.1 linux)",
    ),
    (
        good(software_package_ids="blender-id"),
        "software_package_ids",
        "software_package_ids: expected a list of package ids, got 'blender-id'",
    ),
    (
        good(environment=["A=1"]),
        "environment",
        "environment: expected an object of strings, got list ['A=1']",
    ),
    (good(environment={"A": 1}), "environment.A", "environment.A: expected a string, got int 1"),
    (
        good(environment={"1A": "x"}),
        "environment",
        "environment: '1A' is not a valid variable name (letters, digits and _, not starting with a"
        " digit)",
    ),
    (
        good(output_path="relative/out"),
        "output_path",
        "output_path: 'relative/out' is not an absolute path",
    ),
    (good(output_path=["/a"]), "output_path", "output_path: expected a string, got list ['/a']"),
    (good(scout_frames="1-"), "scout_frames", "scout_frames: invalid frame spec '1-'"),
    (
        good(scout_frames={"a": 1}),
        "scout_frames",
        "scout_frames: expected a frame spec string, got {'a': 1}",
    ),
    (good(chunk_size=0), "chunk_size", "chunk_size: must be >= 1, got 0"),
    (good(priority="high"), "priority", "priority: expected an integer, got str 'high'"),
    (good(priority=True), "priority", "priority: expected an integer, got bool True"),
    (
        good(local_upload="yes"),
        "local_upload",
        "local_upload: expected true or false, got str 'yes'",
    ),
    (
        good(autoretry_policy={"failure": {"max_retries": 1}}),
        "autoretry_policy.failure",
        "autoretry_policy.failure: unknown kind 'failure'; valid kinds: failed, preempted",
    ),
    (
        good(autoretry_policy={"failed": 2}),
        "autoretry_policy.failed",
        "autoretry_policy.failed: expected {'max_retries': n}, got 2",
    ),
    (
        good(autoretry_policy={"failed": {"max_retries": -1}}),
        "autoretry_policy.failed.max_retries",
        "autoretry_policy.failed.max_retries: expected an integer from 0 to 100, got -1",
    ),
    (
        good(autoretry_policy="always"),
        "autoretry_policy",
        "autoretry_policy: expected {'failed': {'max_retries': n}, 'preempted': {...}},"
        " got 'always'",
    ),
    (
        good(upload_files={"/a": "md5"}),
        "upload_files",
        "upload_files: expected a list of {md5, destination} objects, got dict",
    ),
    (
        good(upload_files=[{"md5": "nope", "destination": "/a"}]),
        "upload_files[0].md5",
        "upload_files[0].md5: 'nope' is not an md5 (base64 of 16 bytes) for /a",
    ),
    (
        good(upload_files=[{"md5": None, "destination": "/a"}]),
        "upload_files[0].md5",
        "upload_files[0].md5: None is not an md5 (base64 of 16 bytes) for /a",
    ),
    (
        good(upload_files=[{"md5": "1B2M2Y8AsgTpgAmY7PhCfg=="}]),
        "upload_files[0].destination",
        "upload_files[0].destination: expected a file path, got None",
    ),
    (good(metadata={"shot": 10}), "metadata.shot", "metadata.shot: expected a string, got int 10"),
    (
        good(notify="a@b.c"),
        "notify",
        "notify: expected {'emails': [...]} or a list of addresses, got 'a@b.c'",
    ),
    (
        good(job_title="t" * 1025),
        "job_title",
        "job_title: is 1025 characters long; the limit is 1024",
    ),
]


@pytest.mark.parametrize(
    "data, field, message", BAD, ids=[b[1] + str(i) for i, b in enumerate(BAD)]
)
def test_bad_payload_names_the_field(data, field, message):
    error = refused(data)
    assert error.field == field
    assert str(error).startswith(message), str(error)


def test_too_many_tasks():
    data = good(tasks_data=[{"command": "x"}] * 100_001)
    error = refused(data)
    assert str(error) == "tasks_data: has 100001 tasks; the limit is 100000"


def test_bad_payload_over_http_is_400_and_nothing_is_stored(farm):
    reply = farm.post("/jobs/", farm.payload([{"command": 42}]))
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "expected a non-empty string or a list of strings, got int 42",
        "field": "tasks_data[0].command",
    }
    reply = farm.session.post(farm.url + "/jobs/", data=b"{not json", timeout=30)
    assert reply.status_code == 400
    assert reply.json()["field"] == "body"
    assert reply.json()["error"].startswith("the request body is not valid JSON (")
    reply = farm.session.post(farm.url + "/jobs/", data=b"", timeout=30)
    assert reply.json() == {"error": "the request body is empty; expected JSON", "field": "body"}
    assert farm.get("/api/v1/jobs").json()["data"] == []


def test_oversized_body_is_400(farm):
    body = json.dumps(farm.payload(["true"], metadata={"pad": "x" * (64 * 1024 * 1024)}))
    reply = farm.session.post(farm.url + "/jobs/", data=body, timeout=60)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "the request body is {} bytes; the limit is 67108864".format(len(body)),
        "field": "body",
    }
    assert farm.get("/api/v1/jobs").json()["data"] == []


def test_oversized_chunked_body_is_400(farm):
    def chunks():
        yield b'{"pad": "'
        for _ in range(65):
            yield b"x" * (1024 * 1024)
        yield b'"}'

    reply = farm.session.post(farm.url + "/jobs/", data=chunks(), timeout=60)
    assert reply.status_code == 400
    assert reply.json() == {
        "error": "the request body is over 67108864 bytes (the limit)",
        "field": "body",
    }
