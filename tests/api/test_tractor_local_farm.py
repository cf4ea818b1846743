"""What ``Job.spool()`` says when it cannot reach or start the local farm (it finds the farm
through ``farmhand.core.connectors.local_farm``, tested in tests/core; spooling to a running
farm is tested in tests/farm/test_tractor_spool.py)."""

import os
import sys

import pytest

import farmhand.api.tractor.author as author
from farmhand.api.tractor.author import engine
from farmhand.core.connectors import local_farm


@pytest.fixture(autouse=True)
def clean_client(monkeypatch):
    monkeypatch.setattr(engine, "THE_CLIENT", engine.EngineClient())
    monkeypatch.delenv("TRACTOR_ENGINE", raising=False)
    monkeypatch.delenv("FARMHAND_COMMAND", raising=False)
    yield
    engine.THE_CLIENT.close()


def one_task_job():
    job = author.Job(title="j")
    job.newTask(title="t", argv=["true"])
    return job


def test_no_way_to_start_the_farm_is_a_spool_error_naming_tractor_engine(monkeypatch, tmp_path):
    monkeypatch.setattr(local_farm, "_can_run_farm", lambda: False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(author.SpoolError) as caught:
        one_task_job().spool()
    assert str(caught.value) == (
        "spool: the local farm is not running and this Python {}.{} ({}) cannot start it (the"
        " farm needs Python 3.8+ with aiohttp); run `farmhand farm start` in a shell, set"
        " FARMHAND_COMMAND to the farmhand program, or set TRACTOR_ENGINE to spool to a"
        " Tractor engine".format(sys.version_info[0], sys.version_info[1], sys.executable)
    )


def test_a_start_command_that_fails_is_a_spool_error(monkeypatch):
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    with pytest.raises(author.SpoolError) as caught:
        one_task_job().spool()
    assert str(caught.value) == (
        "spool: could not start the local farm with `false farm start` (exit status 1):"
        " no message"
    )


def test_a_farm_whose_key_cannot_be_read_is_a_spool_error(farmhand_home, monkeypatch):
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    root = farmhand_home / "farm"
    root.mkdir()
    (root / "farm.port").write_text("1")
    (root / "farm.pid").write_text(str(os.getpid()))  # a live process
    with pytest.raises(author.SpoolError) as caught:
        one_task_job().spool()
    assert str(caught.value) == (
        "spool: cannot read the local farm's API key {} (No such file or directory); only the"
        " farm's owner can use the farm".format(root / "api_key.json")
    )
