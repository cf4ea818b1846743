"""A hand-written stand-in for Houdini's ``hou`` module: only the members Farmhand calls.

Every member is named and spelt as in ``hou`` (``tests/plugins/houdini/test_fake_hou.py``
checks each against the published stubs, types-houdini), so a typo in the plugin fails here
as it would in Houdini, which a ``MagicMock`` would let pass. The scene is plain data that a
test builds (``reset``, ``add_node``); the FarmhandJob type's parameters are read from the
generated HDA's DialogScript and its OnCreated and PythonModule sections are run as Houdini
runs them, so the tests exercise the files that ship.

Like Houdini, ``Parm.eval`` of a string parm expands variables (``$F`` is the current frame,
``$HIP`` the scene folder) and ``unexpandedString`` does not.
"""

import json
import os
import posixpath
import re
import types

import dialog_script_reader


class Error(Exception):
    pass


class OperationFailed(Error):  # noqa: N818 - hou's name
    pass


class ObjectWasDeleted(Error):  # noqa: N818 - hou's name
    pass


class _Severity:
    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return "hou.severityType.{}".format(self.name)


class severityType:  # noqa: N801 - hou's spelling
    Message = _Severity("Message")
    ImportantMessage = _Severity("ImportantMessage")
    Warning = _Severity("Warning")
    Error = _Severity("Error")
    Fatal = _Severity("Fatal")


# -- the session ----------------------------------------------------------------------------
class _State:
    def __init__(self):
        self.hip = ""  # the scene file; "" is an untitled scene
        self.frame = 1.0
        self.playbar = (1.0, 240.0)
        self.version = "20.5.410"
        self.nodes = {}  # path -> Node
        self.ui_available = False
        self.messages = []  # (text, severity, title) shown with hou.ui.displayMessage
        self.main_window = None
        self.variables = {}  # extra $VARIABLES (e.g. JOB)
        self.extra_references = []  # (None, path): references that belong to no parm
        self.backup_fails = False
        self.current = None  # the node whose HDA module hou.phm() returns


_state = _State()


def reset(hip=""):
    """A fresh, empty session with ``/out`` and ``/obj`` (``hip``: the scene's file)."""
    global _state
    _state = _State()
    _state.hip = hip
    for path in ("/out", "/obj", "/stage"):
        _state.nodes[path] = Node(path, _network_type(path))
    return _state


def state():
    return _state


# -- node types -----------------------------------------------------------------------------
class NodeTypeCategory:
    def __init__(self, name):
        self._name = name

    def name(self):
        return self._name


_CATEGORY_NAMES = ("Driver", "Sop", "Object", "Lop", "Manager", "Dop")
_CATEGORIES = {name: NodeTypeCategory(name) for name in _CATEGORY_NAMES}


def ropNodeTypeCategory():
    return _CATEGORIES["Driver"]


class ParmTemplate:
    def __init__(self, name, kind="string", default=None, tags=None, size=1, file=False):
        self._name = name
        self.kind = kind  # string, integer, toggle, button, float
        self.default = default
        self._tags = dict(tags or {})
        self.size = size
        self.file = file  # a file parm: hou.fileReferences lists it

    def name(self):
        return self._name

    def tags(self):
        return dict(self._tags)


class NodeType:
    def __init__(
        self, category, name, templates=(), source_path="", hda_sections=None, child_category=None
    ):
        self._category = category
        self.child_category = child_category  # what its children are: "Dop" for a DOP network
        self._name = name
        self.templates = list(templates)
        self._source_path = source_path
        self.hda_sections = hda_sections or {}

    def name(self):
        return self._name

    def nameComponents(self):
        # (scope network type, namespace, name, version), as hou.NodeType.nameComponents
        parts = self._name.split("::")
        if len(parts) == 1:
            return ("", "", parts[0], "")
        if len(parts) == 2:
            if re.match(r"^\d+(\.\d+)*$", parts[1]):
                return ("", "", parts[0], parts[1])
            return ("", parts[0], parts[1], "")
        return ("", parts[0], parts[1], parts[2])

    def category(self):
        return self._category

    def sourcePath(self):
        return self._source_path

    def instances(self):
        return tuple(node for node in _state.nodes.values() if node.type() is self)


_TYPES = {}


def register_type(node_type):
    _TYPES[(node_type.category().name(), node_type.name())] = node_type
    return node_type


def nodeType(category_or_name, internal_name=None):
    if internal_name is None:
        category, _, internal_name = str(category_or_name).partition("/")
        return _TYPES.get((category, internal_name))
    return _TYPES.get((category_or_name.name(), internal_name))


def _network_type(path):
    names = {"/out": "ropnet", "/obj": "obj", "/stage": "lopnet"}
    return NodeType(_CATEGORIES["Manager"], names[path])


