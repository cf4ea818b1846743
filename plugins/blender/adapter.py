"""The Blender adapter: one scene of the open .blend behind the host-adapter contract.

Jobs live on the scene (``properties``), the render package is a copy of the .blend
(``render_package``), the files it reads come from ``scan``, the command from
``render_command``, the versions from ``software``.
"""

import os
from typing import Any, List, Optional

import bpy

from farmhand.core.deps import FileReference
from farmhand.core.frames import FrameSpec
from farmhand.core.host import HostAdapter, HostError, JobNode, SceneOutputs
from farmhand.core.job.context import HostContext
from farmhand.plugins.blender import render_package, scan
from farmhand.plugins.blender.job_node import BlenderJobNode
from farmhand.plugins.blender.render_command import output_directories, render_command
from farmhand.plugins.blender.software import scene_software

DEFAULT_JOB_NAME = "FarmhandJob"


class BlenderAdapter(HostAdapter):
    name = "blender"
    node_type = "Farmhand job"

    def __init__(self, scene_name: str = "") -> None:
        """The adapter of scene ``scene_name`` (default: the context's scene, looked up now
        and kept by name)."""
        self.scene_name = scene_name or bpy.context.scene.name
        self._rendered_blend = ""

    def scene(self) -> Any:
        scene = bpy.data.scenes.get(self.scene_name)
        if scene is None:
            raise HostError("the scene {!r} is gone".format(self.scene_name), "scene")
        return scene

    # the scene ---------------------------------------------------------------------------
    def scene_file(self) -> str:
        return os.path.abspath(bpy.data.filepath) if bpy.data.filepath else ""

    def frame_range(self) -> str:
        scene = self.scene()
        text = "{}-{}".format(scene.frame_start, scene.frame_end)
        if scene.frame_step > 1:
            text += "x{}".format(scene.frame_step)
        return text

    def software(self) -> List[Any]:
        return scene_software(self.scene())

    def file_references(self, frames: Optional[FrameSpec] = None) -> List[FileReference]:
        return scan.scene_file_references(frames, self._rendered_blend)

    def outputs(self, node: JobNode) -> SceneOutputs:
        scene = self.scene()
        layers = [layer.name for layer in scene.view_layers if layer.use]
        return SceneOutputs(layers, output_directories(scene))

    def save_render_package(self, path: str) -> None:
        render_package.save_render_package(path)

    def context(
        self,
        node: JobNode,
        render_package: str = "",
        catalogue: Any = None,
        frames: Optional[FrameSpec] = None,
    ) -> HostContext:
        """As for every host; the point caches are scanned where the package reads them."""
        self._rendered_blend = render_package
        try:
            return super().context(node, render_package, catalogue, frames)
        finally:
            self._rendered_blend = ""

    # job nodes ---------------------------------------------------------------------------
    def job_nodes(self) -> List[JobNode]:
        return [BlenderJobNode(self.scene_name, job.name) for job in self.scene().farmhand_jobs]

    def create_job_node(self, name: str = "") -> JobNode:
        jobs = self.scene().farmhand_jobs
        taken = {job.name for job in jobs}
        name = name or DEFAULT_JOB_NAME
        if name in taken:
            index = 1
            while "{}.{:03d}".format(name, index) in taken:
                index += 1
            name = "{}.{:03d}".format(name, index)
        job = jobs.add()
        job.name = name
        self.scene().farmhand_job_index = len(jobs) - 1
        return BlenderJobNode(self.scene_name, name)

    def remove_job_node(self, name: str) -> None:
        jobs = self.scene().farmhand_jobs
        index = jobs.find(name)
        if index < 0:
            self.job_node(name)  # raises, naming the jobs there are
        jobs.remove(index)
        scene = self.scene()
        scene.farmhand_job_index = min(scene.farmhand_job_index, max(len(jobs) - 1, 0))

    def default_task_template(self, node: JobNode) -> str:
        return render_command(self.scene())
