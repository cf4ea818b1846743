"""The Maya adapter: the open scene behind the host-adapter contract.

Jobs are ``network`` nodes (``job_node``); what they render comes from ``layers``, the files
the scene reads from ``scan``, the command from ``render_command``, versions from
``software``. The render package is the scene exported whole (references kept as references)
next to it: the open scene keeps its name and its unsaved state.
"""

import os
from typing import Any, List, Optional

from maya import cmds

from farmhand.core.deps import FileReference
from farmhand.core.frames import FrameSpec
from farmhand.core.host import DetectedPackage, HostAdapter, HostError, JobNode, SceneOutputs
from farmhand.plugins.maya import layers, scan
from farmhand.plugins.maya.job_node import (
    DEFAULT_NAME,
    NODE_TYPE,
    MayaJobNode,
    add_attributes,
    is_job_node,
)
from farmhand.plugins.maya.paths import images_folder, project_root
from farmhand.plugins.maya.render_command import render_command
from farmhand.plugins.maya.software import current_renderer, scene_software

FILE_TYPES = {".ma": "mayaAscii", ".mb": "mayaBinary"}


def _as_maya_node(node: JobNode) -> MayaJobNode:
    if not isinstance(node, MayaJobNode):
        raise HostError("{!r} is not a Maya job node".format(node), "job node")
    return node


class MayaAdapter(HostAdapter):
    name = "maya"
    node_type = "farmhandJob"

    # the scene ---------------------------------------------------------------------------
    def scene_file(self) -> str:
        path = str(cmds.file(query=True, sceneName=True) or "")
        return os.path.normpath(path) if path else ""

    def project_dir(self) -> str:
        return project_root()

    def frame_range(self) -> str:
        """The render settings' frames (the current frame when animation is off)."""
        globals_node = "defaultRenderGlobals"
        if not cmds.getAttr(globals_node + ".animation"):
            current: Any = cmds.currentTime  # the stubs lack its query form
            return str(int(round(float(current(query=True)))))
        start = int(round(float(cmds.getAttr(globals_node + ".startFrame"))))
        end = int(round(float(cmds.getAttr(globals_node + ".endFrame"))))
        step = int(round(float(cmds.getAttr(globals_node + ".byFrameStep") or 1)))
        text = "{}-{}".format(start, end) if end != start else str(start)
        return text + ("x{}".format(step) if step > 1 and end != start else "")

    def software(self) -> List[DetectedPackage]:
        return scene_software()

    def file_references(self, frames: Optional[FrameSpec] = None) -> List[FileReference]:
        return scan.scene_file_references()

    def outputs(self, node: JobNode) -> SceneOutputs:
        """Sources are ``layer/camera`` pairs: each is one image sequence the job writes."""
        job = _as_maya_node(node)
        chosen = layers.chosen_layers(job.render_layers())
        cameras = (
            [layers.check_camera(job.camera())] if job.camera() else (layers.renderable_cameras())
        )
        sources = ["{}/{}".format(layer, camera) for layer in chosen for camera in cameras]
        return SceneOutputs(sources, [images_folder()])

    def save_render_package(self, path: str) -> None:
        extension = os.path.splitext(path)[1].lower()
        file_type = FILE_TYPES.get(extension)
        if file_type is None:
            raise HostError(
                "the render package {} must be a .ma or .mb file".format(path), "render_package"
            )
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        cmds.file(path, exportAll=True, preserveReferences=True, type=file_type, force=True)
        if not os.path.isfile(path):
            raise HostError(
                "Maya did not write the render package {}".format(path), "render_package"
            )

    # job nodes ---------------------------------------------------------------------------
    def job_nodes(self) -> List[JobNode]:
        return [MayaJobNode(node) for node in cmds.ls(type=NODE_TYPE) or [] if is_job_node(node)]

    def create_job_node(self, name: str = "") -> JobNode:
        node = cmds.createNode(NODE_TYPE, name=name or DEFAULT_NAME, skipSelect=True)
        try:
            add_attributes(node)
        except Exception:
            cmds.delete(node)  # no half-made job node left behind
            raise
        return MayaJobNode(node)

    def default_task_template(self, node: JobNode) -> str:
        job = _as_maya_node(node)
        named = layers.chosen_layers(job.render_layers()) if job.render_layers() else []
        camera = layers.check_camera(job.camera()) if job.camera() else ""
        return render_command(current_renderer(), named, camera)

    # Maya's own ways ----------------------------------------------------------------------
    def new_layer_jobs(self, names: List[str]) -> List[JobNode]:
        """A new job for each of the layers ``names`` (``current`` for the current layer;
        none: one per renderable layer), each rendering only its layer."""
        chosen = layers.chosen_layers(names)
        created: List[JobNode] = []
        for layer in chosen:
            node = self.create_job_node("farmhandJob_{}".format(layer))
            _as_maya_node(node).set_render_layers([layer])
            node.write_settings(self.default_settings(node))
            created.append(node)
        return created
