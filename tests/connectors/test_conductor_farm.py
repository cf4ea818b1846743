"""The conductor farm: the local farm's own protocol against a Conductor-compatible URL with
an API key, chosen by name (``--farm conductor`` with CONDUCTOR_URL), by URL, or by a job
file's ``farm`` key. The service here is a real local farm reached only by its URL and key,
as any other Conductor-compatible service would be."""

import json
import re

import pytest

from farmhand.cli.main import main
from farmhand.core.connectors import connect
from farmhand.core.connectors.conductor.connector import ConductorConnector

pytestmark = [pytest.mark.slow, pytest.mark.timeout(120)]


@pytest.fixture
def service(client_farm, monkeypatch):
    monkeypatch.setenv("CONDUCTOR_API_KEY", client_farm.key)
    monkeypatch.delenv("CONDUCTOR_API_KEY_PATH", raising=False)
    monkeypatch.delenv("CONDUCTOR_URL", raising=False)
    return client_farm


def job_file(tmp_path, **changes):
    (tmp_path / "scene.txt").write_text("scene\n")
    job = {
        "job_title": "conductor farm test",
        "frames": "1-2",
        "task_template": "echo frame <chunkstart>",
        "machine_flavor": "standard",
        "cores": 1,
        "output_path": "out",
        "upload_paths": ["scene.txt"],
        "scout_frames": "",
    }
    job.update(changes)
    path = tmp_path / "job.json"
    path.write_text(json.dumps(job))
    return str(path)


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_conductor_farm_by_name_url_and_job_file(service, capsys, tmp_path, monkeypatch):
    code, out, err = run(capsys, "submit", job_file(tmp_path), "--farm", service.url, "--wait")
    assert code == 0, err
    assert "to the Conductor-compatible service at {}".format(service.url) in err
    first = out.strip()
    assert re.match(r"^\d{5}$", first)
    monkeypatch.setenv("CONDUCTOR_URL", service.url)
    code, out, err = run(capsys, "submit", job_file(tmp_path, farm="conductor"), "--wait")
    assert code == 0, err
    second = out.strip()
    code, out, err = run(capsys, "jobs", "--farm", "conductor")
    assert code == 0
    assert first in out and second in out
    with connect("conductor") as connector:
        assert isinstance(connector, ConductorConnector)
        assert connector.status(second).succeeded


def test_a_wrong_key_is_refused_by_the_service(service, capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("CONDUCTOR_API_KEY", json.dumps({"client_id": "x", "private_key": "y"}))
    code, out, err = run(capsys, "submit", job_file(tmp_path), "--farm", service.url)
    assert (code, out) == (1, "")
    assert err.startswith("farmhand: error: ") and service.url in err
