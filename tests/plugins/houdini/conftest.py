"""The Houdini adapter's tests run against ``fake_hou`` (a hand-written ``hou``), installed as
``hou`` for each test with a fresh session, the built-in ROP and SOP types, and the FarmhandJob
type read from the checked-in expanded HDA (``startup/houdini/otls/farmhand_job.hda``)."""

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import fake_hou  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
LIBRARY = os.path.join(ROOT, "startup", "houdini", "otls", "farmhand_job.hda")


@pytest.fixture
def library():
    """The checked-in expanded HDA folder."""
    return LIBRARY


@pytest.fixture(autouse=True)
def hou(monkeypatch):
    """The fake ``hou``, installed and reset: an untitled scene, nothing in /out. No local
    farm is started by accident (``FARMHAND_COMMAND=false``): a test that wants one says so."""
    monkeypatch.setenv("FARMHAND_COMMAND", "false")
    monkeypatch.setitem(sys.modules, "hou", fake_hou)
    fake_hou.reset()
    fake_hou.register_builtin_types()
    fake_hou.register_hda(LIBRARY)
    return fake_hou


@pytest.fixture
def hip(hou, tmp_path):
    """A saved scene: ``shots/shot010.hip`` in a temporary folder."""
    path = tmp_path / "shots" / "shot010.hip"
    path.parent.mkdir()
    path.write_text("fake hip\n")
    hou.state().hip = str(path)
    return path


@pytest.fixture
def adapter(hip):
    from farmhand.plugins.houdini.adapter import HoudiniAdapter

    return HoudiniAdapter()
