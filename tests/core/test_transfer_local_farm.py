"""Reaching the local farm from its state files (``core.connectors.local_farm``), as the CLI,
the submitter, the seed APIs and ``Job.spool()`` do, and starting it only when none answers.

Runs on the host Pythons too (3.7, 3.13): the farm itself runs on the main virtualenv's
Python, started here through ``FARMHAND_COMMAND`` as a host without aiohttp would start it.
"""

import json
import os
import socket
import stat
import subprocess
import sys

import pytest
from client_farm import MAIN_PYTHON, FarmProcess

from farmhand.core.connectors import connect, local_farm
from farmhand.core.errors import FarmAuthError, FarmConnectionError, InputError
from tests.conftest import require


@pytest.fixture
def folder(farmhand_home):
    path = farmhand_home / "farm"
    path.mkdir(mode=0o700)
    return path


def write_state(folder, port, pid):
    (folder / "farm.port").write_text(str(port))
    (folder / "farm.pid").write_text(str(pid))


def dead_pid():
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


# -- the state files ----------------------------------------------------------------------


def test_the_farm_folder_follows_farmhand_home(farmhand_home, tmp_path):
    assert local_farm.farm_folder() == str(farmhand_home / "farm")
    other = tmp_path / "elsewhere"
    assert local_farm.farm_folder({"FARMHAND_HOME": str(other)}) == str(other / "farm")


def test_no_state_files_means_no_farm(folder):
    assert local_farm.running_url(str(folder)) is None


def test_a_live_pid_and_a_port_give_the_url(folder):
    write_state(folder, 4321, os.getpid())
    assert local_farm.running_url(str(folder)) == "http://127.0.0.1:4321"


@pytest.mark.parametrize("port, pid", [("4321", "dead"), ("", "self"), ("x", "self")])
def test_files_a_killed_or_half_started_farm_left_mean_no_farm(folder, port, pid):
    write_state(folder, port, dead_pid() if pid == "dead" else os.getpid())
    assert local_farm.running_url(str(folder)) is None


def test_an_unreadable_key_file_is_named(folder):
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.read_api_key(str(folder))
    assert str(caught.value) == (
        "cannot read the local farm's API key {} (No such file or directory); only the farm's"
        " owner can use the farm".format(folder / "api_key.json")
    )


def test_a_malformed_key_file_is_named(folder):
    (folder / "api_key.json").write_text('{"client_id": "farmhand-1"}')
    with pytest.raises(InputError) as caught:
        local_farm.read_api_key(str(folder))
    assert str(caught.value) == "api_key: the API key from {} lacks private_key".format(
        folder / "api_key.json"
    )


# -- how the farm is started --------------------------------------------------------------


def test_farmhand_command_says_which_program_starts_the_farm():
    env = {"FARMHAND_COMMAND": "/opt/farmhand/bin/farmhand --traceback"}
    assert local_farm.start_command(env) == [
        "/opt/farmhand/bin/farmhand",
        "--traceback",
        "farm",
        "start",
    ]


def test_a_python_that_can_run_the_farm_starts_it_itself(monkeypatch, tmp_path):
    monkeypatch.delenv("FARMHAND_COMMAND", raising=False)
    monkeypatch.setattr(local_farm, "_can_run_farm", lambda: True)
    assert local_farm.start_command({"PATH": str(tmp_path)}) == [
        sys.executable,
        "-m",
        "farmhand",
        "farm",
        "start",
    ]


def test_a_host_python_without_the_farm_uses_farmhand_on_path(monkeypatch, tmp_path):
    monkeypatch.delenv("FARMHAND_COMMAND", raising=False)
    monkeypatch.setattr(local_farm, "_can_run_farm", lambda: False)
    program = tmp_path / "farmhand"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    assert local_farm.start_command({"PATH": str(tmp_path)}) == [str(program), "farm", "start"]


