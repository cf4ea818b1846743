"""How ``Job.spool()`` finds or starts the local farm from inside a host, and what it says
when it cannot. (Spooling to a running farm is tested in tests/farm/test_tractor_spool.py.)"""

import importlib.util
import os
import stat
import sys

import pytest
import requests

import farmhand.api.tractor.author as author
from farmhand.api.tractor.author import engine, local_farm


@pytest.fixture(autouse=True)
def clean_client(monkeypatch):
    monkeypatch.setattr(engine, "THE_CLIENT", engine.EngineClient())
    monkeypatch.delenv("TRACTOR_ENGINE", raising=False)
    monkeypatch.delenv("FARMHAND_COMMAND", raising=False)
    yield
    engine.THE_CLIENT.close()


def _no_aiohttp(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "aiohttp" else real(name)
    )


def test_farmhand_command_says_how_to_start_the_farm(monkeypatch):
    monkeypatch.setenv("FARMHAND_COMMAND", "/opt/farmhand/bin/farmhand --traceback")
    assert local_farm.start_command() == [
        "/opt/farmhand/bin/farmhand",
        "--traceback",
        "farm",
        "start",
    ]


def test_a_host_python_without_the_farm_uses_farmhand_on_path(monkeypatch, tmp_path):
    _no_aiohttp(monkeypatch)
    program = tmp_path / "farmhand"
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(program.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert local_farm.start_command() == [str(program), "farm", "start"]


def test_a_python_that_can_run_the_farm_starts_it_itself(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # no farmhand program to fall back on
    can_run = sys.version_info >= (3, 8) and importlib.util.find_spec("aiohttp") is not None
    if can_run:
        assert local_farm.start_command()[:2] == [sys.executable, "-c"]
    else:  # the host-like interpreters (3.7, 3.13 without aiohttp) must not try
        with pytest.raises(author.SpoolError):
            local_farm.start_command()


def test_no_way_to_start_the_farm_is_a_clear_error(monkeypatch, tmp_path):
    _no_aiohttp(monkeypatch)
    monkeypatch.setenv("PATH", str(tmp_path))
    job = author.Job(title="j")
    job.newTask(title="t", argv=["true"])
    with pytest.raises(author.SpoolError) as caught:
        job.spool()
    assert str(caught.value) == (
        "spool: the local farm is not running and this Python ({}) cannot start it; run"
        " `farmhand farm start` in a shell, set FARMHAND_COMMAND to the farmhand program, or"
        " set TRACTOR_ENGINE to spool to a Tractor engine".format(sys.executable)
    )


def test_a_start_command_that_fails_is_reported(monkeypatch):
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    with pytest.raises(author.SpoolError) as caught:
        local_farm.locate(requests.Session())
    assert str(caught.value) == (
        "spool: could not start the local farm with false farm start: exit code 1"
    )


def test_a_farm_whose_key_cannot_be_read_is_reported(farmhand_home):
    root = farmhand_home / "farm"
    root.mkdir()
    (root / "farm.port").write_text("1")
    (root / "farm.pid").write_text(str(os.getpid()))  # a live process
    with pytest.raises(author.SpoolError) as caught:
        local_farm.locate(requests.Session())
    message = str(caught.value)
    assert message.startswith(
        "spool: cannot read the local farm's API key {} (".format(root / "api_key.json")
    )
    assert message.endswith("); only the farm's owner can spool to it")
