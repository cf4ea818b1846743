"""A Maya job: a ``network`` node with Farmhand's attributes (several per scene).

A plain ``network`` node, not a plug-in node type, so a scene holding jobs opens anywhere,
Farmhand installed or not. ``farmhand_settings`` holds every setting as JSON; the settings
artists edit most are attributes of their own (camelCase, as Maya spells attributes), shown
and edited in the Attribute Editor. ``renderLayers`` and ``camera`` say what the job renders:
empty means every renderable layer and the layers' renderable cameras.
"""

from typing import Any, Dict, List, Tuple

from maya import cmds

from farmhand.core.host import HostError, JobNode
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE

# JobSettings field -> (Maya attribute, type); the order is the Attribute Editor's.
MIRRORED: Tuple[Tuple[str, str, str], ...] = (
    ("job_title", "jobTitle", "string"),
    ("project", "project", "string"),
    ("instance_type", "instanceType", "string"),
    ("use_custom_frames", "useCustomFrames", "bool"),
    ("frames", "frames", "string"),
    ("chunk_size", "chunkSize", "long"),
    ("use_scout_frames", "useScoutFrames", "bool"),
    ("scout_frames", "scoutFrames", "string"),
    ("output_path", "outputPath", "string"),
    ("task_template", "taskTemplate", "string"),
)
RENDER_LAYERS = "renderLayers"
CAMERA = "camera"
NODE_TYPE = "network"
DEFAULT_NAME = "farmhandJob1"


def is_job_node(node: str) -> bool:
    return bool(cmds.attributeQuery(SETTINGS_ATTRIBUTE, node=node, exists=True))


def add_attributes(node: str) -> None:
    """Give a new ``network`` node Farmhand's attributes."""
    cmds.addAttr(node, longName=SETTINGS_ATTRIBUTE, dataType="string")
    for _, attribute, kind in MIRRORED:
        if kind == "string":
            cmds.addAttr(node, longName=attribute, dataType="string")
        else:
            cmds.addAttr(node, longName=attribute, attributeType=kind)
    cmds.addAttr(node, longName=RENDER_LAYERS, dataType="string")
    cmds.addAttr(node, longName=CAMERA, dataType="string")


class MayaJobNode(JobNode):
    mirrored_fields = tuple(field for field, _, _ in MIRRORED)
    _ATTRIBUTES = {field: (attribute, kind) for field, attribute, kind in MIRRORED}

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

    def attribute_of(self, field: str) -> str:
        return self._ATTRIBUTES[field][0] if field in self._ATTRIBUTES else field

    def read_text(self) -> str:
        return self._get_string(SETTINGS_ATTRIBUTE)

    def write_text(self, text: str) -> None:
        self._set_string(SETTINGS_ATTRIBUTE, text)

    def read_mirrored(self) -> Dict[str, Any]:
        if not self.read_text():
            return {}  # never written: the attributes hold Maya's defaults, not settings
        values: Dict[str, Any] = {}
        for field, (attribute, kind) in self._ATTRIBUTES.items():
            if kind == "string":
                values[field] = self._get_string(attribute)
            elif kind == "bool":
                values[field] = bool(cmds.getAttr(self._plug(attribute)))
            else:
                values[field] = cmds.getAttr(self._plug(attribute))
        return values

    def write_mirrored(self, values: Dict[str, Any]) -> None:
        for field, value in values.items():
            attribute, kind = self._ATTRIBUTES[field]
            if kind == "string":
                self._set_string(attribute, value)
            else:
                cmds.setAttr(self._plug(attribute), value)

    # what the job renders --------------------------------------------------------------
    def render_layers(self) -> List[str]:
        """The layers the artist chose (``renderLayers``: comma-separated), or [] for all."""
        text = self._get_string(RENDER_LAYERS)
        return [name.strip() for name in text.split(",") if name.strip()]

    def set_render_layers(self, layers: List[str]) -> None:
        self._set_string(RENDER_LAYERS, ",".join(layers))

    def camera(self) -> str:
        return self._get_string(CAMERA).strip()

    def set_camera(self, camera: str) -> None:
        self._set_string(CAMERA, camera)
