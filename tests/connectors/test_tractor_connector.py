"""The tractor farm: payloads spooled as Tractor job scripts to the local farm's Tractor route,
where they really run (scouts first, task dependencies kept, environment set)."""

import pytest

from farmhand.api.tractor.connector import TractorConnector
from farmhand.api.tractor.payload_job import command_argv, tractor_script
from farmhand.core.connectors import connector_class
from farmhand.core.errors import InputError, UnsupportedError

pytestmark = [pytest.mark.slow, pytest.mark.timeout(90)]


@pytest.fixture
def tractor(client_farm, monkeypatch):
    monkeypatch.setenv("FARMHAND_HOME", client_farm.home)
    monkeypatch.setenv("FARMHAND_COMMAND", "false")  # never start a second farm
    monkeypatch.delenv("TRACTOR_ENGINE", raising=False)
    connector = TractorConnector.from_environment()
    yield connector
    connector.close()


def payload(trace, count=5, scout="1,4", **extra):
    tasks = [
        {"command": 'echo "{} $GREETING" >> {}'.format(f, trace), "frames": str(f)}
        for f in range(1, count + 1)
    ]
    data = {
        "job_title": "Tractor test",
        "project": "default",
        "owner": "alice",
        "priority": 5,
        "scout_frames": scout,
        "environment": {"GREETING": "hi there"},
        "tasks_data": tasks,
    }
    data.update(extra)
    return data


def finish(connector, job_id):
    return list(connector.follow(job_id, timeout=5))[-1]


def test_registered_under_its_name():
    assert connector_class("tractor") is TractorConnector


def test_scout_job_runs_scouts_first_with_the_environment(tractor, tmp_path):
    trace = tmp_path / "trace.txt"
    result = tractor.submit(payload(trace))
    job = finish(tractor, result.job_id)
    assert job.succeeded, job
    lines = trace.read_text().splitlines()
    assert sorted(lines[:2]) == ["1 hi there", "4 hi there"]
    assert sorted(lines[2:]) == ["2 hi there", "3 hi there", "5 hi there"]


def test_dependencies_are_kept_and_a_failed_task_is_reported(tractor, tmp_path):
    trace = tmp_path / "trace.txt"
    data = payload(trace, count=3, scout="")
    data["tasks_data"][0]["depends_on"] = [1, 2]
    data["tasks_data"][2]["depends_on"] = [1]
    job = finish(tractor, tractor.submit(data).job_id)
    assert job.succeeded
    assert trace.read_text().splitlines() == ["2 hi there", "3 hi there", "1 hi there"]
    data["tasks_data"][1]["command"] = "exit 4"
    job_id = tractor.submit(data).job_id
    for job in tractor.follow(job_id, timeout=5):
        if job.counts["failed"]:
            break
    status = tractor.status(job_id)
    assert status.counts["failed"] == 1
    assert not status.succeeded
    # the tasks that wait for the failed one never start
    assert status.counts["success"] == 0
    tractor.kill(job_id)


def test_export_writes_the_job_script(tmp_path):
    connector = TractorConnector.from_environment({})
    paths = connector.export(payload(tmp_path / "t"), str(tmp_path / "job"))
    assert paths == [str(tmp_path / "job" / "job.alf")]
    text = (tmp_path / "job" / "job.alf").read_text()
    assert text.startswith("Job -title {Tractor test}")
    assert "-serialsubtasks 1" in text and "Task {Scout frames}" in text


def test_script_with_service_and_argv_commands(tmp_path):
    data = payload(tmp_path / "t", count=1, scout="", environment={})
    data["tasks_data"][0]["command"] = ["render", "-f", "1"]
    text = tractor_script(data, service="PixarRender")
    assert "-service {PixarRender}" in text
    assert "RemoteCmd {{render} {-f} {1}}" in text
    assert command_argv("echo", {"B": "2", "A": "1"}) == [
        "/usr/bin/env",
        "A=1",
        "B=2",
        "/bin/sh",
        "-c",
        "echo",
    ]


def test_a_bad_engine_names_the_variable():
    with pytest.raises(InputError) as caught:
        TractorConnector.from_environment({"TRACTOR_ENGINE": "host:99999"})
    assert str(caught.value) == (
        "TRACTOR_ENGINE: invalid port '99999' in engine 'host:99999'; expected a number from 1"
        " to 65535"
    )


def test_a_real_engines_jobs_are_followed_in_its_dashboard():
    connector = TractorConnector.from_environment({"TRACTOR_ENGINE": "tractor-engine:8080"})
    assert connector.describe() == "Tractor engine at tractor-engine:8080"
    with pytest.raises(UnsupportedError) as caught:
        connector.status("12")
    assert str(caught.value) == (
        "jobs on the Tractor engine at tractor-engine:8080 are followed in Tractor's Dashboard;"
        " Farmhand follows Tractor jobs it spooled to the local farm"
    )
