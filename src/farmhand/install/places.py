"""Where hosts look for what registers a plug-in, per platform, as each host documents it.

Read from an environment mapping and a platform name (``sys.platform``'s), never from the
process directly, so every platform's places are checked on any machine. A host with one
user folder per version (Houdini, Clarisse, Blender) gets every version folder that exists,
or the one ``--version`` names.
"""

import os
import re
import sys
from typing import List, Mapping, Optional, Tuple

_VERSION = re.compile(r"\d+\.\d+")


class Places(object):
    def __init__(
        self, environ: Optional[Mapping[str, str]] = None, platform: Optional[str] = None
    ) -> None:
        self.environ = os.environ if environ is None else environ
        self.platform = platform or sys.platform

    @property
    def windows(self) -> bool:
        return self.platform.startswith("win")

    @property
    def mac(self) -> bool:
        return self.platform == "darwin"

    def home(self) -> str:
        names = ("USERPROFILE", "HOME") if self.windows else ("HOME",)
        for name in names:
            if self.environ.get(name):
                return self.environ[name]
        return os.path.expanduser("~")

    def join(self, *parts: str) -> str:
        return os.path.join(*parts)

    def documents(self) -> str:
        return self.join(self.home(), "Documents")

    def app_data(self) -> str:
        """Windows' roaming application data folder."""
        return self.environ.get("APPDATA") or self.join(self.home(), "AppData", "Roaming")

    def config_home(self) -> str:
        """The XDG configuration folder (Linux)."""
        return self.environ.get("XDG_CONFIG_HOME") or self.join(self.home(), ".config")


def version_folders(parent: str, prefix: str = "") -> List[Tuple[str, str]]:
    """``(version, folder)`` for each ``<prefix>X.Y`` folder in ``parent``, oldest first."""
    try:
        names = os.listdir(parent)
    except OSError:
        return []
    found = []
    for name in names:
        if name.startswith(prefix) and _VERSION.fullmatch(name[len(prefix) :]):
            folder = os.path.join(parent, name)
            if os.path.isdir(folder):
                found.append((name[len(prefix) :], folder))
    return sorted(found, key=lambda item: tuple(int(p) for p in item[0].split(".")))


def check_version(version: str) -> str:
    """``version`` if it is ``X.Y``; the caller turns the None into its error."""
    return version if _VERSION.fullmatch(version) else ""
