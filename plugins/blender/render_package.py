"""Writing a Blender job's render package: a copy of the open .blend, and its disk caches.

``save_as_mainfile(copy=True)`` writes the copy without touching the open file (its path and
unsaved state stay), remapping relative paths so they still find their files from the copy's
name. Point caches in their default folder are the exception: Blender looks for them in
``blendcache_<file name>/`` next to the .blend being rendered, so the copy gets its own
folder of hard links to the scene's cache files (no extra space; copied where a file system
has no hard links), which is what the dependency scan then uploads.
"""

import contextlib
import os
import shutil
from typing import Any

import bpy

from farmhand.core.host import HostError
from farmhand.plugins.blender.scan import point_cache_folder


def link_point_caches(blend_file: str, package: str) -> int:
    """Mirror ``blend_file``'s cache folder for ``package``; returns the number of files."""
    source = point_cache_folder(blend_file)
    if not os.path.isdir(source):
        return 0
    target = point_cache_folder(package)
    os.makedirs(target, exist_ok=True)
    count = 0
    for name in sorted(os.listdir(source)):
        path = os.path.join(source, name)
        if not os.path.isfile(path):
            continue
        linked = os.path.join(target, name)
        if os.path.lexists(linked):
            if os.path.samefile(path, linked):
                count += 1
                continue
            os.remove(linked)
        try:
            os.link(path, linked)
        except OSError:
            shutil.copy2(path, linked)
        count += 1
    return count


def _window_context() -> Any:
    """A context with a window for the save operator when called from a timer (the Qt
    submitter runs in one), where Blender's context has none; as it is otherwise."""
    window_manager = bpy.context.window_manager
    if (
        bpy.context.window is None
        and window_manager is not None
        and window_manager.windows
        and hasattr(bpy.context, "temp_override")
    ):
        return bpy.context.temp_override(window=window_manager.windows[0])
    return contextlib.nullcontext()


def save_render_package(path: str) -> None:
    """Write the open .blend's copy to ``path`` (see the module docstring)."""
    scene_file = bpy.data.filepath
    if not scene_file:
        raise HostError("save the .blend first (the render package is written next to it)", "scene")
    folder = os.path.dirname(path)
    if folder:
        os.makedirs(folder, exist_ok=True)
    with _window_context():
        result = bpy.ops.wm.save_as_mainfile(
            filepath=path, copy=True, relative_remap=True, check_existing=False
        )
    if "FINISHED" not in result or not os.path.isfile(path):
        raise HostError(
            "Blender could not write the render package {}".format(path), "render_package"
        )
    link_point_caches(scene_file, path)
