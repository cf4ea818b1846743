"""``farmhand preview`` checks a job against the catalogue ``farmhand submit`` would use, so
the two agree: with ``CONDUCTOR_URL`` or ``--target`` naming a Conductor-compatible service,
that service's packages and instance types, not this machine's.

The service is a real local farm in its own process (``client_farm``) offering the seed's
V-Ray package, which this machine's own catalogue does not have.
"""

import json
import os

from farmhand.cli.main import main

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
QUICKSTART = os.path.join(ROOT, "examples", "quickstart.json")
VRAY_ID = "7208372e306614d514944938c395e0e7"
VRAY = {
    "package_id": VRAY_ID,
    "product": "v-ray-standalone",
    "major_version": "6",
    "platform": "linux",
    "relative_path": "v-ray-standalone/6",
    "environment": [{"name": "PATH", "value": "/opt/vray/bin", "merge_policy": "append"}],
}

CLIENT_FARM_CONFIG = {"packages": [VRAY], "probe_software": False}


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_preview_uses_the_service_that_conductor_url_names(
    capsys, client_farm, monkeypatch, tmp_path
):
    monkeypatch.setenv("CONDUCTOR_URL", client_farm.url)
    monkeypatch.setenv("CONDUCTOR_API_KEY", client_farm.key)
    with open(QUICKSTART) as handle:
        job = json.load(handle)
    job["output_path"] = str(tmp_path / "output")  # not the seed's /path/to/project/output
    job_file = tmp_path / "quickstart.json"
    job_file.write_text(json.dumps(job))
    code, out, err = run(capsys, "preview", str(job_file))
    assert code == 0, err
    payload = json.loads(out)
    assert payload["software_package_ids"] == [VRAY_ID]
    assert payload["environment"]["PATH"] == "/opt/vray/bin"
    # ... which is what submit accepts
    code, out, err = run(capsys, "submit", str(job_file))
    assert code == 0, err


def test_preview_target_option_and_the_local_catalogue(capsys, client_farm, monkeypatch):
    monkeypatch.delenv("CONDUCTOR_URL", raising=False)
    monkeypatch.setenv("CONDUCTOR_API_KEY", client_farm.key)
    code, out, err = run(capsys, "preview", "--target", client_farm.url, QUICKSTART)
    assert code == 0, err
    assert json.loads(out)["software_package_ids"] == [VRAY_ID]
    # this machine's own farm catalogue has no V-Ray: refused, as a local submit would be
    code, out, err = run(capsys, "preview", "--catalogue", "local", QUICKSTART)
    assert (code, out) == (2, "")
    assert err == (
        "farmhand: error: software_package_ids: unknown software package id '{}'\n".format(VRAY_ID)
    )
