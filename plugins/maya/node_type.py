"""The ``farmhandJob`` node type: a dependency node registered by Farmhand's plug-in (Maya's
Python API 2.0), whose attributes hold one job's settings.

A node type of its own, rather than attributes added to a ``network`` node, is what Maya
offers for this: ``ls -type farmhandJob`` finds the jobs, the Attribute Editor shows the
attributes with their nice names, menus and minimums, and a scene saved with jobs asks for the
plug-in when it is opened. The node computes nothing; it only stores. Its attributes come
from ``job_attributes``.

The type id is in the block Maya leaves to plug-ins that do not register one with Autodesk
(0 to 0x7ffff). Binary scenes store the id, so it never changes.
"""

from typing import Any

from maya.api import OpenMaya

from farmhand.plugins.maya.job_attributes import (
    ATTRIBUTES,
    BOOL,
    ENUM,
    LONG,
    STRING,
    JobAttribute,
)

TYPE_NAME = "farmhandJob"
TYPE_ID = 0x0007F4A1


class FarmhandJobNode(OpenMaya.MPxNode):  # type: ignore[misc]  # the stubs leave MPxNode Any
    """One Farmhand job (a plain store of attributes; see the module docstring)."""

    type_name = TYPE_NAME
    type_id = OpenMaya.MTypeId(TYPE_ID)

    def __init__(self) -> None:
        OpenMaya.MPxNode.__init__(self)


def create_node() -> FarmhandJobNode:
    """The creator Maya calls for each new node."""
    return FarmhandJobNode()


def _create(attribute: JobAttribute) -> Any:
    """The attribute object for one row of the table, its function set set up."""
    created: Any  # an MObject (the stubs type MFnTypedAttribute.create's result wrongly)
    function_set: OpenMaya.MFnAttribute
    if attribute.kind == STRING:
        typed = OpenMaya.MFnTypedAttribute()
        default = OpenMaya.MFnStringData().create("")
        kind: Any = OpenMaya.MFnData.kString
        created = typed.create(attribute.name, attribute.short_name, kind, default)
        function_set = typed
    elif attribute.kind in (BOOL, LONG):
        numeric = OpenMaya.MFnNumericAttribute()
        data = OpenMaya.MFnNumericData
        kind = data.kBoolean if attribute.kind == BOOL else data.kInt
        created = numeric.create(attribute.name, attribute.short_name, kind, attribute.default)
        if attribute.kind == LONG and attribute.minimum:
            numeric.setMin(attribute.minimum)
        function_set = numeric
    elif attribute.kind == ENUM:
        enum = OpenMaya.MFnEnumAttribute()
        created = enum.create(attribute.name, attribute.short_name, attribute.default)
        for index, label in enumerate(attribute.labels):
            enum.addField(label, index)
        function_set = enum
    else:
        raise ValueError("unknown attribute kind {!r} of {}".format(attribute.kind, attribute.name))
    function_set.storable = True
    function_set.keyable = False
    function_set.hidden = attribute.hidden
    function_set.setNiceNameOverride(attribute.nice_name)
    return created


def initialize() -> None:
    """The initializer Maya calls once, when the type is registered: add every attribute."""
    for attribute in ATTRIBUTES:
        FarmhandJobNode.addAttribute(_create(attribute))


def register(plugin: Any) -> None:
    """Register the node type with the plug-in object Maya passed to ``initializePlugin``."""
    OpenMaya.MFnPlugin(plugin).registerNode(
        TYPE_NAME,
        FarmhandJobNode.type_id,
        create_node,
        initialize,
        OpenMaya.MPxNode.kDependNode,
    )


def deregister(plugin: Any) -> None:
    OpenMaya.MFnPlugin(plugin).deregisterNode(FarmhandJobNode.type_id)
