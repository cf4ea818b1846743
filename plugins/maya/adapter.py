"""The Maya adapter: the open scene behind the host-adapter contract.

Jobs are ``farmhandJob`` nodes (``node_type``, ``job_node``); what they render comes from
``layers``, the files the scene reads from ``scan``, the command from ``render_command``,
versions from ``software``. The render package is the scene exported whole (references kept
as references) next to it: the open scene keeps its name and its unsaved state. A node set to
one job per layer is submitted as its layers' jobs (``layer_jobs``, ``build_jobs``), which
share one render package.

The task template a new job gets is recorded on the node; while the job's template is still
that one, it follows the scene (a new renderer, camera or layer mode gives a new command),
and once the artist edits it, it is theirs.
"""

import contextlib
import os
from dataclasses import replace
from typing import Any, Iterator, List, Optional

from maya import cmds

from farmhand.core.catalogue import Catalogue
from farmhand.core.deps import FileReference
from farmhand.core.frames import FrameSpec
from farmhand.core.host import DetectedPackage, HostAdapter, HostError, JobNode, SceneOutputs
from farmhand.core.host.render_package import render_package_path
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission
from farmhand.plugins.maya import layers, scan
from farmhand.plugins.maya.job_attributes import ALL_LAYERS, ONE_JOB_PER_LAYER
from farmhand.plugins.maya.job_node import MayaJobNode, MayaLayerJob
from farmhand.plugins.maya.node_type import TYPE_NAME
from farmhand.plugins.maya.paths import images_folder, project_root
from farmhand.plugins.maya.render_command import render_command
from farmhand.plugins.maya.software import current_renderer, scene_software

FILE_TYPES = {".ma": "mayaAscii", ".mb": "mayaBinary"}
DEFAULT_NAME = TYPE_NAME + "1"
PLUGIN = "farmhand_maya"


def as_maya_job(node: JobNode) -> MayaJobNode:
    if not isinstance(node, MayaJobNode):
        raise HostError("{!r} is not a Maya job node".format(node), "job node")
    return node


def require_node_type() -> None:
    """``HostError`` saying how to load the plug-in when the node type is not registered."""
    if not cmds.nodeType(TYPE_NAME, isTypeName=True):
        raise HostError(
            "the {} node type is not registered; load Farmhand's plug-in: Windows > "
            "Settings/Preferences > Plug-in Manager > {}.py, or cmds.loadPlugin({!r})".format(
                TYPE_NAME, PLUGIN, PLUGIN
            ),
            "job node",
        )


