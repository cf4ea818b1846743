"""A small Maya scene graph for the fake ``maya.cmds``: nodes, typed attributes, a project.

Only what the Maya adapter reads and writes is modelled, after Maya's documented behaviour:
node types (plug-in types exist only while their plug-in is loaded; a type a plug-in
registers through the fake ``maya.api.OpenMaya`` exists until it is deregistered, which fails
while nodes of it exist), attributes with types (string attributes need ``type="string"`` to
be set; an enum takes only its fields' values), unique node names, render layers and
cameras, references, the file texture's computed name pattern, the File Path Editor's
listing, colour management, the UI (menus, shelves) and the files ``file -exportAll``
writes. Tests build scenes with the helpers at the bottom.
"""

import os
import re
from collections import OrderedDict

# attribute type -> Python type of its value
ATTRIBUTE_TYPES = {"string": str, "bool": bool, "long": int, "double": float, "enum": int}

# node type -> (plug-in, {attribute: (type, default, used as a file name)})
NODE_TYPES = {
    "network": ("", {}),
    "file": (
        "",
        {
            "fileTextureName": ("string", "", True),
            "useFrameExtension": ("bool", False, False),
            "frameExtension": ("long", 1, False),
            "frameOffset": ("long", 0, False),
            "uvTilingMode": ("enum", 0, False),
        },
    ),
    "imagePlane": (
        "",
        {
            "imageName": ("string", "", True),
            "useFrameExtension": ("bool", False, False),
            "frameOffset": ("long", 0, False),
        },
    ),
    "reference": ("", {}),
    "AlembicNode": ("AbcImport", {"abc_File": ("string", "", True)}),
    "gpuCache": ("gpuCache", {"cacheFileName": ("string", "", True)}),
    "audio": ("", {"filename": ("string", "", True)}),
    "renderLayer": ("", {"renderable": ("bool", True, False)}),
    "camera": ("", {"renderable": ("bool", False, False)}),
    "transform": ("", {}),
    "renderGlobals": (
        "",
        {
            "currentRenderer": ("string", "mayaSoftware", False),
            "animation": ("bool", True, False),
            "startFrame": ("double", 1.0, False),
            "endFrame": ("double", 10.0, False),
            "byFrameStep": ("double", 1.0, False),
        },
    ),
    "aiOptions": ("mtoa", {"use_existing_tiled_textures": ("bool", True, False)}),
    "aiStandIn": (
        "mtoa",
        {
            "dso": ("string", "", True),
            "useFrameExtension": ("bool", False, False),
            "frameOffset": ("long", 0, False),
        },
    ),
    "aiImage": ("mtoa", {"filename": ("string", "", True)}),
    "aiVolume": (
        "mtoa",
        {
            "filename": ("string", "", True),
            "useFrameExtension": ("bool", False, False),
            "frameOffset": ("long", 0, False),
        },
    ),
    "aiPhotometricLight": ("mtoa", {"aiFilename": ("string", "", True)}),
    "RedshiftProxyMesh": (
        "redshift4maya",
        {
            "fileName": ("string", "", True),
            "useFrameExtension": ("bool", False, False),
            "frameOffset": ("long", 0, False),
        },
    ),
    "RedshiftVolumeShape": (
        "redshift4maya",
        {
            "fileName": ("string", "", True),
            "useFrameExtension": ("bool", False, False),
            "frameOffset": ("long", 0, False),
        },
    ),
    "RedshiftNormalMap": ("redshift4maya", {"tex0": ("string", "", True)}),
    "RedshiftDomeLight": ("redshift4maya", {"tex0": ("string", "", True)}),
    "RedshiftSprite": ("redshift4maya", {"tex0": ("string", "", True)}),
    "RedshiftIESLight": ("redshift4maya", {"profile": ("string", "", True)}),
    "VRayMesh": ("vrayformaya", {"fileName": ("string", "", True)}),
    "VRayVolumeGrid": ("vrayformaya", {"inFile": ("string", "", True)}),
    "VRayScene": ("vrayformaya", {"FilePath": ("string", "", True)}),
    # a plug-in type Farmhand does not know: found through the File Path Editor
    "houdiniAsset": ("houdiniEngine", {"otlFilePath": ("string", "", True)}),
}


class Attribute(object):
    def __init__(self, kind, value, used_as_filename=False, fields=None):
        self.kind = kind
        self.value = value
        self.used_as_filename = used_as_filename
        self.fields = fields  # enum: field name -> value


class Node(object):
    def __init__(self, name, node_type, definition):
        self.name = name
        self.type = node_type
        self.attributes = OrderedDict()
        self.parent = None
        self.referenced_from = ""  # the reference file a node came from
        for attribute, (kind, default, used, fields) in definition.items():
            self.attributes[attribute] = Attribute(kind, default, used, fields)


class PluginType(object):
    """A node type a plug-in registered (``MFnPlugin.registerNode``): its id and the
    attributes its initializer added (``maya_openmaya._AttributeObject``)."""

    def __init__(self, name, type_id, attributes):
        self.name = name
        self.type_id = type_id
        self.attributes = attributes

    def definition(self):
        return OrderedDict(
            (a.long_name, (a.kind, a.default, a.flags["usedAsFilename"], a.fields or None))
            for a in self.attributes
        )


