"""The openjd farm through the contract: export writes a bundle `openjd check` passes; submit
keeps the bundle and says what is missing when the deadline CLI is not installed."""

import os
import subprocess
import sys

import pytest

from farmhand.core.connectors import connector_class
from farmhand.core.connectors.openjd.connector import OpenJDConnector
from farmhand.core.errors import UnsupportedError

PAYLOAD = {
    "job_title": "Bundle",
    "scout_frames": "1",
    "tasks_data": [{"command": "echo {}".format(f), "frames": str(f)} for f in (1, 2, 3)],
}


def test_registered_and_exports_a_checked_bundle(tmp_path):
    assert connector_class("openjd") is OpenJDConnector
    connector = OpenJDConnector.from_environment({"FARMHAND_HOME": str(tmp_path)})
    folder = tmp_path / "bundle"
    paths = connector.export(PAYLOAD, str(folder))
    assert paths == [
        str(folder / name)
        for name in ("asset_references.yaml", "parameter_values.yaml", "tasks", "template.yaml")
    ]
    openjd = os.path.join(os.path.dirname(sys.executable), "openjd")
    result = subprocess.run(
        [openjd, "check", str(folder / "template.yaml")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_submit_without_the_deadline_cli_keeps_the_bundle_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    jobs = tmp_path / "jobs"
    connector = OpenJDConnector.from_environment({"FARMHAND_OPENJD_JOBS": str(jobs)})
    with pytest.raises(UnsupportedError) as caught:
        connector.submit(PAYLOAD)
    (bundle,) = os.listdir(str(jobs))
    assert bundle.endswith("-Bundle")
    assert str(caught.value) == (
        "the openjd farm submits with AWS Deadline Cloud's CLI ('deadline'), which is not"
        " installed here: pip install deadline, then `deadline config set defaults.farm_id"
        " ...` and queue_id; the job bundle is in {}".format(jobs / bundle)
    )
    assert caught.value.farm == "openjd"


def test_following_points_to_deadline_clouds_monitor(tmp_path):
    connector = OpenJDConnector.from_environment({"FARMHAND_HOME": str(tmp_path)})
    with pytest.raises(UnsupportedError) as caught:
        connector.status("job-1")
    assert str(caught.value) == (
        "the openjd farm cannot follow Deadline Cloud job job-1 here; use Deadline Cloud's"
        " monitor or `deadline job get --job-id ID`"
    )
