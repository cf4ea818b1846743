"""A Blender job: one ``FarmhandJob`` item of a scene's ``farmhand_jobs``.

The item is looked up by scene and job name on every access: Blender may reallocate its data
(undo, adding items), so a stored Python reference to it could point at freed memory.
"""

from typing import Any, Dict

import bpy

from farmhand.core.host import HostError, JobNode
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE
from farmhand.plugins.blender.properties import PANEL_FIELDS


class BlenderJobNode(JobNode):
    mirrored_fields = PANEL_FIELDS

    def __init__(self, scene_name: str, name: str) -> None:
        self.scene_name = scene_name
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    def item(self) -> Any:
        """The ``FarmhandJob`` property group, found now."""
        scene = bpy.data.scenes.get(self.scene_name)
        if scene is None:
            raise HostError("the scene {!r} is gone".format(self.scene_name), "scene")
        item = scene.farmhand_jobs.get(self._name)
        if item is None:
            raise HostError(
                "the scene {!r} has no Farmhand job {!r} any more; jobs: {}".format(
                    self.scene_name,
                    self._name,
                    ", ".join(repr(job.name) for job in scene.farmhand_jobs) or "(none)",
                ),
                "job node",
            )
        return item

    def read_text(self) -> str:
        return str(getattr(self.item(), SETTINGS_ATTRIBUTE))

    def write_text(self, text: str) -> None:
        setattr(self.item(), SETTINGS_ATTRIBUTE, text)

    def read_mirrored(self) -> Dict[str, Any]:
        item = self.item()
        if not getattr(item, SETTINGS_ATTRIBUTE):
            return {}  # never written: the panel's properties hold Blender's zeros, not settings
        return {field: getattr(item, field) for field in self.mirrored_fields}

    def write_mirrored(self, values: Dict[str, Any]) -> None:
        item = self.item()
        for field, value in values.items():
            setattr(item, field, value)
