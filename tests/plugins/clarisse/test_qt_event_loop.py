"""Clarisse runs its own event loop: when Farmhand makes the QApplication it hands Qt's events
to Clarisse through Isotropix's ``pyqt_clarisse`` helper (a stand-in in ``clarisse_python``),
once, and a Clarisse that has no helper still gets its application. Run in a fresh Python:
the test process already has a QApplication."""

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import require

pytestmark = [pytest.mark.ui, pytest.mark.timeout(60)]
HERE = os.path.dirname(os.path.abspath(__file__))

DRIVER = """
import json, sys
import fake_ix
sys.modules["ix"] = fake_ix
fake_ix.reset()
from farmhand.plugins.clarisse.qt_submitter import application
app = application()
again = application()
turns = []
try:
    import pyqt_clarisse
except ImportError:
    helper = None
else:
    fake_ix.application.run_event_loop_once()
    fake_ix.application.run_event_loop_once()
    helper = pyqt_clarisse.helpers[0].turns
print(json.dumps({"same_app": app is again, "app": type(app).__name__,
                  "callbacks": len(fake_ix.state().event_loop_callbacks), "turns": helper}))
"""


def qt_widgets():
    try:
        from qtpy import QtWidgets  # noqa: F401
    except Exception:  # noqa: BLE001 - any failure means no usable binding
        return False
    return True


def run_driver(with_helper):
    require(qt_widgets(), "a Qt binding for qtpy (PySide6 or PySide2)")
    paths = [HERE] + ([os.path.join(HERE, "clarisse_python")] if with_helper else [])
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    env["PYTHONPATH"] = os.pathsep.join(paths + [env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    done = subprocess.run(
        [sys.executable, "-c", DRIVER],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        universal_newlines=True,
        timeout=50,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_application_is_handed_to_clarisses_event_loop_once():
    result = run_driver(with_helper=True)
    assert result == {"same_app": True, "app": "QApplication", "callbacks": 1, "turns": 2}


def test_without_the_helper_the_application_is_still_made():
    result = run_driver(with_helper=False)
    assert result == {"same_app": True, "app": "QApplication", "callbacks": 0, "turns": None}
