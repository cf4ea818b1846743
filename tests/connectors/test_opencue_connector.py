"""The opencue farm through the contract: export writes the spec and its task scripts; a
submit without a Cuebot, or that Cuebot would refuse, says so before anything is sent."""

import os

import outline  # noqa: F401  (opencue-pyoutline: requirements/main.txt; missing is an error)
import pytest

from farmhand.core.connectors import connector_class
from farmhand.core.connectors.opencue.connector import OpenCueConnector
from farmhand.core.errors import InputError, UnsupportedError

PAYLOAD = {
    "job_title": "Cue job",
    "project": "testing",
    "owner": "root",
    "tasks_data": [{"command": "echo {}".format(f), "frames": str(f)} for f in (1, 2)],
}


def test_registered_and_exports_spec_and_scripts(tmp_path):
    assert connector_class("opencue") is OpenCueConnector
    connector = OpenCueConnector.from_environment({"FARMHAND_OPENCUE_SHOW": "pipe"})
    folder = tmp_path / "cue"
    assert connector.export(PAYLOAD, str(folder)) == [
        str(folder / "job.xml"),
        str(folder / "tasks"),
    ]
    text = (folder / "job.xml").read_text()
    assert "<show>pipe</show>" in text
    assert "/bin/sh {}/tasks/#IFRAME#.sh".format(folder) in text
    assert sorted(os.listdir(str(folder / "tasks"))) == ["1.sh", "2.sh"]


def test_submit_without_a_cuebot_says_what_to_set(tmp_path, monkeypatch):
    monkeypatch.delenv("OPENCUE_CONFIG_FILE", raising=False)
    connector = OpenCueConnector.from_environment({"FARMHAND_OPENCUE_JOBS": str(tmp_path)})
    with pytest.raises(UnsupportedError) as caught:
        connector.submit(PAYLOAD)
    assert str(caught.value) == (
        "the opencue farm needs a Cuebot: set CUEBOT_HOSTS (host[,host...]) or OPENCUE_CONFIG_FILE"
    )


def test_a_job_cuebot_would_refuse_is_refused_before_anything_is_written(tmp_path):
    jobs = tmp_path / "jobs"
    connector = OpenCueConnector.from_environment(
        {"FARMHAND_OPENCUE_JOBS": str(jobs), "CUEBOT_HOSTS": "cuebot.invalid"}
    )
    with pytest.raises(InputError) as caught:
        connector.submit(PAYLOAD)
    assert str(caught.value).startswith(
        "owner: Cuebot would refuse this job: Cuebot refuses jobs launched as root (user 'root',"
    )
    assert not jobs.exists() or os.listdir(str(jobs)) == []
