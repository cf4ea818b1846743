"""The Clarisse adapter's tests run against ``fake_ix`` (a hand-written ``ix``), installed as
``ix`` for each test with a fresh project and the FarmhandJob class registered through
Farmhand's own registration (what the startup script runs)."""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import fake_ix  # noqa: E402


@pytest.fixture(autouse=True)
def ix(monkeypatch):
    """The fake ``ix``, installed and reset: an unsaved, empty project. No local farm is
    started by accident (``FARMHAND_COMMAND=false``): a test that wants one says so."""
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    monkeypatch.setitem(sys.modules, "ix", fake_ix)
    fake_ix.reset()
    return fake_ix


@pytest.fixture
def project(ix, tmp_path):
    """A saved project (``shots/shot010.project``) with FarmhandJob registered."""
    path = tmp_path / "shots" / "shot010.project"
    path.parent.mkdir()
    path.write_text("fake project\n")
    ix.reset(str(path))
    from farmhand.plugins.clarisse.registration import register

    assert register()
    return path


@pytest.fixture
def adapter(project):
    from farmhand.plugins.clarisse.adapter import ClarisseAdapter

    return ClarisseAdapter()


@pytest.fixture
def no_qt(monkeypatch):
    """A Clarisse without Qt for Python: importing qtpy fails."""
    for name in list(sys.modules):
        if name == "qtpy" or name.startswith("qtpy."):
            monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "qtpy", None)
