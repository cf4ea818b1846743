"""The software a Maya scene needs: Maya, and the plug-in of its renderer.

Maya's version comes from ``about(apiVersion)`` (``20220300`` is 2022.3), the number
``Render -version`` prints and the local farm's catalogue lists. A renderer plug-in is named
as Conductor-compatible catalogues name it (``arnold-maya``...) with the plug-in's version,
as a plug-in of this Maya.
"""

from typing import Dict, List, Optional, Tuple

from maya import cmds

from farmhand.core.host import DetectedPackage

# Maya's renderer name -> (plug-in, catalogue product)
RENDERER_PLUGINS: Dict[str, Tuple[str, str]] = {
    "arnold": ("mtoa", "arnold-maya"),
    "redshift": ("redshift4maya", "redshift-maya"),
    "vray": ("vrayformaya", "v-ray-maya"),
    "renderman": ("RenderMan_for_Maya", "renderman-maya"),
}


def maya_version() -> str:
    """``2022.3`` from API version ``20220300`` (``2022.3.1`` from ``20220301``)."""
    api = int(str(cmds.about(apiVersion=True)))
    major, minor, patch = api // 10000, (api // 100) % 100, api % 100
    parts = [str(major), str(minor)] + ([str(patch)] if patch else [])
    return ".".join(parts)


def current_renderer() -> str:
    return str(cmds.getAttr("defaultRenderGlobals.currentRenderer") or "mayaSoftware")


def plugin_loaded(plugin: str) -> bool:
    return bool(cmds.pluginInfo(plugin, query=True, loaded=True))


def renderer_package(renderer: str, host_version: str) -> Optional[DetectedPackage]:
    known = RENDERER_PLUGINS.get(renderer)
    if known is None or not plugin_loaded(known[0]):
        return None
    version = str(cmds.pluginInfo(known[0], query=True, version=True) or "")
    return DetectedPackage(known[1], version or "0", "maya", host_version)


def scene_software() -> List[DetectedPackage]:
    version = maya_version()
    found = [DetectedPackage("maya", version)]
    plugin = renderer_package(current_renderer(), version)
    if plugin is not None:
        found.append(plugin)
    return found