class Scene(object):
    """One open Maya session: the scene graph plus the session around it."""

    def __init__(self, project):
        self.project = project
        self.scene_name = ""
        self.nodes = OrderedDict()
        self.selection = []
        self.plugins = {"AbcImport": "1.0", "gpuCache": "1.0"}  # name -> version (loaded)
        self.api_version = 20220300
        self.batch = False
        self.current_layer = "defaultRenderLayer"
        self.current_time = 1.0
        self.file_rules = {"images": "images"}
        self.color_management = {"enabled": False, "config_enabled": False, "config": ""}
        self.references = {}  # reference node -> file (with a copy number for repeats)
        self.ui = OrderedDict()  # name -> {"kind": ..., flags}
        self.warnings = []
        self.dialogs = []
        self.exports = []
        self.plugin_types = OrderedDict()  # name -> PluginType
        self.add("renderGlobals", "defaultRenderGlobals")
        self.add("renderLayer", "defaultRenderLayer")
        for name, renderable in (("persp", True), ("top", False)):
            transform = self.add("transform", name)
            shape = self.add("camera", name + "Shape", renderable=renderable)
            shape.parent = transform.name

    # building ------------------------------------------------------------------------------
    def unique_name(self, name):
        if name not in self.nodes:
            return name
        stem = re.sub(r"\d+$", "", name)
        index = 1
        while "{}{}".format(stem, index) in self.nodes:
            index += 1
        return "{}{}".format(stem, index)

    def add(self, node_type, name, **values):
        if node_type in self.plugin_types:
            definition = self.plugin_types[node_type].definition()
        else:
            definition = OrderedDict(
                (attribute, spec + (None,)) for attribute, spec in NODE_TYPES[node_type][1].items()
            )
        node = Node(self.unique_name(name), node_type, definition)
        self.nodes[node.name] = node
        for attribute, value in values.items():
            node.attributes[attribute].value = value
        return node

    def load_plugin(self, name, version):
        self.plugins[name] = version

    def file_texture(self, name, path, tiling=0, frames=False, offset=0):
        return self.add(
            "file",
            name,
            fileTextureName=path,
            uvTilingMode=tiling,
            useFrameExtension=frames,
            frameOffset=offset,
        )

    def reference(self, node_name, path, nodes=()):
        """A reference node and the nodes it brought in (render layers, textures...)."""
        self.add("reference", node_name)
        self.references[node_name] = path
        for node in nodes:
            node.referenced_from = path

    def render_layer(self, name, renderable=True):
        return self.add("renderLayer", name, renderable=renderable)

    def camera(self, name, renderable=True):
        transform = self.add("transform", name)
        shape = self.add("camera", name + "Shape", renderable=renderable)
        shape.parent = transform.name
        return transform

    def set_renderer(self, renderer):
        self.nodes["defaultRenderGlobals"].attributes["currentRenderer"].value = renderer

    def register_type(self, name, type_id, attributes):
        self.plugin_types[name] = PluginType(name, type_id, attributes)

    def deregister_type(self, type_id):
        for name, registered in list(self.plugin_types.items()):
            if registered.type_id == type_id:
                if any(node.type == name for node in self.nodes.values()):
                    raise RuntimeError(
                        "(kFailure): nodes of type {} are in the scene; the plug-in that "
                        "defines it cannot be unloaded".format(name)
                    )
                del self.plugin_types[name]
                return
        raise RuntimeError("(kFailure): no node type has the id {}".format(type_id.id()))

    def type_ids(self):
        return [registered.type_id for registered in self.plugin_types.values()]

    # reading ------------------------------------------------------------------------------
    def known_type(self, node_type):
        if node_type in self.plugin_types:
            return True
        if node_type not in NODE_TYPES:
            return False
        plugin = NODE_TYPES[node_type][0]
        return not plugin or plugin in self.plugins

    def computed_pattern(self, node):
        """Maya's ``computedFileTextureNamePattern``: the file name with ``<UDIM>``,
        ``<u>``/``<v>``, ``<U>``/``<V>`` and ``<f>`` where its tiling and frame settings put
        them (Maya's file texture path resolver)."""
        path = node.attributes["fileTextureName"].value
        folder, name = os.path.split(path)
        tiling = node.attributes["uvTilingMode"].value
        if tiling == 3:
            name = re.sub(r"(?<!\d)1\d{3}(?!\d)", "<UDIM>", name, count=1)
        elif tiling == 1:
            name = re.sub(r"u\d+_v\d+", "u<u>_v<v>", name, count=1)
        elif tiling == 2:
            name = re.sub(r"u\d+_v\d+", "u<U>_v<V>", name, count=1)
        if node.attributes["useFrameExtension"].value:
            stem, extension = os.path.splitext(name)
            name = re.sub(r"(\d+)(?!.*\d)", "<f>", stem, count=1) + extension
        return os.path.join(folder, name) if folder else name

    def export_text(self):
        """What ``file -exportAll`` writes: one line per node and attribute (a stand-in for
        a .ma file, enough to check the package holds the scene as it is now)."""
        lines = ["//Maya ASCII scene (farmhand fake)"]
        for reference, path in self.references.items():
            lines.append('file -r -rfn "{}" "{}";'.format(reference, path))
        for node in self.nodes.values():
            lines.append('createNode {} -n "{}";'.format(node.type, node.name))
            for attribute, value in node.attributes.items():
                lines.append('\tsetAttr ".{}" {!r};'.format(attribute, value.value))
        return "\n".join(lines) + "\n"
