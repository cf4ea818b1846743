"""Maya: a module file (``farmhand.mod``) in a folder on ``MAYA_MODULE_PATH``.

Maya reads every module file in its module folders at start-up; Farmhand's puts its
``plug-ins`` folder on ``MAYA_PLUG_IN_PATH`` and the install folder on ``PYTHONPATH``. The file
written is the installed ``startup/maya/farmhand.mod`` with its module path made absolute
(the relative settings under it then resolve against the installed module). It goes to the
user's modules folder, which Maya always searches: ``$MAYA_APP_DIR/modules`` when that is
set, else ``~/maya/modules`` (``Documents/maya`` on Windows, ``Library/Preferences/Autodesk/
maya`` on macOS); ``--version 2024`` picks that version's own ``modules`` folder.
"""

import os
from typing import List

from farmhand.install import installed
from farmhand.install.errors import InstallInputError
from farmhand.install.files import Action, read_text, remove, write_text
from farmhand.install.places import Places

FILE_NAME = "farmhand.mod"
NEXT_STEP = (
    "Start Maya and load farmhand_maya.py in Windows > Settings/Preferences > Plug-in Manager "
    "(tick Auto load): the Farmhand menu and shelf appear."
)


def maya_app_dir(places: Places) -> str:
    if places.environ.get("MAYA_APP_DIR"):
        return places.environ["MAYA_APP_DIR"]
    if places.windows:
        return places.join(places.documents(), "maya")
    if places.mac:
        return places.join(places.home(), "Library", "Preferences", "Autodesk", "maya")
    return places.join(places.home(), "maya")


def destinations(places: Places, dest: str, version: str) -> List[str]:
    if dest:
        return [dest]
    if version:
        if not version.isdigit():
            raise InstallInputError(
                "Maya's versions are years (2024), got {!r}".format(version), "--version"
            )
        return [places.join(maya_app_dir(places), version, "modules")]
    return [places.join(maya_app_dir(places), "modules")]


def module_text() -> str:
    """The installed module file with an absolute module path."""
    source = installed.startup_file("maya", FILE_NAME)
    root = installed.posix(os.path.dirname(source))
    lines = read_text(source).splitlines()
    head = lines[0].split()
    return "\n".join([" ".join(head[:-1] + [root])] + lines[1:]) + "\n"


def is_ours(path: str) -> bool:
    lines = [line.split() for line in read_text(path).splitlines() if line.strip()]
    return bool(lines) and lines[0][:2] == ["+", "farmhand"]


def install(folder: str) -> List[Action]:
    return [write_text(os.path.join(folder, FILE_NAME), module_text(), is_ours)]


def uninstall(folder: str) -> List[Action]:
    return [remove(os.path.join(folder, FILE_NAME), is_ours)]
