"""A fake Maya session per test: ``maya``, ``maya.cmds``, ``maya.mel`` and
``maya.api.OpenMaya`` are the hand-written fakes in ``tests/plugins/fakes`` (named members,
Maya's flags; no ``MagicMock``), and ``farmhand.plugins.maya`` is imported afresh over them.
``plugin`` loads Farmhand's plug-in file (``startup/maya/plug-ins/farmhand_maya.py``) into
the session, as Maya would: it registers the ``farmhandJob`` node type.
"""

import os
import sys
import types

import pytest
from maya_plugin_file import load_plugin_file

# types-maya's stubs use syntax Python 3.7 cannot parse: the fakes are checked against them on
# the newer Pythons (3.11 and 3.13 in make test). Left out of collection rather than skipped,
# since under CI=true a skip means a missing component.
collect_ignore = ["test_maya_fakes_match_stubs.py"] if sys.version_info < (3, 8) else []

FAKES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "fakes")
if FAKES not in sys.path:
    sys.path.insert(0, FAKES)


@pytest.fixture
def maya(monkeypatch, tmp_path):
    """The fake session's scene (``maya_scene.Scene``): a project folder and a saved scene
    ``scenes/shot.ma`` in it, Maya 2022.3, interactive."""
    import maya_cmds
    import maya_mel
    import maya_openmaya
    from maya_scene import Scene

    project = tmp_path / "project"
    (project / "scenes").mkdir(parents=True)
    scene = Scene(str(project))
    scene.scene_name = str(project / "scenes" / "shot.ma")
    with open(scene.scene_name, "w") as handle:
        handle.write("//Maya ASCII scene\n")
    monkeypatch.setattr(maya_cmds, "SCENE", scene)

    package = types.ModuleType("maya")
    package.__path__ = []
    api = types.ModuleType("maya.api")
    api.__path__ = []
    api.OpenMaya = maya_openmaya
    package.cmds, package.mel, package.api = maya_cmds, maya_mel, api
    modules = {
        "maya": package,
        "maya.cmds": maya_cmds,
        "maya.mel": maya_mel,
        "maya.api": api,
        "maya.api.OpenMaya": maya_openmaya,
    }
    for name, module in modules.items():
        monkeypatch.setitem(sys.modules, name, module)
    for name in list(sys.modules):
        if name.startswith("farmhand.plugins.maya"):
            monkeypatch.delitem(sys.modules, name)
    return scene


@pytest.fixture
def plugin(maya):
    """Farmhand's plug-in, loaded (``initializePlugin`` run with a plug-in object)."""
    module = load_plugin_file()
    module.initializePlugin("farmhand_maya plug-in object")
    return module


@pytest.fixture
def adapter(plugin):
    from farmhand.plugins.maya.adapter import MayaAdapter

    return MayaAdapter()


@pytest.fixture
def project(maya):
    """The project folder, as a ``pathlib.Path``."""
    import pathlib

    return pathlib.Path(maya.project)


def touch(path, text="x"):
    """Create ``path`` (a ``pathlib.Path``) and its folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


@pytest.fixture
def make_file():
    return touch
