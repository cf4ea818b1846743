"""The software a Blender scene needs: Blender itself, and a render engine add-on if any.

The version is ``bpy.app.version_string`` (``3.4.1``), the number ``blender --version``
prints, which is what the local farm's catalogue lists for the Blender it found. Engines that
ship with Blender (Cycles, Eevee, Workbench) need nothing else; an engine from another add-on
is reported as a plug-in of this Blender, named by its add-on module, with the add-on's
``bl_info`` version.
"""

import sys
from typing import Any, List, Optional

import bpy

from farmhand.core.host import DetectedPackage

BUILT_IN_ENGINES = ("BLENDER_EEVEE", "BLENDER_EEVEE_NEXT", "BLENDER_WORKBENCH", "CYCLES")


def blender_version() -> str:
    return str(bpy.app.version_string).split(" ")[0]


def engine_addon(engine: str) -> Optional[DetectedPackage]:
    """The add-on that provides the render engine ``engine``, as a plug-in package."""
    if engine in BUILT_IN_ENGINES:
        return None
    for cls in bpy.types.RenderEngine.__subclasses__():
        if getattr(cls, "bl_idname", None) != engine:
            continue
        module_name = cls.__module__.split(".")[0]
        module: Any = sys.modules.get(module_name)
        info = getattr(module, "bl_info", {}) or {}
        version = ".".join(str(part) for part in info.get("version", ()))
        return DetectedPackage(module_name, version or "0", "blender", blender_version())
    return None


def scene_software(scene: Any) -> List[DetectedPackage]:
    found = [DetectedPackage("blender", blender_version())]
    addon = engine_addon(scene.render.engine)
    if addon is not None:
        found.append(addon)
    return found
