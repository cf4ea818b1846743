# ruff: noqa: N803 - the flags are spelt as Maya spells them (camelCase), on purpose
"""A fake ``maya.cmds`` over ``maya_scene.Scene``: only the commands Farmhand calls, each with
the flags it uses, spelt as Maya spells them (a misspelt flag is a ``TypeError`` here, as
it is in Maya) and failing as Maya fails (``ValueError`` for an unknown object,
``RuntimeError`` for a command that cannot run). ``SCENE`` is the open session.
"""

import os

from maya_scene import ATTRIBUTE_TYPES

SCENE = None


def _split(plug):
    if "." not in plug:
        raise ValueError("No object matches name: {}".format(plug))
    node, attribute = plug.split(".", 1)
    if node not in SCENE.nodes:
        raise ValueError("No object matches name: {}".format(plug))
    found = SCENE.nodes[node]
    if attribute == "computedFileTextureNamePattern" and found.type == "file":
        return found, attribute
    if attribute not in found.attributes:
        raise ValueError("No object matches name: {}".format(plug))
    return found, attribute


def _query_only(query, **flags):
    if not query:
        raise RuntimeError("this fake answers these flags only in query mode: {}".format(flags))


# scene graph -----------------------------------------------------------------------------
def ls(*args, type=None, selection=False):
    if args:
        raise TypeError("ls: the fake lists by type or selection only")
    if selection:
        return [name for name in SCENE.selection if name in SCENE.nodes]
    if type is not None and not SCENE.known_type(type):
        raise RuntimeError("Unknown object type: {}".format(type))
    return [name for name, node in SCENE.nodes.items() if type is None or node.type == type]


def objExists(name):
    if "." in name:
        try:
            _split(name)
        except ValueError:
            return False
        return True
    return name in SCENE.nodes


def nodeType(node, isTypeName=False):
    if isTypeName:
        return SCENE.known_type(node)
    if node not in SCENE.nodes:
        raise RuntimeError("No object matches name: {}".format(node))
    return SCENE.nodes[node].type


def createNode(node_type, name=None, skipSelect=False):
    if not SCENE.known_type(node_type):
        raise RuntimeError("Unknown object type: {}".format(node_type))
    node = SCENE.add(node_type, name or node_type + "1")
    if not skipSelect:
        SCENE.selection = [node.name]
    return node.name


def delete(*nodes):
    for node in nodes:
        if node not in SCENE.nodes:
            raise ValueError("No object matches name: {}".format(node))
        del SCENE.nodes[node]


def select(*names, replace=False):
    flat = []
    for name in names:
        flat.extend(name if isinstance(name, list) else [name])
    for name in flat:
        if name not in SCENE.nodes:
            raise ValueError("No object matches name: {}".format(name))
    SCENE.selection = flat if replace else SCENE.selection + flat


def listRelatives(node, parent=False):
    if not parent:
        raise RuntimeError("the fake lists parents only")
    found = SCENE.nodes.get(node)
    if found is None:
        raise ValueError("No object matches name: {}".format(node))
    return [found.parent] if found.parent else None


# attributes ------------------------------------------------------------------------------
def getAttr(plug):
    node, attribute = _split(plug)
    if attribute == "computedFileTextureNamePattern":
        return SCENE.computed_pattern(node)
    value = node.attributes[attribute].value
    if node.attributes[attribute].kind == "string" and value == "":
        return None  # an empty string attribute reads as None, as in Maya
    return value


def setAttr(plug, value, type=None):
    node, attribute = _split(plug)
    kind = node.attributes[attribute].kind
    if kind == "string":
        if type != "string":
            raise RuntimeError(
                "setAttr: '{}' is a string attribute: pass type='string'".format(plug)
            )
        if not isinstance(value, str):
            raise RuntimeError("setAttr: {!r} is not a string".format(value))
    else:
        if type is not None:
            raise RuntimeError("setAttr: '{}' is not of type {}".format(plug, type))
        value = ATTRIBUTE_TYPES[kind](value)
        fields = node.attributes[attribute].fields
        if fields is not None and value not in fields.values():
            raise RuntimeError("setAttr: {} is not a value of the enum {}".format(value, plug))
    node.attributes[attribute].value = value


# files, project, references --------------------------------------------------------------
def file(
    *args,
    query=False,
    sceneName=False,
    exportAll=False,
    preserveReferences=False,
    type=None,
    force=False,
):
    if query:
        if not sceneName or args:
            raise RuntimeError("the fake answers file -query -sceneName only")
        return SCENE.scene_name
    if not exportAll or len(args) != 1:
        raise RuntimeError("the fake writes with file -exportAll only")
    path = args[0]
    if type not in ("mayaAscii", "mayaBinary"):
        raise RuntimeError("Invalid file type specified: {}".format(type))
    if os.path.exists(path) and not force:
        raise RuntimeError("File already exists: {}".format(path))
    with open(path, "w") as handle:
        handle.write(SCENE.export_text())
    SCENE.exports.append((path, type, preserveReferences))
    return path


def workspace(query=False, rootDirectory=False, fileRuleEntry=None):
    if fileRuleEntry is not None:
        return SCENE.file_rules.get(fileRuleEntry, "")
    _query_only(query, rootDirectory=rootDirectory)
    return SCENE.project.rstrip("/") + "/"