def _rop_templates(output_parm, output_tags=None):
    templates = [
        ParmTemplate("trange", "integer", 1),
        ParmTemplate("f", "float", (1.0, 240.0, 1.0), size=3),
    ]
    if output_parm:
        tags = {"filechooser_mode": "write"} if output_tags is None else output_tags
        templates.append(ParmTemplate(output_parm, "string", "", tags, file=True))
    return templates


def register_builtin_types():
    """The ROP and SOP types the tests use (parms: the ones Farmhand reads)."""
    driver = _CATEGORIES["Driver"]
    sop = _CATEGORIES["Sop"]
    register_type(NodeType(driver, "ifd", _rop_templates("vm_picture")))
    register_type(NodeType(driver, "karma", _rop_templates("picture")))
    geometry = _rop_templates("sopoutput") + [ParmTemplate("soppath", "string", "")]
    register_type(NodeType(driver, "geometry", geometry))
    register_type(NodeType(driver, "merge", []))
    register_type(
        NodeType(
            driver,
            "Redshift_ROP",
            _rop_templates("RS_outputFileNamePrefix", output_tags={}),
            "/opt/redshift/3.5.16/redshift4houdini/20.5.410/dso/redshift4houdini.so",
        )
    )
    register_type(
        NodeType(driver, "arnold", _rop_templates("ar_picture"), "/opt/htoa/htoa-6.3.1.0_r1/otls")
    )
    read = {"filechooser_mode": "read"}
    readers = (("file", "file"), ("alembic", "fileName"), ("attribfrommap", "filemap"))
    for type_name, parm_name in readers:
        template = ParmTemplate(parm_name, "string", "", read, file=True)
        register_type(NodeType(sop, type_name, [template]))
    template = ParmTemplate("sopoutput", "string", "", {}, file=True)
    register_type(NodeType(sop, "rop_geometry", [template]))
    # simulations: DOP Network SOP and object (children are DOPs), DOP Import and DOP I/O
    # SOPs (doppath: the DOP network they read), a plain SOP
    register_type(NodeType(sop, "dopnet", [], child_category="Dop"))
    register_type(NodeType(_CATEGORIES["Object"], "dopnet", [], child_category="Dop"))
    for type_name in ("dopimport", "dopio"):
        register_type(NodeType(sop, type_name, [ParmTemplate("doppath", "string", "")]))
    register_type(NodeType(sop, "null", []))


def register_hda(library_folder):
    """Register ``farmhand::job`` from the expanded HDA in ``library_folder`` as Houdini
    installs it: parameters from DialogScript, OnCreated and PythonModule kept to be run."""
    from farmhand.plugins.houdini.hda_files import SECTION, section_file_name

    operator = os.path.join(library_folder, section_file_name(SECTION))
    sections = {}
    for name in os.listdir(operator):
        with open(os.path.join(operator, name), encoding="utf-8") as handle:
            sections[name] = handle.read()
    templates = []
    for parm in dialog_script_reader.parms(sections["DialogScript"]):
        kind = parm["type"][0]
        default = parm.get("default", [""])[0]
        if kind in ("toggle", "integer", "button"):
            default = int(default or 0)
        templates.append(ParmTemplate(parm["name"][0], kind, default, parm["parmtag"]))
    return register_type(
        NodeType(_CATEGORIES["Driver"], "farmhand::job", templates, library_folder, sections)
    )


# -- nodes and parms ------------------------------------------------------------------------
class Parm:
    def __init__(self, node, template, value, component=None):
        self._node = node
        self._template = template
        self._value = value
        self._name = template.name() + (component or "")

    def name(self):
        return self._name

    def path(self):
        return "{}/{}".format(self._node.path(), self._name)

    def node(self):
        self._node._check()
        return self._node

    def parmTemplate(self):
        return self._template

    def set(self, value):
        self._node._check()
        if self._template.kind == "string" and not isinstance(value, str):
            raise TypeError("{} takes a string, got {!r}".format(self.path(), value))
        if self._template.kind in ("integer", "toggle") and not isinstance(value, int):
            raise TypeError("{} takes an int, got {!r}".format(self.path(), value))
        self._value = value

    def unexpandedString(self):
        if self._template.kind != "string":
            raise OperationFailed("{} is not a string parameter".format(self.path()))
        return self._value

    def eval(self):
        self._node._check()
        if self._template.kind == "string":
            return text.expandString(self._value)
        return self._value


class ParmTuple:
    def __init__(self, node, template, values):
        self._node = node
        self._template = template
        self._values = tuple(values)

    def name(self):
        return self._template.name()

    def eval(self):
        return self._values


