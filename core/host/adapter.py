"""The host adapter: everything Farmhand asks of a host, as one small abstract class.

A host plugin subclasses ``HostAdapter`` and answers questions about the open scene with
plain data: its file, its frame range, the software it needs, the files it reads, what it
renders and where, its job nodes. Everything else (the job model, uploads, the payload, the
submitter) is shared and lives in core and shared_ui, so a host plugin only reads its scene
and writes its nodes. ``context()`` and ``build()`` are the same for every host.

What Houdini, Clarisse, Maya and Blender call a job node (a ROP, a scripted-class object, a
``network`` node, a property group) is a ``JobNode``; what each renders is ``SceneOutputs``
(images, render layers, ROPs or view layers, and their folders).
"""

import abc
import os
import tempfile
from dataclasses import replace
from typing import List, NamedTuple, Optional

from farmhand.core.catalogue import Catalogue
from farmhand.core.deps import FileReference
from farmhand.core.errors import InputError
from farmhand.core.frames import FrameSpec
from farmhand.core.host.errors import unknown_node
from farmhand.core.host.job_node import JobNode
from farmhand.core.host.render_package import render_package_path
from farmhand.core.host.software import DetectedPackage, match_packages
from farmhand.core.job.build import build_submission
from farmhand.core.job.context import HostContext
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission


class SceneOutputs(NamedTuple):
    """What a job renders (``<sources>``) and the folders it writes to (``<directories>``)."""

    sources: List[str]
    directories: List[str]


