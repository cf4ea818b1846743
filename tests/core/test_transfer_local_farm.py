"""Reaching the local farm through ``farmhand farm credentials`` (a process boundary), as the
seed API and hosts do when nothing hands them an in-process starter."""

import os
import sys

import pytest
from client_farm import MAIN_PYTHON, FarmProcess

from farmhand.core.connectors import connect, local_farm
from farmhand.core.errors import FarmConnectionError, InputError
from tests.conftest import require


def test_parse_credentials():
    text = 'CONDUCTOR_URL=http://127.0.0.1:5\nCONDUCTOR_API_KEY=\'{"client_id": "a b"}\'\n'
    assert local_farm.parse_credentials(text) == {
        "CONDUCTOR_URL": "http://127.0.0.1:5",
        "CONDUCTOR_API_KEY": '{"client_id": "a b"}',
    }


def test_configured_command_wins():
    env = {"FARMHAND_FARM_COMMAND": "/opt/farmhand/bin/farmhand --traceback"}
    assert local_farm.farm_command(env) == ["/opt/farmhand/bin/farmhand", "--traceback"]


def test_no_way_to_start_the_farm(monkeypatch):
    monkeypatch.delenv("FARMHAND_FARM_COMMAND", raising=False)
    monkeypatch.setattr(local_farm, "_can_run_farm", lambda: False)
    monkeypatch.setattr(local_farm.shutil, "which", lambda name: None)
    with pytest.raises(InputError) as caught:
        local_farm.farm_command({})
    assert str(caught.value) == (
        "target: cannot start the local farm from this Python {}.{} ({}): it needs Python 3.8+ "
        "with aiohttp; set FARMHAND_FARM_COMMAND to the farmhand command of the workstation, "
        "or CONDUCTOR_URL to a running farm".format(
            sys.version_info[0], sys.version_info[1], sys.executable
        )
    )


def test_explicit_environment_adds_to_the_process_environment(monkeypatch, farmhand_home):
    monkeypatch.setenv("FARMHAND_FARM_COMMAND", "sh -c 'echo CONDUCTOR_URL=$FARMHAND_HOME' sh")
    monkeypatch.setenv("SOMETHING", "from-process")
    with pytest.raises(FarmConnectionError):
        local_farm.ensure_local_farm({})  # prints the URL line only: the farm's home is ours
    monkeypatch.setenv(
        "FARMHAND_FARM_COMMAND",
        "sh -c 'echo CONDUCTOR_URL=$FARMHAND_HOME; echo CONDUCTOR_API_KEY=$EXTRA' sh",
    )
    assert local_farm.ensure_local_farm({"EXTRA": "k"}) == (str(farmhand_home), "k")


def test_command_that_cannot_run():
    env = {"FARMHAND_FARM_COMMAND": "/nonexistent/farmhand"}
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.ensure_local_farm(env)
    assert str(caught.value).startswith(
        "cannot run `/nonexistent/farmhand farm credentials`: [Errno 2] No such file"
    )


def test_command_without_credentials():
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.ensure_local_farm({"FARMHAND_FARM_COMMAND": "echo"})
    assert str(caught.value) == (
        "`echo farm credentials` printed no CONDUCTOR_URL/CONDUCTOR_API_KEY lines"
    )


def test_starts_the_farm_and_submits(farmhand_home, tmp_path):
    require(os.path.exists(MAIN_PYTHON), "the main virtualenv's Python (.venv) to run the farm")
    env = dict(os.environ, FARMHAND_FARM_COMMAND="{} -m farmhand".format(MAIN_PYTHON))
    try:
        with connect("local", environ=env) as client:
            assert client.describe().startswith("local farm at http://127.0.0.1:")
            payload = {
                "project": "default",
                "instance_type": client.catalogue().instance_types[0].name,
                "tasks_data": [{"command": "true", "frames": "1"}],
                "output_path": "",
            }
            job_id = client.submit(payload).job_id
            states = [job.status for job in client.follow(job_id, timeout=5)]
            assert states[-1] == "success"
        with connect("local", environ=env) as again:  # the running farm is found, not restarted
            assert [j.job_id for j in again.jobs()] == [job_id]
    finally:
        FarmProcess(os.path.join(str(farmhand_home), "farm")).stop()
