"""A Maya job: a ``farmhandJob`` node (``node_type``), several per scene.

``farmhand_settings`` holds every setting as JSON; the settings artists edit most are
attributes of their own (``job_attributes``), shown and edited in the Attribute Editor, and
win over the JSON when read. ``renderLayerMode`` and ``camera`` say what the job renders.

A job whose mode is one job per layer is submitted as one job per renderable layer:
``MayaLayerJob`` is one of those, a view of the node that reads and writes the node's own
settings and renders only its layer.
"""

from typing import Any, Dict, List, Tuple

from maya import cmds

from farmhand.core.host import HostError, JobNode, JobNodeError
from farmhand.plugins.maya.job_attributes import (
    BOOL,
    BY_FIELD,
    CAMERA,
    DEFAULT_TEMPLATE,
    ENUM,
    LAYER_MODES,
    LONG,
    RENDER_LAYER_MODE,
    SETTINGS,
    STRING,
    JobAttribute,
)
from farmhand.plugins.maya.node_type import TYPE_NAME


def is_job_node(node: str) -> bool:
    return bool(cmds.objExists(node)) and str(cmds.nodeType(node)) == TYPE_NAME


def _type_name(value: Any) -> str:
    return "boolean" if isinstance(value, bool) else type(value).__name__


class MayaJobNode(JobNode):
    mirrored_fields = tuple(BY_FIELD)

    def __init__(self, node: str) -> None:
        self.node = node

    @property
    def name(self) -> str:
        return self.node

    def _plug(self, attribute: str) -> str:
        if not cmds.objExists(self.node):
            raise HostError("the job node {!r} is gone".format(self.node), "job node")
        return "{}.{}".format(self.node, attribute)

    def _get_string(self, attribute: str) -> str:
        value = cmds.getAttr(self._plug(attribute))
        return "" if value is None else str(value)

    def _set_string(self, attribute: str, value: str) -> None:
        cmds.setAttr(self._plug(attribute), value, type="string")

    def _get(self, attribute: JobAttribute) -> Any:
        if attribute.kind == STRING:
            return self._get_string(attribute.name)
        value = cmds.getAttr(self._plug(attribute.name))
        if attribute.kind == BOOL:
            return bool(value)
        if attribute.kind == LONG:
            return int(value)
        index = int(value)
        if not 0 <= index < len(attribute.choices):
            raise JobNodeError(
                self.node,
                attribute.name,
                "holds {}, which is not one of its {} choices".format(
                    index, len(attribute.choices)
                ),
                attribute.field or None,
            )
        return attribute.choices[index]

    def _checked(self, attribute: JobAttribute, value: Any) -> Any:
        """``value`` as the attribute stores it, or ``JobNodeError`` saying what it takes."""
        expected = {STRING: str, BOOL: bool, LONG: int, ENUM: str}[attribute.kind]
        if not isinstance(value, expected) or (attribute.kind == LONG and isinstance(value, bool)):
            raise JobNodeError(
                self.node,
                attribute.name,
                "takes a {}, got {!r} ({})".format(
                    {STRING: "string", BOOL: "boolean", LONG: "whole number", ENUM: "choice"}[
                        attribute.kind
                    ],
                    value,
                    _type_name(value),
                ),
                attribute.field or None,
            )
        if attribute.kind == ENUM:
            if value not in attribute.choices:
                raise JobNodeError(
                    self.node,
                    attribute.name,
                    "cannot hold {!r}; choices: {}".format(value, ", ".join(attribute.choices)),
                    attribute.field or None,
                )
            return attribute.choices.index(value)
        return value

    def _set(self, attribute: JobAttribute, stored: Any) -> None:
        if attribute.kind == STRING:
            self._set_string(attribute.name, stored)
        else:
            cmds.setAttr(self._plug(attribute.name), stored)

    def attribute_of(self, field: str) -> str:
        return BY_FIELD[field].name if field in BY_FIELD else field

    # the settings ------------------------------------------------------------------------
    def read_text(self) -> str:
        return self._get_string(SETTINGS.name)

    def write_text(self, text: str) -> None:
        self._set_string(SETTINGS.name, text)

    def read_mirrored(self) -> Dict[str, Any]:
        if not self.read_text():
            return {}  # never written: the attributes hold Maya's defaults, not settings
        return {field: self._get(attribute) for field, attribute in BY_FIELD.items()}

    def write_mirrored(self, values: Dict[str, Any]) -> None:
        """Every value checked before the first is set, so a bad one changes nothing."""
        checked: List[Tuple[JobAttribute, Any]] = [
            (BY_FIELD[field], self._checked(BY_FIELD[field], value))
            for field, value in values.items()
        ]
        for attribute, stored in checked:
            self._set(attribute, stored)

    # what the job renders ----------------------------------------------------------------
    def layer_mode(self) -> str:
        """``current``, ``all`` (every renderable layer in one job) or ``perLayer``."""
        return str(self._get(RENDER_LAYER_MODE))

    def set_layer_mode(self, mode: str) -> None:
        if mode not in LAYER_MODES:
            raise HostError(
                "unknown render layer mode {!r}; choices: {}".format(mode, ", ".join(LAYER_MODES)),
                RENDER_LAYER_MODE.name,
            )
        self._set(RENDER_LAYER_MODE, LAYER_MODES.index(mode))

    def camera(self) -> str:
        return self._get_string(CAMERA.name).strip()

    def set_camera(self, camera: str) -> None:
        self._set_string(CAMERA.name, camera)

    def default_template(self) -> str:
        """The task template Farmhand last wrote as the default ("" if none)."""
        return self._get_string(DEFAULT_TEMPLATE.name)

    def set_default_template(self, template: str) -> None:
        self._set_string(DEFAULT_TEMPLATE.name, template)


class MayaLayerJob(MayaJobNode):
    """The job of one render layer of a one-job-per-layer node (see the module docstring)."""

    def __init__(self, node: str, layer: str) -> None:
        super(MayaLayerJob, self).__init__(node)
        self.layer = layer

    @property
    def name(self) -> str:
        return "{}_{}".format(self.node, self.layer)
