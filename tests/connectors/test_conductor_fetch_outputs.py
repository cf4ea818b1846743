"""Connector.fetch_outputs on the Conductor protocol: a real local farm reached only by URL and
API key (as any Conductor-compatible service) lists a finished job's outputs with signed URLs
and md5s; they are copied under a folder by their path in the job's output folder, checked,
skipped when already there, never kept when the bytes differ from the listing."""

import base64
import hashlib
import os

import pytest

from farmhand.core.connectors.conductor import downloads
from farmhand.core.connectors.conductor.connector import ConductorConnector
from farmhand.core.errors import FarmConnectionError, InputError

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def service(client_farm):
    connector = ConductorConnector(client_farm.url, client_farm.key)
    yield connector
    connector.close()


def md5_of(path):
    with open(path, "rb") as handle:
        return base64.b64encode(hashlib.md5(handle.read()).digest()).decode("ascii")


def rendered_job(service, out):
    tasks = [
        {"command": "mkdir -p {0}/beauty && printf 'frame {1}' > {0}/beauty/f.{1}.exr".format(
            out, n), "frames": str(n)}
        for n in (1, 2, 3)
    ]
    result = service.submit({
        "job_title": "fetch outputs",
        "project": "default",
        "instance_type": service.catalogue().instance_types[0].name,
        "output_path": str(out),
        "tasks_data": tasks,
    })
    for job in service.follow(result.job_id, timeout=2):
        if job.is_final:
            break
    assert service.status(result.job_id).succeeded
    return result.job_id


def test_outputs_are_fetched_checked_and_not_fetched_twice(service, tmp_path):
    out = tmp_path / "farm_out"
    job_id = rendered_job(service, out)
    fetched = service.fetch_outputs(job_id, str(tmp_path / "home"))
    assert sorted(os.path.relpath(p, str(tmp_path / "home")) for p in fetched) == [
        "beauty/f.1.exr", "beauty/f.2.exr", "beauty/f.3.exr"]
    for path in fetched:
        name = os.path.basename(path)
        assert md5_of(path) == md5_of(str(out / "beauty" / name))
        with open(path) as handle:
            assert handle.read() == "frame " + name.split(".")[1]
    # a second call finds them in place (same md5) and downloads nothing
    stamps = [os.stat(p).st_mtime_ns for p in fetched]
    os.utime(fetched[0], ns=(1, 1))
    again = service.fetch_outputs(job_id, str(tmp_path / "home"))
    assert again == fetched
    assert os.stat(fetched[0]).st_mtime_ns == 1 and [os.stat(p).st_mtime_ns for p in
                                                      fetched[1:]] == stamps[1:]
    # a file changed locally is fetched again
    (tmp_path / "home" / "beauty" / "f.2.exr").write_text("edited")
    service.fetch_outputs(job_id, str(tmp_path / "home"))
    assert (tmp_path / "home" / "beauty" / "f.2.exr").read_text() == "frame 2"


def test_bytes_that_differ_from_the_listed_md5_are_not_kept(service, tmp_path):
    out = tmp_path / "farm_out"
    job_id = rendered_job(service, out)
    (out / "beauty" / "f.3.exr").write_text("changed on the farm after the job")
    home = tmp_path / "home"
    with pytest.raises(FarmConnectionError) as caught:
        service.fetch_outputs(job_id, str(home))
    message = str(caught.value)
    assert message == "output beauty/f.3.exr of job {} arrived with md5 {}, the farm listed" \
        " {}; it was not kept".format(job_id, md5_of(str(out / "beauty" / "f.3.exr")),
                                      base64.b64encode(hashlib.md5(b"frame 3").digest()).decode())
    assert not (home / "beauty" / "f.3.exr").exists()
    assert [n for n in os.listdir(str(home / "beauty")) if n.startswith(".farmhand-")] == []


def test_a_bad_destination_or_job_is_named(service, tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(InputError) as caught:
        service.fetch_outputs("1", str(tmp_path / "file"))
    assert str(caught.value) == "destination: {} is not a folder".format(tmp_path / "file")
    with pytest.raises(InputError) as caught:
        service.fetch_outputs("1", "  ")
    assert str(caught.value) == "destination: expected a folder to fetch the outputs to, got '  '"
    with pytest.raises(InputError) as caught:
        service.fetch_outputs("job7", str(tmp_path))
    assert caught.value.field == "job"


@pytest.mark.parametrize("relative", ["../escape.exr", "/etc/passwd", "", "a/../../b", None])
def test_a_listed_path_outside_the_destination_is_refused(relative, tmp_path):
    with pytest.raises(FarmConnectionError) as caught:
        downloads.target_path(str(tmp_path), relative, "00042")
    assert str(caught.value) == (
        "the farm listed an output of job 00042 at {!r}, which is not a path inside the job's"
        " output folder; nothing was written for it".format(relative))
    assert downloads.target_path(str(tmp_path), "a\\b.exr", "1") == str(tmp_path / "a" / "b.exr")