class MayaAdapter(HostAdapter):
    name = "maya"
    node_type = TYPE_NAME

    def __init__(self) -> None:
        self._sharing_package = False  # set while one package serves a node's layers' jobs
        self._written_package = ""

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

    def job_layers(self, node: JobNode) -> List[str]:
        """The render layers ``node``'s job renders (a layer job: its one layer)."""
        job = as_maya_job(node)
        if isinstance(job, MayaLayerJob):
            return [job.layer]
        return layers.job_layers(job.layer_mode())

    def outputs(self, node: JobNode) -> SceneOutputs:
        """Sources are the render layers: what ``-rl <sources>`` renders."""
        job = as_maya_job(node)
        if job.camera():
            layers.check_camera(job.camera())
        return SceneOutputs(self.job_layers(job), [images_folder()])

    def save_render_package(self, path: str) -> None:
        extension = os.path.splitext(path)[1].lower()
        file_type = FILE_TYPES.get(extension)
        if file_type is None:
            raise HostError(
                "the render package {} must be a .ma or .mb file".format(path), "render_package"
            )
        if self._sharing_package and path == self._written_package and os.path.isfile(path):
            return  # another layer's job of the same node wrote it a moment ago
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        cmds.file(path, exportAll=True, preserveReferences=True, type=file_type, force=True)
        if not os.path.isfile(path):
            raise HostError(
                "Maya did not write the render package {}".format(path), "render_package"
            )
        if self._sharing_package:
            self._written_package = path

    def render_package_path(self, node: JobNode) -> str:
        """The node's package: its layers' jobs render the same scene."""
        return render_package_path(self.scene_file(), as_maya_job(node).node)

    # job nodes ---------------------------------------------------------------------------
    def job_nodes(self) -> List[JobNode]:
        require_node_type()
        return [MayaJobNode(node) for node in cmds.ls(type=TYPE_NAME) or []]

    def create_job_node(self, name: str = "") -> JobNode:
        require_node_type()
        node = cmds.createNode(TYPE_NAME, name=name or DEFAULT_NAME, skipSelect=True)
        return MayaJobNode(node)

    def new_job(self, name: str = "", layer_mode: str = ALL_LAYERS) -> JobNode:
        """A new job rendering ``layer_mode``'s layers, with its defaults stored; no job is
        left behind when they cannot be worked out (no renderable layer, say)."""
        node = self.create_job_node(name)
        job = as_maya_job(node)
        try:
            job.set_layer_mode(layer_mode)
            settings = self.default_settings(job)
            job.write_settings(settings)
            job.set_default_template(settings.task_template)
        except Exception:
            cmds.delete(job.node)
            raise
        return job

    def default_task_template(self, node: JobNode) -> str:
        job = as_maya_job(node)
        camera = layers.check_camera(job.camera()) if job.camera() else ""
        mode = ONE_JOB_PER_LAYER if isinstance(job, MayaLayerJob) else job.layer_mode()
        return render_command(current_renderer(), mode, camera)

    def default_settings(self, node: JobNode) -> JobSettings:
        """As for every host, but for a one-job-per-layer node: the first layer's job tells
        the command and the output folder."""
        job = as_maya_job(node)
        if job.layer_mode() == ONE_JOB_PER_LAYER and not isinstance(job, MayaLayerJob):
            job = self.layer_jobs(job)[0]
        return super().default_settings(job)

    # the template that follows the scene ----------------------------------------------------
    def follow_template(self, node: JobNode, settings: JobSettings) -> JobSettings:
        """``settings`` with the scene's current default command when their template is
        still one Farmhand wrote (see the module docstring)."""
        job = as_maya_job(node)
        recorded = job.default_template()
        current = self.default_task_template(job)
        if settings.task_template in (recorded, current) and settings.task_template != current:
            return replace(settings, task_template=current)
        return settings

    def refresh_template(self, node: JobNode) -> None:
        """Bring the node's own untouched template up to date (before a window shows it)."""
        job = as_maya_job(node)
        if isinstance(job, MayaLayerJob):
            job = MayaJobNode(job.node)
        settings = job.read_settings()
        followed = self.follow_template(job, settings)
        if followed.task_template != settings.task_template:
            job.write_settings(followed)
            job.set_default_template(followed.task_template)

    # one job per layer ----------------------------------------------------------------------
    def layer_jobs(self, node: JobNode) -> List[MayaJobNode]:
        """The jobs ``node`` is submitted as: one per renderable layer for a one-job-per-layer
        node, else the node itself."""
        job = as_maya_job(node)
        if isinstance(job, MayaLayerJob) or job.layer_mode() != ONE_JOB_PER_LAYER:
            return [job]
        return [MayaLayerJob(job.node, layer) for layer in layers.job_layers(ONE_JOB_PER_LAYER)]

    @contextlib.contextmanager
    def one_package(self) -> Iterator[None]:
        """Within this, the jobs of one node write its render package once."""
        self._sharing_package, self._written_package = True, ""
        try:
            yield
        finally:
            self._sharing_package, self._written_package = False, ""

    def build(
        self,
        node: JobNode,
        settings: Optional[JobSettings] = None,
        catalogue: Optional[Catalogue] = None,
    ) -> Submission:
        """As for every host, with the template following the scene; a one-job-per-layer node
        is built through its layers' jobs (``build_jobs``)."""
        job = as_maya_job(node)
        if job.layer_mode() == ONE_JOB_PER_LAYER and not isinstance(job, MayaLayerJob):
            raise HostError(
                "{} renders one job per render layer; build or submit its layers' jobs "
                "({})".format(job.node, ", ".join(j.name for j in self.layer_jobs(job))),
                "renderLayerMode",
            )
        if settings is None:
            self.refresh_template(job)
            settings = job.read_settings()
        return super().build(job, self.follow_template(job, settings), catalogue)

    def build_jobs(
        self,
        node: JobNode,
        settings: Optional[JobSettings] = None,
        catalogue: Optional[Catalogue] = None,
    ) -> List[Submission]:
        """Every job ``node`` is submitted as (see ``layer_jobs``), built with one package."""
        with self.one_package():
            return [self.build(job, settings, catalogue) for job in self.layer_jobs(node)]
