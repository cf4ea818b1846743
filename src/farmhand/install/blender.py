"""Blender: a link to Farmhand's add-on in the user's ``scripts/addons`` folder.

Blender lists every module in ``scripts/addons`` in Preferences > Add-ons. The link is named
``farmhand_blender.py`` and points at the installed ``startup/blender/farmhand_blender.py``,
which puts the install folder on ``sys.path`` (found through the link) before importing
Farmhand. Where links cannot be made (Windows without the privilege), a copy of the add-on
file is written instead, with the install folder spelt out at its top. The folder is
``$BLENDER_USER_SCRIPTS/addons`` when that is set, else ``scripts/addons`` of the user
configuration of every Blender version found, or of the one named (``~/.config/blender/X.Y``,
``Library/Application Support/Blender/X.Y`` on macOS, ``%APPDATA%/Blender Foundation/
Blender/X.Y`` on Windows).
"""

import os
from typing import List

from farmhand.install import installed
from farmhand.install.errors import InstallError, InstallInputError
from farmhand.install.files import Action, link, read_text, remove, write_text
from farmhand.install.places import Places, check_version, version_folders

FILE_NAME = "farmhand_blender.py"
MARKER = "# Farmhand's Blender add-on, written by python -m farmhand.install blender."
NEXT_STEP = (
    "Start Blender and enable Farmhand in Edit > Preferences > Add-ons: Render Properties > "
    "Farmhand and Render > Farmhand Submitter... appear."
)


def config_root(places: Places) -> str:
    if places.windows:
        return places.join(places.app_data(), "Blender Foundation", "Blender")
    if places.mac:
        return places.join(places.home(), "Library", "Application Support", "Blender")
    return places.join(places.config_home(), "blender")


def destinations(places: Places, dest: str, version: str) -> List[str]:
    if dest:
        return [dest]
    if version and not check_version(version):
        raise InstallInputError(
            "Blender's versions are major.minor (4.2), got {!r}".format(version), "--version"
        )
    scripts = places.environ.get("BLENDER_USER_SCRIPTS", "")
    if scripts:
        return [places.join(scripts, "addons")]
    root = config_root(places)
    if version:
        return [places.join(root, version, "scripts", "addons")]
    found = [folder for _, folder in version_folders(root)]
    if not found:
        raise InstallInputError(
            "no Blender configuration folder in {} (looked for X.Y); start Blender once, or "
            "name its version: --version 4.2".format(root),
            "--version",
        )
    return [places.join(folder, "scripts", "addons") for folder in found]


def is_ours(path: str) -> bool:
    if os.path.islink(path):
        return os.path.basename(os.readlink(path)) == FILE_NAME
    return read_text(path).startswith(MARKER)


def copy_text(source: str) -> str:
    """The add-on file with the install folder put on ``sys.path`` first."""
    return "\n".join(
        [
            MARKER,
            "# A copy (this system makes no links): it loads Farmhand from the folder below.",
            "import sys as _sys",
            "_FARMHAND_DIR = {!r}".format(installed.site_dir()),
            "if _FARMHAND_DIR not in _sys.path:",
            "    _sys.path.insert(0, _FARMHAND_DIR)",
            "",
            read_text(source),
        ]
    )


def install(folder: str) -> List[Action]:
    source = installed.startup_file("blender", FILE_NAME)
    path = os.path.join(folder, FILE_NAME)
    try:
        return [link(source, path, is_ours)]
    except InstallError as error:
        if not error.message.startswith("cannot link it"):
            raise
        return [write_text(path, copy_text(source), is_ours)]


def uninstall(folder: str) -> List[Action]:
    return [remove(os.path.join(folder, FILE_NAME), is_ours)]
