"""Render layers and cameras: what a Maya job renders.

Render Setup layers are ``renderLayer`` nodes too (``rs_<name>``), so one listing serves
both systems: every layer that is renderable and belongs to this scene (a referenced scene's
layers cannot be made current, so they cannot be rendered from here).
"""

from typing import List

from maya import cmds

from farmhand.core.host import HostError

MASTER_LAYER = "defaultRenderLayer"


def renderable_layers() -> List[str]:
    layers = []
    for layer in cmds.ls(type="renderLayer") or []:
        if cmds.referenceQuery(layer, isNodeReferenced=True):
            continue
        if cmds.getAttr(layer + ".renderable"):
            layers.append(layer)
    return layers


def current_layer() -> str:
    return str(cmds.editRenderLayerGlobals(query=True, currentRenderLayer=True))


def renderable_cameras() -> List[str]:
    """Camera transforms whose shape is renderable, in scene order."""
    cameras = []
    for shape in cmds.ls(type="camera") or []:
        if cmds.getAttr(shape + ".renderable"):
            parents = cmds.listRelatives(shape, parent=True) or [shape]
            cameras.append(parents[0])
    return cameras


def chosen_layers(names: List[str]) -> List[str]:
    """The layers a job renders: ``names`` checked against the scene, or every renderable
    layer when ``names`` is empty; ``current`` stands for the current layer."""
    if not names:
        layers = renderable_layers()
        if not layers:
            raise HostError(
                "no render layer of this scene is renderable; make one renderable or name "
                "one in renderLayers",
                "renderLayers",
            )
        return layers
    known = cmds.ls(type="renderLayer") or []
    chosen = []
    for name in names:
        layer = current_layer() if name == "current" else name
        if layer not in known:
            raise HostError(
                "unknown render layer {!r}; this scene's layers: {} (or current)".format(
                    name, ", ".join(known) or "(none)"
                ),
                "renderLayers",
            )
        if layer not in chosen:
            chosen.append(layer)
    return chosen


def check_camera(camera: str) -> str:
    """``camera`` if the scene has it (a transform or shape of type camera)."""
    cameras = cmds.ls(type="camera") or []
    transforms = [(cmds.listRelatives(shape, parent=True) or [shape])[0] for shape in cameras]
    if camera not in cameras and camera not in transforms:
        raise HostError(
            "unknown camera {!r}; this scene's cameras: {}".format(
                camera, ", ".join(transforms) or "(none)"
            ),
            "camera",
        )
    return camera
