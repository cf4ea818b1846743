# ruff: noqa: N802, N803, N815 - Maya's API spells its members in camelCase, on purpose
"""A fake ``maya.api.OpenMaya``: the part of Maya's Python API 2.0 a plug-in uses to register
a node type, spelt as the API spells it (members and parameter names are checked against
types-maya where the stubs define them, and against ``DOCUMENTED`` where the stubs leave a
class untyped) and behaving as Maya documents it: ``MFnPlugin.registerNode`` runs the
initializer, whose ``MPxNode.addAttribute`` calls define the type's attributes; the type then
exists in the fake session (``maya_cmds.SCENE``) until ``deregisterNode``, which Maya refuses
while nodes of the type exist. ``PLUGINS`` records every ``MFnPlugin`` attached.
"""

from collections import OrderedDict

import maya_cmds

PLUGINS = []
_ADDED = []  # attributes added by the initializer that runs now

# Members of the classes types-maya leaves untyped (``MPxNode: Incomplete``), from Maya's
# Python API 2.0 reference (help.autodesk.com, OpenMaya.MFnPlugin / MPxNode / MFnStringData):
# member -> its parameters.
DOCUMENTED = {
    "MFnPlugin": {
        "__init__": ("plugin", "vendor", "version", "apiVersion"),
        "registerNode": ("typeName", "typeId", "creator", "initialize", "type", "classification"),
        "deregisterNode": ("typeId",),
        "vendor": (),
        "version": (),
    },
    "MPxNode": {"__init__": (), "addAttribute": ("attr",), "kDependNode": ()},
    "MFnStringData": {"__init__": (), "create": ("string",)},
}


class MObject(object):
    kNullObj = None  # set below: Maya's null object

    def __init__(self, src=None):
        self._null = bool(src is not None and src.isNull())

    def isNull(self):
        return self._null


MObject.kNullObj = MObject()
MObject.kNullObj._null = True


class MTypeId(object):
    def __init__(self, id=0):
        self._id = int(id)

    def id(self):
        return self._id

    def __eq__(self, value):
        return isinstance(value, MTypeId) and value._id == self._id

    def __ne__(self, value):
        return not self == value

    def __hash__(self):
        return hash(self._id)


class MFnData(object):
    kString = 4


class MFnNumericData(MFnData):
    kBoolean = 1
    kInt = 7
    kLong = 7


class MFnStringData(object):
    def create(self, string=""):
        data = MObject()
        data.string = string
        return data


class _AttributeObject(MObject):
    """What an attribute function set's ``create`` returns: the attribute being defined."""

    def __init__(self, long_name, short_name, kind, default):
        super(_AttributeObject, self).__init__()
        self.long_name = long_name
        self.short_name = short_name
        self.kind = kind
        self.default = default
        self.fields = OrderedDict()  # enum: field name -> value
        self.nice_name = ""
        self.minimum = None
        self.flags = {"storable": True, "keyable": False, "hidden": False, "usedAsFilename": False}


class MFnAttribute(object):
    """The flags every attribute has; a function set acts on the attribute it created last."""

    def __init__(self):
        self._attribute = None

    def _current(self):
        if self._attribute is None:
            raise RuntimeError("(kInvalidParameter): Object is incompatible with this method")
        return self._attribute

    def setNiceNameOverride(self, localizedName):
        self._current().nice_name = localizedName

    def _flag(name):  # noqa: N805 - a property factory, used in the class body only
        return property(
            lambda self: self._current().flags[name],
            lambda self, value: self._current().flags.__setitem__(name, bool(value)),
        )

    storable = _flag("storable")
    keyable = _flag("keyable")
    hidden = _flag("hidden")
    usedAsFilename = _flag("usedAsFilename")
    del _flag


class MFnTypedAttribute(MFnAttribute):
    def create(self, longName, shortName, type, defaultValue=MObject.kNullObj):
        if type != MFnData.kString:
            raise RuntimeError("the fake defines string attributes only")
        default = getattr(defaultValue, "string", "")
        self._attribute = _AttributeObject(longName, shortName, "string", default)
        return self._attribute


class MFnNumericAttribute(MFnAttribute):
    _KINDS = {MFnNumericData.kBoolean: ("bool", bool), MFnNumericData.kInt: ("long", int)}

    def create(self, longName, shortName, type, defaultValue=0):
        if type not in self._KINDS:
            raise RuntimeError("the fake defines boolean and int attributes only")
        kind, convert = self._KINDS[type]
        self._attribute = _AttributeObject(longName, shortName, kind, convert(defaultValue))
        return self._attribute

    def setMin(self, minValue):
        self._current().minimum = minValue
        return self


class MFnEnumAttribute(MFnAttribute):
    def create(self, longName, shortName, defaultValue=0):
        self._attribute = _AttributeObject(longName, shortName, "enum", int(defaultValue))
        return self._attribute

    def addField(self, name, value):
        attribute = self._current()
        if name in attribute.fields or value in attribute.fields.values():
            raise RuntimeError("(kInvalidParameter): the field {} is already there".format(name))
        attribute.fields[name] = value
        return self


class MPxNode(object):
    kDependNode = 0

    def __init__(self):
        pass

    @staticmethod
    def addAttribute(attr):
        names = {a.long_name for a in _ADDED} | {a.short_name for a in _ADDED}
        if attr.long_name in names or attr.short_name in names:
            raise RuntimeError(
                "(kFailure): the attribute {} is already there".format(attr.long_name)
            )
        _ADDED.append(attr)


class MFnPlugin(object):
    def __init__(self, plugin=None, vendor="Unknown", version="Unknown", apiVersion="Any"):
        self.plugin = plugin
        self._vendor = vendor
        self._version = version
        PLUGINS.append(self)

    def vendor(self):
        return self._vendor

    @property
    def version(self):
        return self._version

    def registerNode(
        self, typeName, typeId, creator, initialize, type=MPxNode.kDependNode, classification=None
    ):
        scene = maya_cmds.SCENE
        if scene.known_type(typeName) or typeId in scene.type_ids():
            raise RuntimeError(
                "(kFailure): the node type {} is registered already".format(typeName)
            )
        if type != MPxNode.kDependNode:
            raise RuntimeError("the fake registers dependency nodes only")
        del _ADDED[:]
        initialize()
        if not isinstance(creator(), MPxNode):
            raise RuntimeError("the creator of {} made no MPxNode".format(typeName))
        scene.register_type(typeName, typeId, list(_ADDED))
        del _ADDED[:]

    def deregisterNode(self, typeId):
        maya_cmds.SCENE.deregister_type(typeId)