def test_no_way_to_start_the_farm_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.delenv("FARMHAND_COMMAND", raising=False)
    monkeypatch.setattr(local_farm, "_can_run_farm", lambda: False)
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.start_command({"PATH": str(tmp_path)})
    assert str(caught.value) == (
        "the local farm is not running and this Python {}.{} ({}) cannot start it (the farm"
        " needs Python 3.8+ with aiohttp); run `farmhand farm start` in a shell, set"
        " FARMHAND_COMMAND to the farmhand program, or set CONDUCTOR_URL to use a"
        " Conductor-compatible service instead".format(
            sys.version_info[0], sys.version_info[1], sys.executable
        )
    )


def test_a_start_command_that_fails_is_reported(folder):
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.local_farm_http({"FARMHAND_COMMAND": "sh -c 'echo no port free >&2; exit 3'"})
    assert str(caught.value) == (
        "could not start the local farm with `sh -c echo no port free >&2; exit 3 farm start`"
        " (exit status 3): no port free"
    )


def test_a_start_command_that_cannot_run_is_reported(folder):
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.local_farm_http({"FARMHAND_COMMAND": "/nonexistent/farmhand"})
    assert str(caught.value).startswith(
        "could not start the local farm with `/nonexistent/farmhand farm start`: [Errno 2]"
    )


def test_a_start_command_that_leaves_no_state_is_reported(folder):
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.start_farm({"FARMHAND_COMMAND": "true"})
    assert str(caught.value) == (
        "`true farm start` succeeded but {} names no running farm (farm.port, farm.pid); is"
        " FARMHAND_HOME the same for both?".format(folder)
    )


def test_the_start_command_sees_this_environment_plus_the_given_one(folder, monkeypatch):
    monkeypatch.setenv("FROM_PROCESS", "7")
    script = (
        'echo "$FROM_PROCESS$EXTRA" > "$FARMHAND_HOME/farm/farm.port";'
        ' echo $PPID > "$FARMHAND_HOME/farm/farm.pid"'
    )
    command = "sh -c '{}' sh".format(script)
    url = local_farm.start_farm({"FARMHAND_COMMAND": command, "EXTRA": "8"})
    assert url == "http://127.0.0.1:78"


def test_files_of_a_farm_that_stopped_lead_to_a_start(folder):
    """A live pid (a reused one) but nothing listening: the farm is started, not trusted."""
    write_state(folder, closed_port(), os.getpid())
    (folder / "api_key.json").write_text(json.dumps({"client_id": "a", "private_key": "b"}))
    with pytest.raises(FarmConnectionError) as caught:
        local_farm.local_farm_http({"FARMHAND_COMMAND": "false"})
    assert str(caught.value) == (
        "could not start the local farm with `false farm start` (exit status 1): no message"
    )


# -- a real farm --------------------------------------------------------------------------


def test_starts_the_farm_then_finds_it_without_a_process(farmhand_home):
    require(os.path.exists(MAIN_PYTHON), "the main virtualenv's Python (.venv) to run the farm")
    env = {"FARMHAND_COMMAND": "{} -m farmhand".format(MAIN_PYTHON)}
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
        # the running farm is found from its files: a start command would fail here
        with connect("local", environ={"FARMHAND_COMMAND": "false"}) as again:
            assert [j.job_id for j in again.jobs()] == [job_id]
            assert again.http.api_key.source == str(farmhand_home / "farm" / "api_key.json")
        # a key the farm does not know is refused as such, not taken for a stopped farm
        key_file = farmhand_home / "farm" / "api_key.json"
        real_key = key_file.read_text()
        key_file.write_text(json.dumps({"client_id": "farmhand-x", "private_key": "wrong"}))
        with pytest.raises(FarmAuthError) as caught:
            local_farm.local_farm_http({"FARMHAND_COMMAND": "false"})
        assert "refused the API key with client_id 'farmhand-x' (from {})".format(
            key_file
        ) in str(caught.value)
        key_file.write_text(real_key)
    finally:
        FarmProcess(farmhand_home / "farm").stop()
