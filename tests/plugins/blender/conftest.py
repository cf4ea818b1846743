"""Running the real Blender for the Blender tests (Debian's blender, headless).

``run_blender(mode, root)`` runs ``blender_driver.py`` in one Blender process and returns
what it wrote. Blender's own Python gets this virtualenv's site-packages (Farmhand's editable
install, fileseq, requests, qtpy) and Debian's PySide2 (``QT_API=pyside2``: the binding a
Debian Blender can import). ``--python-exit-code 1``: Blender exits 0 on a Python error
without it. A missing Blender skips the tests, or fails them under ``CI=true``.
"""

import json
import os
import shutil
import subprocess
import sysconfig

import pytest

from tests.conftest import require

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(HERE, "blender_driver.py")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
ADDON = os.path.join(ROOT, "startup", "blender", "farmhand_blender.py")
EPOCH = "1700000000"
USER = "farmhand-tester"


@pytest.fixture(scope="session")
def blender():
    found = shutil.which("blender")
    require(found, "Blender (Debian's blender package, scripts/bootstrap.sh system)")
    return found


def blender_environment(root, extra=None):
    env = dict(os.environ)
    env.update(
        {
            "FARMHAND_TEST_SITE": sysconfig.get_paths()["purelib"],
            "QT_API": "pyside2",
            "QT_QPA_PLATFORM": "offscreen",
            "SOURCE_DATE_EPOCH": EPOCH,
            "LOGNAME": USER,
            "USER": USER,
            "TMPDIR": os.path.join(root, "tmp"),
        }
    )
    env.pop("PYTHONPATH", None)
    scripts = os.path.join(root, "blender-user-scripts")  # the add-on installed as an artist does
    os.makedirs(os.path.join(scripts, "addons"), exist_ok=True)
    link = os.path.join(scripts, "addons", "farmhand_blender.py")
    if not os.path.lexists(link):
        os.symlink(ADDON, link)
    env["BLENDER_USER_SCRIPTS"] = scripts
    env.update(extra or {})
    os.makedirs(env["TMPDIR"], exist_ok=True)
    return env


@pytest.fixture(scope="session")
def run_blender(blender):
    def run(mode, root, extra_env=None, timeout=120):
        root = str(root)
        result_path = os.path.join(root, mode + "-result.json")
        command = [
            blender,
            "-b",
            "--factory-startup",
            "--python-exit-code",
            "1",
            "--python",
            DRIVER,
            "--",
            mode,
            root,
            result_path,
        ]
        done = subprocess.run(
            command,
            cwd=root,
            env=blender_environment(root, extra_env),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            universal_newlines=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stdout[-4000:]
        with open(result_path) as handle:
            results = json.load(handle)
        assert "error" not in results, results["error"]
        results["_output"] = done.stdout
        return results

    return run


@pytest.fixture
def like_blender(monkeypatch):
    """This process's time and user set as the Blender runs' are (for payloads compared)."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.setenv("LOGNAME", USER)
