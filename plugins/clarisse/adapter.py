"""The open Clarisse project behind the host-adapter contract (``farmhand.core.host``).

Job nodes are FarmhandJob items (the scripted class ``job_class`` registers); what one renders
is the images of its ``images`` attribute (``images``). The render package is a render archive
(``.render``, ``export_render_archive``) next to the project: Clarisse writes into it every path
with its variables resolved and the contents of contexts that reference other projects, so the
farm needs neither. Clarisse renders only an image's own frames, so with custom frames on the
package is written while the images' ranges cover them (``images.covering_ranges``); the open
project's ranges are put back at once.
"""

import os
from typing import Any, List, Optional

import ix

from farmhand.core.catalogue import Catalogue
from farmhand.core.deps import FileReference
from farmhand.core.frames import FrameSpec
from farmhand.core.host import DetectedPackage, HostAdapter, HostError, JobNode, SceneOutputs
from farmhand.core.host.render_package import render_package_path
from farmhand.core.job.settings import JobSettings
from farmhand.core.job.submission import Submission
from farmhand.plugins.clarisse.images import (
    covering_ranges,
    images_frames,
    job_images,
    output_directory,
    unrenderable_images,
)
from farmhand.plugins.clarisse.job_node import CLASS_NAME, ClarisseJobNode
from farmhand.plugins.clarisse.paths import variable
from farmhand.plugins.clarisse.scan import project_file_references

RENDER_PACKAGE_EXTENSION = ".render"
TASK_TEMPLATE = (
    "cnode <render_package> -image <sources> -image_frames_list <chunks> "
    "-tile_rendering <tiles> <tile_number>"
)


def clarisse_version() -> str:
    """``5.0.SP10`` for Clarisse's ``5.0_SP10``: the dotted form farm catalogues list."""
    return str(ix.application.get_version_name()).strip().replace("_", ".").replace(" ", ".")


class ClarisseAdapter(HostAdapter):
    name = "clarisse"
    node_type = CLASS_NAME

    # the project ---------------------------------------------------------------------------
    def scene_file(self) -> str:
        path = str(ix.application.get_current_project_filename() or "")
        return os.path.abspath(path) if path else ""

    def project_dir(self) -> str:
        """``$PDIR``, Clarisse's project folder (the project file's folder)."""
        return variable("PDIR") or super().project_dir()

    def frame_range(self) -> str:
        start, end = ix.application.get_current_frame_range()[:2]
        first, last = int(round(start)), int(round(end))
        return str(FrameSpec.from_progressions([(first, max(first, last), 1)]))

    def node_frame_range(self, node: JobNode) -> str:
        """The union of the job's images' ranges; the project's range without images."""
        images = job_images(self.item(node))
        return str(images_frames(images)) if images else self.frame_range()

    def software(self) -> List[DetectedPackage]:
        return [DetectedPackage("clarisse", clarisse_version())]

    def file_references(self, frames: Optional[FrameSpec] = None) -> List[FileReference]:
        return project_file_references(self.project_dir())

    def outputs(self, node: JobNode) -> SceneOutputs:
        images = job_images(self.item(node))
        directories: List[str] = []
        for image in images:
            directory = output_directory(image, self.project_dir())
            if directory and directory not in directories:
                directories.append(directory)
        return SceneOutputs([str(image.get_full_name()) for image in images], directories)

    def render_package_path(self, node: JobNode) -> str:
        path = render_package_path(self.scene_file(), node.name)
        return os.path.splitext(path)[0] + RENDER_PACKAGE_EXTENSION

    def save_render_package(self, path: str) -> None:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        if not ix.application.export_render_archive(path):
            raise HostError(
                "Clarisse could not write the render archive {} (see its log)".format(path),
                "render package",
            )

    def build(
        self,
        node: JobNode,
        settings: Optional[JobSettings] = None,
        catalogue: Optional[Catalogue] = None,
    ) -> Submission:
        """As every host builds, but with custom frames the package is written while the
        images' ranges cover them (see the module docstring); an image that would render to
        no file is an error of the ``images`` attribute."""
        settings = settings if settings is not None else node.read_settings()
        images = job_images(self.item(node))
        frames = self.job_frames(settings, node) if settings.use_custom_frames else None
        if not frames:
            submission = super().build(node, settings, catalogue)
        else:
            with covering_ranges(images, frames):
                submission = super().build(node, settings, catalogue)
        for problem in unrenderable_images(images):
            submission.validation.error("images", problem)
        return submission

    # job nodes -----------------------------------------------------------------------------
    def item(self, node: JobNode) -> Any:
        if not isinstance(node, ClarisseJobNode):
            raise HostError("{!r} is not a FarmhandJob item".format(node), "job node")
        return node.item()

    def job_nodes(self) -> List[JobNode]:
        objects = ix.api.OfObjectArray()
        ix.application.get_factory().get_objects(CLASS_NAME, objects)
        names = sorted(str(item.get_full_name()) for item in objects)
        return [ClarisseJobNode(name) for name in names]

    def create_job_node(self, name: str = "") -> JobNode:
        context = ix.get_current_context()
        base = str(context.get_full_name()).rstrip("/")
        if not name:
            index = 1
            while ix.item_exists("{}/{}{}".format(base, CLASS_NAME, index)):
                index += 1
            name = "{}{}".format(CLASS_NAME, index)
        item = ix.create_object(name, CLASS_NAME, context)
        if item is None:
            raise HostError(
                "Clarisse could not create a {} named {!r} in {}; is the class registered "
                "(startup/clarisse/startup.py)?".format(CLASS_NAME, name, base),
                "job node",
            )
        return ClarisseJobNode(str(item.get_full_name()))

    def default_task_template(self, node: JobNode) -> str:
        return TASK_TEMPLATE
