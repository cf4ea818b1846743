"""The software a Houdini job needs: Houdini itself and the renderer plug-ins of its ROPs.

Houdini's version is ``hou.applicationVersionString()`` (``20.5.410``), what ``hython
--version`` prints and the local farm's catalogue lists. Mantra, Karma, OpenGL and the
geometry ROPs ship with Houdini and need nothing else; a third-party renderer's ROP is reported
as a plug-in of this Houdini, spelt as farm catalogues spell it (``redshift-houdini``...), with
the version read from the folder its node type was loaded from (plug-ins install into
versioned folders: ``htoa-6.2.1.0_...``, ``redshift/3.5.16/...``); ``0`` when none can be
read, so the package is reported missing and the artist picks one in the submitter.
"""

import re
from typing import List, Optional

import hou

from farmhand.core.host import DetectedPackage
from farmhand.plugins.houdini.rops import base_type_name

# ROP base type name -> (catalogue product, folder-name prefix before its version)
RENDERERS = {
    "Redshift_ROP": ("redshift-houdini", "redshift"),
    "arnold": ("arnold-houdini", "htoa"),
    "ris": ("renderman-houdini", "RenderManForHoudini"),
    "vray_renderer": ("vray-houdini", "vray"),
    "octane_rop": ("octane-houdini", "octane"),
}
_VERSION = r"(\d+(?:\.\d+)+)"


def houdini_version() -> str:
    return str(hou.applicationVersionString()).strip()


def version_in_path(path: str, prefix: str) -> str:
    """The version in the first folder of ``path`` named after ``prefix`` (``htoa-6.2.1.0``
    or ``redshift/3.5.16``), else ``""``."""
    pattern = re.compile(
        r"(?:^|[\\/])" + re.escape(prefix) + r"[^\\/\d]*" + _VERSION + r"|"
        r"(?:^|[\\/])" + re.escape(prefix) + r"[\\/]" + _VERSION,
        re.IGNORECASE,
    )
    match = pattern.search(path)
    if match is None:
        return ""
    return match.group(1) or match.group(2) or ""


def renderer_package(rop: "hou.OpNode") -> Optional[DetectedPackage]:
    """The plug-in ``rop`` renders with, or None for Houdini's own ROPs."""
    known = RENDERERS.get(base_type_name(rop))
    if known is None:
        return None
    product, prefix = known
    version = version_in_path(rop.type().sourcePath(), prefix)
    return DetectedPackage(product, version or "0", "houdini", houdini_version())


def job_software(rops: List["hou.OpNode"]) -> List[DetectedPackage]:
    found = [DetectedPackage("houdini", houdini_version())]
    for rop in rops:
        package = renderer_package(rop)
        if package is not None and package not in found:
            found.append(package)
    return found
