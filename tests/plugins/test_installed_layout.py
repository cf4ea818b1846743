"""What the install steps in the README rely on: ``pip install --target DIR`` puts the files
Blender and Maya load where the README says, and ``farmhand.mod``'s relative
``PYTHONPATH`` is DIR itself, where the ``farmhand`` package is."""

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.timeout(180)]

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SOURCES = (
    "setup.py",
    "pyproject.toml",
    "README.md",
    "src",
    "core",
    "api",
    "cli",
    "farm",
    "shared_ui",
    "plugins",
    "startup",
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """``pip install --target`` of a copy of the sources (the checkout stays untouched)."""
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        path = os.path.join(ROOT, name)
        if os.path.isdir(path):
            shutil.copytree(
                path, str(source / name), ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
            )
        else:
            shutil.copy(path, str(source / name))
    target = tmp_path_factory.mktemp("target")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        timeout=170,
    )
    return str(target)


def test_the_blender_add_on_is_installed(installed):
    addon = os.path.join(installed, "farmhand", "startup", "blender", "farmhand_blender.py")
    assert os.path.isfile(addon)
    assert os.path.isfile(os.path.join(installed, "farmhand", "plugins", "blender", "addon.py"))


def test_the_maya_module_finds_its_plugin_and_farmhand(installed):
    module_root = os.path.join(installed, "farmhand", "startup", "maya")
    with open(os.path.join(module_root, "farmhand.mod")) as handle:
        settings = {
            line.split()[0]: line.split()[-1]
            for line in handle.read().splitlines()[1:]
            if line.strip()
        }
    plugins = os.path.normpath(os.path.join(module_root, settings["MAYA_PLUG_IN_PATH"]))
    assert os.path.isfile(os.path.join(plugins, "farmhand_maya.py"))
    python_path = os.path.normpath(os.path.join(module_root, settings["PYTHONPATH"]))
    assert python_path == os.path.normpath(installed)
    assert os.path.isfile(os.path.join(python_path, "farmhand", "plugins", "maya", "menu.py"))
