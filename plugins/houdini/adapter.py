"""The open Houdini session behind the host-adapter contract (``farmhand.core.host``).

Job nodes are FarmhandJob ROPs (``farmhand::job``); what one renders is the ROPs wired into
its inputs (``rops``). The render package is the scene saved through
``hou.hipFile.saveAsBackup`` and moved next to the scene: unlike ``hipFile.save`` it leaves
the session's file name and its unsaved-changes state alone, and next to the scene ``$HIP``
still names the scene's folder, so relative paths read the same files on the farm.
ROPs wired into the job's ROPs render first, as their own tasks the job's tasks depend on
(``farmhand.core.host.source_dependencies``); a simulation among them (a Geometry ROP caching
a DOP network, or a ROP the job's parms list) is one task over the whole frame range
(``farmhand.plugins.houdini.simulations``).
"""

import os
import shutil
from typing import List, Optional

import hou

from farmhand.core.catalogue import Catalogue
from farmhand.core.deps import FileReference
from farmhand.core.frames import FrameSpec
from farmhand.core.host import DetectedPackage, HostAdapter, HostError, JobNode, SceneOutputs
from farmhand.core.host.source_dependencies import (
    DependentSource,
    build_with_dependencies,
    dependency_order,
)
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission
from farmhand.plugins.houdini.job_node import HoudiniJobNode
from farmhand.plugins.houdini.render_command import default_task_template
from farmhand.plugins.houdini.rops import input_rops, output_directory, rop_frames
from farmhand.plugins.houdini.scan import JOB_TYPE, scene_file_references
from farmhand.plugins.houdini.simulations import simulation_rops
from farmhand.plugins.houdini.software import job_software

ROP_NETWORK = "/out"


class HoudiniAdapter(HostAdapter):
    name = "houdini"
    node_type = "FarmhandJob ROP"

    # the scene -----------------------------------------------------------------------------
    def scene_file(self) -> str:
        if hou.hipFile.isNewFile():
            return ""
        return os.path.abspath(hou.hipFile.path())

    def frame_range(self) -> str:
        playbar = hou.playbar.frameRange()
        start, end = int(round(playbar[0])), int(round(playbar[1]))
        return str(FrameSpec.from_progressions([(start, max(start, end), 1)]))

    def node_frame_range(self, node: JobNode) -> str:
        """The union of the input ROPs' ranges; the playbar's range when nothing is wired."""
        rops = input_rops(self.rop(node))
        if not rops:
            return self.frame_range()
        frames = rop_frames(rops[0])
        return str(frames.union(*[rop_frames(rop) for rop in rops[1:]]))

    def software(self) -> List[DetectedPackage]:
        rops = []
        for node in self.job_nodes():
            rops.extend(input_rops(self.rop(node)))
        return job_software(rops)

    def file_references(self, frames: Optional[FrameSpec] = None) -> List[FileReference]:
        return scene_file_references()

    def outputs(self, node: JobNode) -> SceneOutputs:
        rops = input_rops(self.rop(node))
        directories: List[str] = []
        for rop in rops:
            directory = output_directory(rop)
            if directory and directory not in directories:
                directories.append(directory)
        return SceneOutputs([rop.path() for rop in rops], directories)

    def build(
        self,
        node: JobNode,
        settings: Optional[JobSettings] = None,
        catalogue: Optional[Catalogue] = None,
    ) -> Submission:
        """As every host builds; when a ROP the job renders has ROPs wired into it, or is a
        simulation, each ROP gets tasks of its own that depend on its inputs' tasks
        (``core.host.source_dependencies``), a simulation one task for every frame. Tasks
        the settings give, and upload-only jobs, are left as they are."""
        settings = settings if settings is not None else node.read_settings()
        order = dependency_order(input_rops(self.rop(node)), input_rops, _path_of, "input ROPs")
        if settings.tasks_data is not None or settings.upload_only:
            return super().build(node, settings, catalogue)
        simulations = simulation_rops(self.rop(node), [rop for rop, _ in order])
        if not simulations and not any(inputs for _, inputs in order):
            return super().build(node, settings, catalogue)
        job_frames = self.job_frames(settings, node)
        sources = [
            DependentSource(
                rop.path(),
                [source.path() for source in inputs],
                _frames_rendered(rop, job_frames),
                rop.path() in simulations,
            )
            for rop, inputs in order
        ]
        return build_with_dependencies(self, node, settings, catalogue, sources)

    def save_render_package(self, path: str) -> None:
        try:
            backup = hou.hipFile.saveAsBackup()
        except hou.OperationFailed as error:
            raise HostError(
                "could not save the render package: {}".format(error), "render package"
            ) from None
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        shutil.move(backup, path)

    # job nodes -----------------------------------------------------------------------------
    def rop(self, node: JobNode) -> "hou.OpNode":
        if not isinstance(node, HoudiniJobNode):
            raise HostError("{!r} is not a FarmhandJob ROP".format(node), "job node")
        return node.node()

    def job_nodes(self) -> List[JobNode]:
        node_type = hou.nodeType(hou.ropNodeTypeCategory(), JOB_TYPE)
        if node_type is None:
            raise HostError(
                "the FarmhandJob ROP type ({}) is not installed; is Farmhand's Houdini package "
                "loaded (startup/houdini/farmhand.json)?".format(JOB_TYPE),
                "job node",
            )
        instances = node_type.instances()  # type: ignore[attr-defined]
        return [HoudiniJobNode(node.path()) for node in sorted(instances, key=_path_of)]

    def create_job_node(self, name: str = "") -> JobNode:
        network = hou.node(ROP_NETWORK)
        if network is None:
            raise HostError("the scene has no {} network".format(ROP_NETWORK), "job node")
        created = network.createNode(JOB_TYPE, name or None)
        return HoudiniJobNode(created.path())

    def default_task_template(self, node: JobNode) -> str:
        return default_task_template()


def _path_of(node: "hou.OpNode") -> str:
    return node.path()


def _frames_rendered(rop: "hou.OpNode", job_frames: Optional[FrameSpec]) -> FrameSpec:
    """The frames ``rop`` renders: its own range, or every frame of the job for a ROP
    without one (a Merge), as the render command does."""
    if rop.parmTuple("f") is None and job_frames is not None:
        return job_frames
    return rop_frames(rop)