class HostAdapter(abc.ABC):
    """One open scene of one host, seen through the questions Farmhand asks.

    Subclasses implement the abstract methods; the rest are shared. Every answer is read when
    asked (the artist changes the scene while the submitter is open).
    """

    #: The host product as a farm's catalogue spells it (``blender``, ``maya``...).
    name = ""
    #: What the host calls a job node, for messages (``FarmhandJob``, ``farmhandJob``...).
    node_type = "FarmhandJob"

    # the scene ---------------------------------------------------------------------------
    @abc.abstractmethod
    def scene_file(self) -> str:
        """The open scene's absolute path; empty when it was never saved."""

    @abc.abstractmethod
    def frame_range(self) -> str:
        """The scene's frame range as a frame spec (``1-100``), used when a job does not set
        custom frames."""

    def node_frame_range(self, node: JobNode) -> str:
        """The frames ``node``'s job renders when it does not set custom frames: the scene's
        frame range, unless what the node renders has ranges of its own (Clarisse images,
        Houdini ROPs), whose union a host returns here."""
        return self.frame_range()

    @abc.abstractmethod
    def software(self) -> List[DetectedPackage]:
        """The host and the renderer plug-ins the scene needs."""

    @abc.abstractmethod
    def file_references(self, frames: Optional[FrameSpec] = None) -> List[FileReference]:
        """Every file the scene reads, with frame placeholders (``####``, ``$F4``) and
        offsets for sequences; tile patterns already expanded (``path_patterns``).

        ``frames`` are the frames the job renders, when known: a sequence that holds, loops
        or stops within them (Blender's image users, Houdini's ``$F`` with a clamp) cannot be
        told by a pattern and an offset, so the host names the files those frames read."""

    @abc.abstractmethod
    def outputs(self, node: JobNode) -> SceneOutputs:
        """What ``node``'s job renders and where (images, layers, ROPs; their folders)."""

    @abc.abstractmethod
    def save_render_package(self, path: str) -> None:
        """Write a copy of the scene to ``path`` for the farm to render; the open scene, its
        file name and its modified state stay as they were."""

    def project_dir(self) -> str:
        """The project folder (``<pdir>``): the scene's folder unless the host has projects."""
        scene = self.scene_file()
        return os.path.dirname(scene) if scene else ""

    def temp_dir(self) -> str:
        return tempfile.gettempdir()

    # job nodes ---------------------------------------------------------------------------
    @abc.abstractmethod
    def job_nodes(self) -> List[JobNode]:
        """The scene's job nodes, in the order the host lists them."""

    @abc.abstractmethod
    def create_job_node(self, name: str = "") -> JobNode:
        """A new, empty job node (named ``name`` or the host's next free default name)."""

    @abc.abstractmethod
    def default_task_template(self, node: JobNode) -> str:
        """The render command for ``node`` with ``<chunkstart>``-style tokens."""

    def job_node(self, name: str) -> JobNode:
        """The job node called ``name``; ``HostError`` listing the scene's job nodes if none."""
        nodes = self.job_nodes()
        for node in nodes:
            if node.name == name:
                return node
        raise unknown_node(name, self.node_type, [n.name for n in nodes])

    def default_settings(self, node: JobNode) -> JobSettings:
        """What a new job node starts with: the scene's own frames, its render command, its
        first output folder."""
        outputs = self.outputs(node)
        return JobSettings(
            use_custom_frames=False,
            frames=self.node_frame_range(node),
            task_template=self.default_task_template(node),
            output_path=outputs.directories[0] if outputs.directories else "",
        )

    def new_job(self, name: str = "") -> JobNode:
        """Create a job node and store its default settings in it."""
        node = self.create_job_node(name)
        node.write_settings(self.default_settings(node))
        return node

    # what the job model gets -------------------------------------------------------------
    def render_package_path(self, node: JobNode) -> str:
        return render_package_path(self.scene_file(), node.name)

    def detect_package_ids(self, catalogue: Optional[Catalogue]) -> List[str]:
        """Ids of the catalogue's packages for this scene's software (empty without one)."""
        if catalogue is None:
            return []
        return match_packages(self.software(), catalogue)[0]

    def job_frames(
        self, settings: JobSettings, node: Optional[JobNode] = None
    ) -> Optional[FrameSpec]:
        """The frames ``settings`` render (``node``'s own range when given and custom frames
        are off), or None when they are not a plain frame spec (the job model reports why)."""
        if settings.tasks_data is not None:
            return None
        if settings.use_custom_frames:
            text = settings.frames
        else:
            text = self.node_frame_range(node) if node is not None else self.frame_range()
        try:
            return FrameSpec.parse(text)
        except InputError:
            return None

    def context(
        self,
        node: JobNode,
        render_package: str = "",
        catalogue: Optional[Catalogue] = None,
        frames: Optional[FrameSpec] = None,
    ) -> HostContext:
        """Everything the job model needs from the scene for ``node``, as plain data
        (``frames``: see ``file_references``)."""
        outputs = self.outputs(node)
        return HostContext(
            job_name=node.name,
            submitter=node.name,
            sources=list(outputs.sources),
            output_directories=list(outputs.directories),
            pdir=self.project_dir(),
            render_package=render_package,
            temp_dir=self.temp_dir(),
            frames=self.node_frame_range(node),
            software_package_ids=self.detect_package_ids(catalogue),
            file_references=self.file_references(frames),
        )

    def build(
        self,
        node: JobNode,
        settings: Optional[JobSettings] = None,
        catalogue: Optional[Catalogue] = None,
    ) -> Submission:
        """Save ``node``'s render package and build its submission (``settings`` default to
        the node's own). The package is written here, before the preview, so the preview
        lists the very file a submit uploads; it is always uploaded, whatever the
        dependency scan policy, since the farm cannot render without it."""
        settings = settings if settings is not None else node.read_settings()
        package = self.render_package_path(node)
        self.save_render_package(package)
        context = self.context(node, package, catalogue, self.job_frames(settings, node))
        return build_submission(with_upload(settings, package), context, catalogue)


def with_upload(settings: JobSettings, path: str) -> JobSettings:
    """``settings`` with ``path`` added to ``upload_paths`` (a copy; the node keeps its own)."""
    if path in settings.upload_paths:
        return settings
    return replace(settings, upload_paths=list(settings.upload_paths) + [path])
