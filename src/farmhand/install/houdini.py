"""Houdini: a package file (``farmhand.json``) in the user's ``packages`` folder.

Houdini reads every ``.json`` in ``$HOUDINI_USER_PREF_DIR/packages`` at start-up. The file
written is the installed ``startup/houdini/farmhand.json`` with ``$HOUDINI_PACKAGE_PATH`` (the
folder a package file is read from) replaced by the installed ``startup/houdini`` folder, so
the copy in ``packages`` finds Farmhand's Python and its ROP where they were installed. The
user preference folder is ``$HOUDINI_USER_PREF_DIR`` when set (``__HVER__`` standing for the
version), else ``~/houdiniX.Y`` (``Documents/houdiniX.Y`` on Windows,
``Library/Preferences/houdini/X.Y`` on macOS), for every version found or the one named.
"""

import json
import os
from typing import List, Tuple

from farmhand.install import installed
from farmhand.install.errors import InstallError, InstallInputError
from farmhand.install.files import Action, read_text, remove, write_text
from farmhand.install.places import Places, check_version, version_folders

FILE_NAME = "farmhand.json"
VARIABLES = ("${HOUDINI_PACKAGE_PATH}", "$HOUDINI_PACKAGE_PATH")
NEXT_STEP = (
    "Start Houdini: the FarmhandJob ROP is in the /out network's Tab menu (Farmhand > "
    "FarmhandJob)."
)


def _pattern(places: Places) -> Tuple[str, str]:
    """``(parent folder, prefix)`` of the per-version preference folders."""
    if places.windows:
        return places.documents(), "houdini"
    if places.mac:
        return places.join(places.home(), "Library", "Preferences", "houdini"), ""
    return places.home(), "houdini"


def destinations(places: Places, dest: str, version: str) -> List[str]:
    if dest:
        return [dest]
    if version and not check_version(version):
        raise InstallInputError(
            "Houdini's versions are major.minor (20.5), got {!r}".format(version), "--version"
        )
    preference = places.environ.get("HOUDINI_USER_PREF_DIR", "")
    if preference and "__HVER__" not in preference:
        return [places.join(preference, "packages")]
    if preference and version:
        return [places.join(preference.replace("__HVER__", version), "packages")]
    parent, prefix = _pattern(places)
    if version:
        return [places.join(parent, prefix + version, "packages")]
    if preference:
        parent, name = os.path.split(preference)
        prefix, _, suffix = name.partition("__HVER__")
        found = [f for v, f in version_folders(parent, prefix) if not suffix]
    else:
        found = [folder for _, folder in version_folders(parent, prefix)]
    if not found:
        raise InstallInputError(
            "no Houdini preferences folder in {} (looked for {}X.Y); start Houdini once, or "
            "name its version: --version 20.5".format(parent, prefix),
            "--version",
        )
    return [places.join(folder, "packages") for folder in found]


def package_text() -> str:
    source = installed.startup_file("houdini", FILE_NAME)
    text = read_text(source)
    root = installed.posix(os.path.dirname(source))
    for variable in VARIABLES:
        text = text.replace(variable, root)
    try:
        json.loads(text)
    except ValueError as error:
        raise InstallError(
            "is not valid JSON once its paths are filled in: {}".format(error), source
        ) from None
    return text


def is_ours(path: str) -> bool:
    try:
        data = json.loads(read_text(path))
    except ValueError:
        return False
    return isinstance(data, dict) and str(data.get("description", "")).startswith("Farmhand")


def install(folder: str) -> List[Action]:
    return [write_text(os.path.join(folder, FILE_NAME), package_text(), is_ours)]


def uninstall(folder: str) -> List[Action]:
    return [remove(os.path.join(folder, FILE_NAME), is_ours)]
