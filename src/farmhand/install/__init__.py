"""``python -m farmhand.install maya|houdini|clarisse|blender``: register this Farmhand with a
host, the second of the two install steps (the first is ``pip install --target DIR farmhand``).

Each host module knows where its host looks and writes only what registers Farmhand there:
Maya's module file (``maya``), Houdini's package file (``houdini``), Clarisse's start-up
script entry (``clarisse``), Blender's add-on link (``blender``). Running it again changes
nothing; ``--uninstall`` takes the registration out; ``--dest`` writes to another folder of
the kind the host searches; a file Farmhand did not write is never replaced or removed.
"""

from types import ModuleType
from typing import Dict, List, Mapping, Optional

from farmhand.install import blender, clarisse, houdini, maya
from farmhand.install.files import Action
from farmhand.install.places import Places

HOSTS: Dict[str, ModuleType] = {
    "maya": maya,
    "houdini": houdini,
    "clarisse": clarisse,
    "blender": blender,
}


def register(
    host: str,
    dest: str = "",
    version: str = "",
    uninstall: bool = False,
    environ: Optional[Mapping[str, str]] = None,
    platform: Optional[str] = None,
) -> List[Action]:
    """Register (or with ``uninstall``, unregister) Farmhand with ``host``; returns what was
    done to which path. Raises ``InstallInputError`` for a bad choice, ``InstallError``
    naming a path that could not be written."""
    module = HOSTS[host]
    actions: List[Action] = []
    for folder in module.destinations(Places(environ, platform), dest, version):
        actions.extend(module.uninstall(folder) if uninstall else module.install(folder))
    return actions


__all__ = ["HOSTS", "Action", "register"]
