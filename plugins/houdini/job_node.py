"""A Houdini job: one FarmhandJob ROP (``farmhand::job`` in ``/out`` or any ROP network).

The node is looked up by path on every access, so a renamed or deleted node gives an error
naming it instead of a stale object. Settings live in the hidden ``farmhand_settings`` parm
(JSON) and the parms of ``parms.MIRRORED``; string parms are read unexpanded, because ``$F``
in a task template or a frame spec is Farmhand's to interpret, not the parameter's.
"""

from typing import Any, Dict

import hou

from farmhand.core.errors import InputError
from farmhand.core.host import HostError, JobNode
from farmhand.core.host.job_node import SETTINGS_ATTRIBUTE
from farmhand.plugins.houdini.parms import (
    INTEGER,
    LIST,
    MIRRORED,
    MIRRORED_FIELDS,
    TOGGLE,
    Parm,
    join_list,
    parm_of,
    split_list,
)


class HoudiniJobNode(JobNode):
    mirrored_fields = MIRRORED_FIELDS

    def __init__(self, path: str) -> None:
        self.path = path

    @property
    def name(self) -> str:
        return self.node().name()

    def node(self) -> "hou.OpNode":
        node = hou.node(self.path)
        if node is None:
            raise HostError(
                "the FarmhandJob ROP {} is gone (deleted or renamed)".format(self.path),
                "job node",
            )
        return node  # type: ignore[return-value]

    def parm(self, name: str) -> "hou.Parm":
        parm = self.node().parm(name)
        if parm is None:
            raise HostError(
                "the ROP {} has no parameter {!r}; is it a FarmhandJob ROP from an older "
                "Farmhand? Create a new one".format(self.path, name),
                name,
            )
        return parm

    def read_text(self) -> str:
        return self.parm(SETTINGS_ATTRIBUTE).unexpandedString()

    def write_text(self, text: str) -> None:
        self.parm(SETTINGS_ATTRIBUTE).set(text)

    def attribute_of(self, field: str) -> str:
        try:
            return parm_of(field).name
        except KeyError:
            return field

    def read_mirrored(self) -> Dict[str, Any]:
        if not self.read_text().strip():
            return {}  # never written: the parms hold the HDA's defaults, not settings
        return {parm.field: read_parm(self.parm(parm.name), parm) for parm in MIRRORED}

    def write_mirrored(self, values: Dict[str, Any]) -> None:
        """Convert every value first, so one that a parm cannot hold changes nothing."""
        converted = [(parm_of(field), value) for field, value in values.items()]
        parm_values = [(spec, parm_value(spec, value)) for spec, value in converted]
        for spec, value in parm_values:
            self.parm(spec.name).set(value)


def read_parm(parm: "hou.Parm", spec: Parm) -> Any:
    """The setting a parm holds, typed as ``JobSettings`` types it."""
    if spec.kind == TOGGLE:
        return bool(parm.eval())
    if spec.kind == INTEGER:
        return int(parm.eval())
    if spec.kind == LIST:
        return split_list(parm.unexpandedString())
    return parm.unexpandedString()


def parm_value(spec: Parm, value: Any) -> Any:
    """What ``Parm.set`` takes for a setting's value; ``InputError`` naming the setting for a
    value of the wrong type (settings built in code are not checked before they are stored)."""
    expected: Any = {TOGGLE: bool, INTEGER: int, LIST: list}.get(spec.kind, str)
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise InputError(
            "parameter {} holds {}, got {!r}".format(spec.name, expected.__name__, value),
            spec.field,
        )
    if spec.kind == TOGGLE:
        return 1 if value else 0
    if spec.kind == LIST:
        return join_list(value)
    return value
