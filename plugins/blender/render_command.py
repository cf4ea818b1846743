"""The command a farm task runs to render a chunk of a Blender job, and where it writes.

``blender -b <render_package> -S <scene> -o <output> -E <engine> -F <format>
-s <chunkstart> -e <chunkend> -j <chunkstep> -a``: the package the submitter saved, the job's
scene, its output path made absolute (Blender appends the frame number when the path has no
``#``), its render engine and image format, then the chunk. Options come before ``-a``,
because Blender applies its arguments in order.
"""

import os
import shlex
from typing import Any, List

import bpy

# Formats Blender's -F option takes (a movie format is written by the scene itself).
CLI_FORMATS = (
    "TGA",
    "RAWTGA",
    "JPEG",
    "IRIS",
    "IRIZ",
    "AVIRAW",
    "AVIJPEG",
    "PNG",
    "BMP",
    "HDR",
    "TIFF",
    "OPEN_EXR",
    "OPEN_EXR_MULTILAYER",
    "MPEG",
    "CINEON",
    "DPX",
    "DDS",
    "JP2",
    "WEBP",
)
MOVIE_FORMATS = ("FFMPEG", "AVI_JPEG", "AVI_RAW")


def output_pattern(scene: Any) -> str:
    """The scene's output path, absolute (``//`` resolved against the .blend)."""
    path = scene.render.filepath or "//"
    absolute = str(bpy.path.abspath(path))
    if path.endswith(("/", "\\")) or absolute.endswith(os.sep):
        return os.path.join(os.path.normpath(absolute), "")
    return os.path.normpath(absolute)


def output_directories(scene: Any) -> List[str]:
    """The folders the scene writes to: its output folder, then any File Output nodes'."""
    folders = [os.path.dirname(output_pattern(scene)) or os.sep]
    if scene.use_nodes and scene.node_tree is not None:
        for node in scene.node_tree.nodes:
            if node.bl_idname == "CompositorNodeOutputFile" and not node.mute:
                base = os.path.normpath(bpy.path.abspath(node.base_path))
                folder = base if node.base_path.endswith(("/", "\\")) else os.path.dirname(base)
                if folder not in folders:
                    folders.append(folder)
    return folders


def render_command(scene: Any) -> str:
    """The task template for ``scene`` (see the module docstring)."""
    parts = [
        "blender -b <render_package>",
        "-S " + shlex.quote(scene.name),
        "-o " + shlex.quote(output_pattern(scene)),
        "-E " + shlex.quote(scene.render.engine),
    ]
    file_format = scene.render.image_settings.file_format
    if file_format in CLI_FORMATS:
        parts.append("-F " + file_format)
    parts.append("-s <chunkstart> -e <chunkend> -j <chunkstep> -a")
    return " ".join(parts)
