"""Render layers and cameras: what a Maya job renders.

Render Setup layers are ``renderLayer`` nodes too (``rs_<name>``), so one listing serves
both systems: every layer that is renderable and belongs to this scene (a referenced scene's
layers cannot be made current, so they cannot be rendered from here). A job renders the
current layer, or every renderable layer, in one job or in one job per layer
(``job_attributes.LAYER_MODES``).
"""

from typing import List

from maya import cmds

from farmhand.core.host import HostError
from farmhand.plugins.maya.job_attributes import CURRENT_LAYER

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


def scene_cameras() -> List[str]:
    """Every camera transform, in scene order (what a job's ``camera`` may name)."""
    shapes = cmds.ls(type="camera") or []
    return [(cmds.listRelatives(shape, parent=True) or [shape])[0] for shape in shapes]


def job_layers(mode: str) -> List[str]:
    """The layers a job renders: the current one, or every renderable one (for ``all`` in
    one job, for ``perLayer`` one job each)."""
    if mode == CURRENT_LAYER:
        return [current_layer()]
    layers = renderable_layers()
    if not layers:
        raise HostError(
            "no render layer of this scene is renderable; make one renderable, or set the "
            "job to render the current layer",
            "renderLayerMode",
        )
    return layers


def check_camera(camera: str) -> str:
    """``camera`` if the scene has it (a transform or shape of type camera)."""
    cameras = cmds.ls(type="camera") or []
    transforms = scene_cameras()
    if camera not in cameras and camera not in transforms:
        raise HostError(
            "unknown camera {!r}; this scene's cameras: {}".format(
                camera, ", ".join(transforms) or "(none)"
            ),
            "camera",
        )
    return camera
