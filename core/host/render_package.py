"""Where a job's render package goes: the copy of the scene the farm renders.

The package is written next to the scene, not in a folder of its own, because hosts resolve
some relative paths against the scene's folder (Houdini's ``$HIP``, Blender's ``//``) and a
copy elsewhere would read other files. One package per job node, rewritten on each build, so
a preview and the submit that follows name the same file and folders do not fill up with
copies: ``shot010.blend`` with job ``FarmhandJob`` -> ``shot010_farmhand_FarmhandJob.blend``.
"""

import os
import re

from farmhand.core.host.errors import HostError

_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")


def render_package_path(scene_file: str, job_name: str) -> str:
    """The package path for ``job_name`` of ``scene_file`` (see the module docstring)."""
    if not scene_file:
        raise HostError(
            "the scene has never been saved; save it first (the render package is written "
            "next to it)",
            "scene",
        )
    folder, name = os.path.split(os.path.abspath(scene_file))
    stem, extension = os.path.splitext(name)
    safe_job = _UNSAFE.sub("_", job_name).strip("._") or "job"
    return os.path.join(folder, "{}_farmhand_{}{}".format(stem, safe_job, extension))