class Node:
    def __init__(self, path, node_type, parms=None):
        self._path = path
        self._type = node_type
        self._inputs = []
        self._deleted = False
        self._parms = {}
        self._tuples = {}
        values = dict(parms or {})
        for template in node_type.templates:
            value = values.pop(template.name(), template.default)
            if template.size > 1:
                self._tuples[template.name()] = ParmTuple(self, template, value)
            else:
                self._parms[template.name()] = Parm(self, template, value)
        if values:
            raise KeyError("{} has no parms {}".format(node_type.name(), sorted(values)))
        self.renders = []  # frame ranges rendered with RopNode.render

    def _check(self):
        if self._deleted:
            raise ObjectWasDeleted("{} was deleted".format(self._path))

    def name(self):
        self._check()
        return self._path.rsplit("/", 1)[-1]

    def path(self):
        self._check()
        return self._path

    def type(self):
        return self._type

    def parm(self, parm_path):
        self._check()
        return self._parms.get(parm_path)

    def parmTuple(self, parm_path):
        self._check()
        return self._tuples.get(parm_path)

    def parms(self):
        return tuple(self._parms.values())

    def inputs(self):
        self._check()
        return tuple(self._inputs)

    def childTypeCategory(self):
        """The category of the nodes inside: None for a node that holds none."""
        self._check()
        name = self._type.child_category
        return _CATEGORIES[name] if name else None

    def node(self, node_path):
        """The node at ``node_path``, absolute or relative to this node (``..`` is its
        parent), or None."""
        self._check()
        return _state.nodes.get(posixpath.normpath(posixpath.join(self._path, node_path)))

    def setInput(self, input_index, item_to_become_input, output_index=0):
        while len(self._inputs) <= input_index:
            self._inputs.append(None)
        self._inputs[input_index] = item_to_become_input

    def destroy(self):
        self._deleted = True
        del _state.nodes[self._path]

    def createNode(self, node_type_name, node_name=None, run_init_scripts=True, **kwargs):
        self._check()
        node_type = None
        for (category, name), candidate in _TYPES.items():
            if name == node_type_name and (category == "Driver") == (self._path == "/out"):
                node_type = candidate
        if node_type is None:
            raise OperationFailed("Invalid node type name: {}".format(node_type_name))
        base = node_name or node_type_name.split("::")[-1].replace(".", "_") + "1"
        name = base
        index = 1
        while "{}/{}".format(self._path, name) in _state.nodes:
            index += 1
            name = re.sub(r"\d*$", "", base) + str(index)
        node = Node("{}/{}".format(self._path, name), node_type)
        _state.nodes[node._path] = node
        created = node_type.hda_sections.get("OnCreated")
        if run_init_scripts and created:
            exec(
                compile(created, "opdef:/Driver/{}?OnCreated".format(node_type_name), "exec"),
                {
                    "kwargs": {"node": node, "type": node_type},
                    "__name__": "OnCreated",
                },
            )
        return node

    def hdaModule(self):
        code = self._type.hda_sections.get("PythonModule")
        if code is None:
            raise OperationFailed("{} is not a digital asset".format(self._path))
        module = types.ModuleType("hou.hdaModule")
        where = "opdef:/Driver/{}?PythonModule".format(self._type.name())
        exec(compile(code, where, "exec"), module.__dict__)
        return module

    def render(
        self,
        frame_range=(),
        res=(),
        output_file=None,
        output_format=None,
        to_flipbook=False,
        quality=2,
        ignore_inputs=False,
        **kwargs,
    ):
        """Record the render (in ``renders``, and in the file ``$FAKE_HOU_RENDER_LOG`` names
        when set, for a render run in another process). As Houdini documents it, the inputs
        render first, recursively, unless ``ignore_inputs``."""
        if not ignore_inputs:
            for source in self._inputs:
                if source is not None:
                    source.render(frame_range)
        self.renders.append(tuple(frame_range))
        log = os.environ.get("FAKE_HOU_RENDER_LOG")
        if log:
            with open(log, "a") as handle:
                handle.write(json.dumps([self._path, list(frame_range)]) + "\n")


def node(path):
    return _state.nodes.get(path)


def scene_data():
    """The session as JSON data: what the fake writes as a .hip file."""
    nodes = []
    for path, item in sorted(_state.nodes.items()):
        if item.type().category().name() == "Manager":
            continue
        nodes.append(
            {
                "path": path,
                "category": item.type().category().name(),
                "type": item.type().name(),
                "parms": {name: parm._value for name, parm in item._parms.items()},
                "tuples": {name: list(parm.eval()) for name, parm in item._tuples.items()},
                "inputs": [source.path() if source else None for source in item.inputs()],
            }
        )
    return {"frame": _state.frame, "playbar": list(_state.playbar), "nodes": nodes}


