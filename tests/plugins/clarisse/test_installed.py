"""The Clarisse install step of the README: after ``pip install --target DIR``, the startup
script DIR/farmhand/startup/clarisse/startup.py, run by a Clarisse whose Python knows nothing of
Farmhand, finds the installed package itself and registers FarmhandJob."""

import os
import subprocess
import sys

import pytest
from installed_copy import install_copy

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]
HERE = os.path.dirname(os.path.abspath(__file__))

DRIVER = """
import json, runpy, sys
import fake_ix
sys.modules["ix"] = fake_ix
fake_ix.reset()
runpy.run_path(sys.argv[1])
import farmhand
print(json.dumps({"classes": sorted(fake_ix.state().classes), "farmhand": farmhand.__file__,
                  "log": fake_ix.state().log}))
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    return install_copy(tmp_path_factory.mktemp("clarisse-install"))


def site_packages():
    """Where this Python's dependencies are (fileseq, requests): on the path without the
    editable install's .pth, so only the installed copy can provide farmhand."""
    import fileseq
    import requests

    folders = {os.path.dirname(os.path.dirname(m.__file__)) for m in (fileseq, requests)}
    return os.pathsep.join(sorted(folders))


def test_the_startup_script_registers_farmhand_job_from_the_install(installed):
    import json

    script = os.path.join(installed, "farmhand", "startup", "clarisse", "startup.py")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([HERE, site_packages()]))
    result = subprocess.run(
        [sys.executable, "-S", "-c", DRIVER, script],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["classes"] == ["FarmhandJob"]
    assert report["farmhand"].startswith(installed)
    assert [
        "info",
        "Farmhand: FarmhandJob registered (Create > FarmhandJob, or New > FarmhandJob)",
    ] in report["log"]
