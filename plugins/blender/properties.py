"""Where Blender keeps the jobs: a collection of ``FarmhandJob`` property groups on the scene.

Each job keeps every setting as JSON in ``farmhand_settings`` (saved in the .blend, kept by
Blender even when the add-on is not loaded), and the settings the Render properties panel
shows as properties of their own, so they can be edited, animated-off and undone like any
Blender property. Several jobs per scene; ``farmhand_job_index`` is the one the panel shows.
"""

from typing import Any

import bpy
from bpy.props import BoolProperty, CollectionProperty, IntProperty, StringProperty

from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE

# JobSettings fields the panel shows, each a property of the same name.
PANEL_FIELDS = (
    "job_title",
    "project",
    "instance_type",
    "use_custom_frames",
    "frames",
    "chunk_size",
    "use_scout_frames",
    "scout_frames",
    "output_path",
    "task_template",
)


class FarmhandJob(bpy.types.PropertyGroup):
    """One job of the scene (``name`` is the job's name: ``<job>``)."""

    __annotations__ = {
        SETTINGS_ATTRIBUTE: StringProperty(
            name="Settings", description="Every job setting, as JSON (written by Farmhand)"
        ),
        "job_title": StringProperty(name="Title", description="The job's title on the farm"),
        "project": StringProperty(name="Project", description="The farm project to bill"),
        "instance_type": StringProperty(
            name="Instance type", description="The machine shape each task runs on"
        ),
        "use_custom_frames": BoolProperty(
            name="Custom frames", description="Render the frames below, not the scene's range"
        ),
        "frames": StringProperty(name="Frames", description="Frames to render, e.g. 1-100x2,120"),
        "chunk_size": IntProperty(
            name="Chunk size", description="Frames rendered by each task", soft_min=1
        ),
        "use_scout_frames": BoolProperty(
            name="Scout frames", description="Render these frames first, hold the rest"
        ),
        "scout_frames": StringProperty(name="Scouts", description="e.g. 1,50,100 or auto:3"),
        "output_path": StringProperty(
            name="Output", description="The folder the farm collects rendered images from"
        ),
        "task_template": StringProperty(
            name="Command", description="The command each task runs (<chunkstart>... tokens)"
        ),
    }


CLASSES = (FarmhandJob,)


def register() -> None:
    """All or nothing: a failure unregisters what was done (``addon.register`` reports it)."""
    for cls in CLASSES:
        bpy.utils.register_class(cls)
    try:
        bpy.types.Scene.farmhand_jobs = CollectionProperty(
            type=FarmhandJob, name="Farmhand jobs"
        )
        bpy.types.Scene.farmhand_job_index = IntProperty(name="Farmhand job", default=0, min=0)
    except Exception:
        unregister()
        raise


def unregister() -> None:
    """Removes what is registered, skipping what is not (after a failed registration)."""
    for name in ("farmhand_job_index", "farmhand_jobs"):
        if hasattr(bpy.types.Scene, name):
            delattr(bpy.types.Scene, name)
    for cls in reversed(CLASSES):
        unregister_class(cls)


def unregister_class(cls: Any) -> None:
    """``bpy.utils.unregister_class``, for a class that is registered."""
    if getattr(cls, "is_registered", False):
        bpy.utils.unregister_class(cls)