def add_node(path, type_name, parms=None, category="Driver"):
    """Put a node of a registered type in the scene (no creation script run)."""
    node_type = _TYPES[(category, type_name)]
    created = Node(path, node_type, parms)
    _state.nodes[path] = created
    return created


def press_button(node_path, parm_name):
    """What Houdini does when a button parm is pressed: run its Python callback with
    ``kwargs`` and ``hou.phm()`` bound to the node's HDA module."""
    target = _state.nodes[node_path]
    parm = target.parm(parm_name)
    script = parm.parmTemplate().tags()["script_callback"]
    _state.current = target
    try:
        return eval(script, {"hou": _module(), "kwargs": {"node": target, "parm": parm}})
    finally:
        _state.current = None


def phm():
    if _state.current is None:
        raise OperationFailed("hou.phm() outside a parameter callback")
    return _state.current.hdaModule()


def _module():
    import sys

    return sys.modules[__name__]


# -- module functions -------------------------------------------------------------------------
def frame(full_precision=False):
    return _state.frame


def applicationVersionString():
    return _state.version


def isUIAvailable():
    return _state.ui_available


def fileReferences(project_dir_variable="HIP", include_all_refs=True):
    found = []
    for current in _state.nodes.values():
        for parm in current.parms():
            if parm.parmTemplate().file and parm.unexpandedString():
                found.append((parm, parm.unexpandedString()))
    return tuple(found) + tuple(_state.extra_references)


class text:  # noqa: N801
    @staticmethod
    def expandString(str, expand_tilde=True):  # noqa: A002 - hou's parameter name
        variables = dict(os.environ)
        variables.update(
            {
                "HIP": os.path.dirname(_state.hip) if _state.hip else os.getcwd(),
                "HIPNAME": os.path.splitext(os.path.basename(_state.hip))[0] or "untitled",
            }
        )
        variables.update(_state.variables)

        def frame_variable(digits):
            return "{:d}".format(int(_state.frame)).zfill(int(digits or 0))

        def replace(match):
            name = match.group(1) or match.group(2)
            padded = re.fullmatch(r"F(\d?)", name)
            if padded:
                return frame_variable(padded.group(1))
            if name == "FF":
                return repr(float(_state.frame))
            return variables.get(name, "")

        result = re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)", replace, str)
        if expand_tilde:
            result = os.path.expanduser(result)
        return result


class hipFile:  # noqa: N801
    @staticmethod
    def path():
        return _state.hip or os.path.join(os.getcwd(), "untitled.hip")

    @staticmethod
    def isNewFile():
        return not _state.hip

    @staticmethod
    def saveAsBackup():
        if _state.backup_fails:
            raise OperationFailed("Could not write the backup file")
        folder = os.path.join(os.path.dirname(hipFile.path()), "backup")
        os.makedirs(folder, exist_ok=True)
        stem = os.path.splitext(os.path.basename(hipFile.path()))[0]
        index = 1
        while os.path.exists(os.path.join(folder, "{}_bak{}.hip".format(stem, index))):
            index += 1
        backup = os.path.join(folder, "{}_bak{}.hip".format(stem, index))
        with open(backup, "w") as handle:
            json.dump(scene_data(), handle, indent=1, sort_keys=True)
        return backup

    @staticmethod
    def load(file_name, suppress_save_prompt=False, ignore_load_warnings=False):
        """Load a scene ``saveAsBackup`` wrote (nodes of unknown types are left out, as
        Houdini leaves out nodes whose asset is not installed)."""
        with open(file_name) as handle:
            data = json.load(handle)
        reset(file_name)
        _state.frame = data["frame"]
        _state.playbar = tuple(data["playbar"])
        for item in data["nodes"]:
            if (item["category"], item["type"]) in _TYPES and item["path"] not in _state.nodes:
                values = dict(item["parms"])
                values.update({name: tuple(value) for name, value in item["tuples"].items()})
                add_node(item["path"], item["type"], values, item["category"])
        for item in data["nodes"]:
            for index, source in enumerate(item["inputs"]):
                if item["path"] in _state.nodes and source in _state.nodes:
                    _state.nodes[item["path"]].setInput(index, _state.nodes[source])


class playbar:  # noqa: N801
    @staticmethod
    def frameRange():
        return _state.playbar


class ui:  # noqa: N801
    @staticmethod
    def displayMessage(
        text,
        buttons=("OK",),
        severity=severityType.Message,
        default_choice=0,
        close_choice=None,
        help=None,  # noqa: A002 - hou's parameter name
        title=None,
        **kwargs,
    ):
        _state.messages.append((text, severity, title))
        return 0


class qt:  # noqa: N801
    @staticmethod
    def mainWindow():
        return _state.main_window