def referenceQuery(node, isNodeReferenced=False, filename=False, withoutCopyNumber=False):
    if isNodeReferenced:
        if node not in SCENE.nodes:
            raise RuntimeError("No object matches name: {}".format(node))
        return bool(SCENE.nodes[node].referenced_from)
    if filename:
        if node not in SCENE.references:
            raise RuntimeError(
                "Reference node '{}' is not associated with a reference file.".format(node)
            )
        path = SCENE.references[node]
        return path.split("{")[0] if withoutCopyNumber else path
    raise RuntimeError("the fake answers isNodeReferenced and filename only")


def filePathEditor(
    refresh=False, query=False, listDirectories=None, listFiles=None, withAttribute=False
):
    entries = []
    for node in SCENE.nodes.values():
        if not SCENE.known_type(node.type):
            continue
        for attribute, value in node.attributes.items():
            if value.used_as_filename and value.value:
                folder, name = os.path.split(value.value)
                entries.append((folder, name, "{}.{}".format(node.name, attribute)))
    if refresh:
        return None
    _query_only(query)
    if listDirectories is not None:
        folders = []
        for folder, _, _ in entries:
            if folder not in folders:
                folders.append(folder)
        return folders or None
    if listFiles is not None:
        listed = []
        for folder, name, plug in entries:
            if folder == listFiles:
                listed.extend([name, plug] if withAttribute else [name])
        return listed or None
    raise RuntimeError("the fake answers listDirectories and listFiles only")


def colorManagementPrefs(
    query=False, cmEnabled=False, cmConfigFileEnabled=False, configFilePath=False
):
    _query_only(query)
    prefs = SCENE.color_management
    if cmEnabled:
        return prefs["enabled"]
    if cmConfigFileEnabled:
        return prefs["config_enabled"]
    if configFilePath:
        return prefs["config"]
    raise RuntimeError("the fake answers cmEnabled, cmConfigFileEnabled, configFilePath")


# the session -----------------------------------------------------------------------------
def about(apiVersion=False, batch=False):
    if apiVersion:
        return SCENE.api_version  # an int, as Maya answers
    if batch:
        return SCENE.batch
    raise RuntimeError("the fake answers apiVersion and batch only")


def pluginInfo(plugin, query=False, loaded=False, version=False):
    _query_only(query)
    if loaded:
        return plugin in SCENE.plugins
    if version:
        if plugin not in SCENE.plugins:
            raise RuntimeError('Plug-in, "{}", was not found on MAYA_PLUG_IN_PATH.'.format(plugin))
        return SCENE.plugins[plugin]
    raise RuntimeError("the fake answers loaded and version only")


def editRenderLayerGlobals(query=False, currentRenderLayer=False):
    _query_only(query, currentRenderLayer=currentRenderLayer)
    return SCENE.current_layer


def currentTime(query=False):
    _query_only(query)
    return SCENE.current_time


def warning(message):
    SCENE.warnings.append(message)


def confirmDialog(title=None, message=None, button=None, icon=None):
    if SCENE.batch:
        raise RuntimeError("confirmDialog needs a UI")
    SCENE.dialogs.append({"title": title, "message": message, "button": button, "icon": icon})
    return (button or ["Confirm"])[0]


# UI --------------------------------------------------------------------------------------
def _ui_exists(name, kind):
    return name in SCENE.ui and SCENE.ui[name]["kind"] == kind


def menu(name, exists=False, label=None, parent=None, tearOff=False):
    if exists:
        return _ui_exists(name, "menu")
    if SCENE.batch:
        raise RuntimeError("menu: no UI in batch mode")
    SCENE.ui[name] = {
        "kind": "menu",
        "label": label,
        "parent": parent,
        "tearOff": tearOff,
        "items": [],
    }
    return name


def menuItem(label=None, annotation=None, command=None, parent=None):
    if not _ui_exists(parent, "menu"):
        raise RuntimeError("menuItem: no menu named {}".format(parent))
    SCENE.ui[parent]["items"].append({"label": label, "annotation": annotation, "command": command})
    return "{}|item{}".format(parent, len(SCENE.ui[parent]["items"]))


def shelfLayout(name, exists=False, parent=None):
    if exists:
        return _ui_exists(name, "shelf")
    if SCENE.batch:
        raise RuntimeError("shelfLayout: no UI in batch mode")
    SCENE.ui[name] = {"kind": "shelf", "parent": parent, "buttons": []}
    return name


def shelfButton(
    parent=None,
    label=None,
    annotation=None,
    image=None,
    imageOverlayLabel=None,
    sourceType=None,
    command=None,
):
    if not _ui_exists(parent, "shelf"):
        raise RuntimeError("shelfButton: no shelf named {}".format(parent))
    SCENE.ui[parent]["buttons"].append(
        {
            "label": label,
            "annotation": annotation,
            "image": image,
            "imageOverlayLabel": imageOverlayLabel,
            "sourceType": sourceType,
            "command": command,
        }
    )
    return "{}|button{}".format(parent, len(SCENE.ui[parent]["buttons"]))


def deleteUI(name, menu=False, layout=False):
    kind = "menu" if menu else "shelf" if layout else None
    if kind is None or not _ui_exists(name, kind):
        raise RuntimeError("Object '{}' not found.".format(name))
    del SCENE.ui[name]


__all__ = sorted(
    name
    for name in dir()
    if not name.startswith("_") and name[0].islower() and name not in ("os", "ATTRIBUTE_TYPES")
)
