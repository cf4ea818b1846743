"""A hand-written stand-in for Clarisse's ``ix`` module: only the members Farmhand calls.

Members are spelt as in Clarisse's Python API (``ix.api.ModuleScriptedClassEngine``,
``OfAttr.get_path_attrs``, ``get_factory().get_objects``...); a misspelt call fails here as it
would in Clarisse, which a ``MagicMock`` would let pass. The project is plain data a test
builds (``reset``, ``add_item``); a registered scripted class works as in Clarisse: its engine
declares the attributes, a new item gets them, a changed attribute calls the engine's
``on_attribute_change`` and ``press`` calls its ``on_action``. ``export_render_archive`` writes
the project as JSON, so a test can read what the render package held.
"""

import json
import os

# -- the session ----------------------------------------------------------------------------


class _State:
    def __init__(self):
        self.project = ""
        self.frame_range = (1.0, 50.0)
        self.version_name = "5.0_SP10"
        self.items = {}  # full name -> Item
        self.classes = {}  # name -> ScriptedClass
        self.variables = {}
        self.log = []  # (level, text)
        self.archive_fails = False
        self.current_context = "project://scene"
        self.registrations = 0
        self.event_loop_callbacks = []  # what add_to_event_loop_single was given


_state = _State()


def reset(project=""):
    global _state
    _state = _State()
    _state.project = project
    if project:
        _state.variables["PDIR"] = os.path.dirname(project)
    return _state


def state():
    return _state


# -- logging ---------------------------------------------------------------------------------
def log_info(text):
    _state.log.append(("info", str(text)))


def log_warning(text):
    _state.log.append(("warning", str(text)))


def log_error(text):
    _state.log.append(("error", str(text)))


# -- attributes --------------------------------------------------------------------------
class _Api:
    pass


api = _Api()


class OfAttr:
    TYPE_STRING = "string"
    TYPE_BOOL = "bool"
    TYPE_LONG = "long"
    TYPE_REFERENCE = "reference"
    CONTAINER_SINGLE = "single"
    CONTAINER_LIST = "list"
    VISUAL_HINT_DEFAULT = 0
    VISUAL_HINT_FILENAME_OPEN = 1
    VISUAL_HINT_FILENAME_SAVE = 2
    _HINT_NAMES = {
        0: "VISUAL_HINT_DEFAULT",
        1: "VISUAL_HINT_FILENAME_OPEN",
        2: "VISUAL_HINT_FILENAME_SAVE",
    }

    def __init__(self, name, type_, container, hint, group, parent=None):
        self._name = name
        self.type = type_
        self.container = container
        self.hint = hint
        self.group = group
        self._parent = parent
        self.value = (
            []
            if container == OfAttr.CONTAINER_LIST
            else {"string": "", "bool": False, "long": 0}.get(type_)
        )
        self.presets = []  # (label, value)
        self.hidden = False
        self.read_only = False
        self.private = False
        self.filters = []
        self.minimum = None
        self.doc = ""

    def copy_to(self, parent):
        copy = OfAttr(self._name, self.type, self.container, self.hint, self.group, parent)
        copy.value = list(self.value) if isinstance(self.value, list) else self.value
        copy.presets = list(self.presets)
        copy.hidden, copy.read_only, copy.filters = self.hidden, self.read_only, list(self.filters)
        copy.minimum, copy.doc = self.minimum, self.doc
        return copy

    def _changed(self):
        if self._parent is not None:
            self._parent._attribute_changed(self)

    def _expect(self, type_, container=CONTAINER_SINGLE):
        if self.type != type_ or self.container != container:
            raise TypeError(
                "{}.{} is {} {}, not {} {}".format(
                    self._parent.get_name() if self._parent else "?",
                    self._name,
                    self.container,
                    self.type,
                    container,
                    type_,
                )
            )

    def get_name(self):
        return self._name

    def get_parent_object(self):
        return self._parent

    def get_string(self):
        self._expect(OfAttr.TYPE_STRING)
        return self.value

    def set_string(self, value):
        self._expect(OfAttr.TYPE_STRING)
        if not isinstance(value, str):
            raise TypeError("set_string takes a str, got {!r}".format(value))
        self.value = value
        self._changed()

    def get_bool(self):
        self._expect(OfAttr.TYPE_BOOL)
        return self.value

    def set_bool(self, value):
        self._expect(OfAttr.TYPE_BOOL)
        self.value = bool(value)
        self._changed()

    def get_long(self):
        self._expect(OfAttr.TYPE_LONG)
        return self.value

    def set_long(self, value):
        self._expect(OfAttr.TYPE_LONG)
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("set_long takes an int, got {!r}".format(value))
        if self.minimum is not None and value < self.minimum:
            value = self.minimum  # Clarisse clamps to the numeric range
        self.value = value
        self._changed()

    def add_preset(self, label, value):
        self.presets.append((label, value))

    def remove_preset(self, label):
        self.presets = [p for p in self.presets if p[0] != label]

    def get_preset_count(self):
        return len(self.presets)

    def get_preset_label(self, index):
        return self.presets[index][0]

    def get_preset_value(self, index):
        return self.presets[index][1]

    def get_values(self, array):
        if self.container != OfAttr.CONTAINER_LIST:
            raise TypeError("{} is not a list attribute".format(self._name))
        for value in self.value:
            array._add(value)

    def remove_all(self):
        self._expect(OfAttr.TYPE_STRING, OfAttr.CONTAINER_LIST)
        self.value = []
        self._changed()

    def add_string(self, value):
        self._expect(OfAttr.TYPE_STRING, OfAttr.CONTAINER_LIST)
        self.value.append(value)
        self._changed()

    def set_hidden(self, hidden):
        self.hidden = bool(hidden)

    def set_read_only(self, read_only):
        self.read_only = bool(read_only)

    def set_object_filters(self, filters):
        self.filters = list(filters)

    def set_numeric_range_min(self, minimum):
        self.minimum = minimum

    def is_private(self):
        return self.private

    def get_visual_hint(self):
        return self.hint

    @staticmethod
    def get_visual_hint_name(hint):
        return OfAttr._HINT_NAMES[hint]

    @staticmethod
    def get_path_attrs():
        found = []
        for item in _state.items.values():
            for attr in item._attrs.values():
                if attr.hint in (
                    OfAttr.VISUAL_HINT_FILENAME_OPEN,
                    OfAttr.VISUAL_HINT_FILENAME_SAVE,
                ):
                    found.append(attr)
        return found


class _Array:
    def __init__(self, *args):
        self._values = []

    def _add(self, value):
        self._values.append(value)

    def __iter__(self):
        return iter(list(self._values))


class OfObjectArray(_Array):
    pass


class CoreStringArray(_Array):
    pass


class CoreStringVector(_Array):
    def add(self, value):
        self._values.append(value)


# -- items -------------------------------------------------------------------------------
class Item:
    """An object (or context) of the project."""

    def __init__(self, full_name, class_name, attrs=(), engine=None):
        self._full_name = full_name
        self._class_name = class_name
        self._attrs = {}
        self.disabled = False
        self._engine = engine
        for attr in attrs:
            self._attrs[attr.get_name()] = attr.copy_to(self)

    def get_name(self):
        return self._full_name.rstrip("/").rsplit("/", 1)[-1]

    def get_full_name(self):
        return self._full_name

    def get_class_name(self):
        return self._class_name

    def is_disabled(self):
        return self.disabled

    def get_attribute(self, name):
        if name not in self._attrs:
            raise KeyError("{} has no attribute {}".format(self._full_name, name))
        return self._attrs[name]

    def attribute_exists(self, name):
        return self._attrs.get(name)

    def _attribute_changed(self, attr):
        if self._engine is not None:
            self._engine.on_attribute_change(self, attr, 0, 0)


def add_item(full_name, class_name, attributes=None):
    """A plain item: ``attributes`` maps a name to (type, value[, hint])."""
    item = Item(full_name, class_name)
    for name, spec in (attributes or {}).items():
        type_, value = spec[0], spec[1]
        hint = spec[2] if len(spec) > 2 else OfAttr.VISUAL_HINT_DEFAULT
        container = OfAttr.CONTAINER_LIST if isinstance(value, list) else OfAttr.CONTAINER_SINGLE
        attr = OfAttr(name, type_, container, hint, "", item)
        attr.value = value
        item._attrs[name] = attr
    _state.items[full_name] = item
    return item


def add_image(full_name, first=1, last=10, step=1, save_as="", render_to_disk=True):
    return add_item(
        full_name,
        "Image",
        {
            "first_frame": ("long", first),
            "last_frame": ("long", last),
            "frame_step": ("long", step),
            "save_as": ("string", save_as, OfAttr.VISUAL_HINT_FILENAME_SAVE),
            "render_to_disk": ("bool", render_to_disk),
        },
    )


def set_images(job_full_name, *image_names):
    """What the artist does with Add in the images attribute."""
    attr = _state.items[job_full_name].get_attribute("images")
    attr.value = [_state.items[name] for name in image_names]
    attr._changed()


def get_item(name):
    found = _state.items.get(name)
    if found is None:
        raise KeyError("no item {}".format(name))
    return found


def item_exists(name):
    return name in _state.items


def get_current_context():
    return _Context(_state.current_context)


class _Context(Item):
    def __init__(self, full_name):
        Item.__init__(self, full_name, "OfContext")


def create_object(name, class_name, dest_context=None):
    context = dest_context.get_full_name() if dest_context is not None else _state.current_context
    full_name = "{}/{}".format(context, name)
    if full_name in _state.items:
        return None
    scripted = _state.classes.get(class_name)
    if scripted is None:
        return None
    item = Item(full_name, class_name, scripted.attributes.values(), scripted.engine)
    _state.items[full_name] = item
    return item


def press(full_name, action_name):
    """The artist presses a button of a scripted-class item."""
    item = _state.items[full_name]
    return item._engine.on_action(_Action(action_name), item, None)


class _Action:
    def __init__(self, name):
        self._name = name

    def get_name(self):
        return self._name


# -- scripted classes ---------------------------------------------------------------------
class ScriptedClass:
    def __init__(self, name, engine):
        self.name = name
        self.engine = engine
        self.attributes = {}
        self.actions = []  # (name, group)
        self.docs = {}

    def add_attribute(self, name, type_, container, visual_hint, group):
        if name in self.attributes:
            raise ValueError("attribute {} declared twice".format(name))
        attr = OfAttr(name, type_, container, visual_hint, group)
        self.attributes[name] = attr
        return attr

    def set_attr_doc(self, name, doc):
        if name not in self.attributes and name not in [a for a, _ in self.actions]:
            raise KeyError("no attribute or action {} to document".format(name))
        self.docs[name] = doc


class ModuleScriptedClassEngine:
    def __init__(self):
        pass

    def add_action(self, s_class, name, group):
        s_class.actions.append((name, group))


class ModuleScriptedClass:
    @staticmethod
    def register_scripted_class(application, class_name, engine, cid=None, force=False):
        if class_name in _state.classes:
            return False
        scripted = ScriptedClass(class_name, engine)
        engine.declare_attributes(scripted)
        _state.classes[class_name] = scripted
        _state.registrations += 1
        return True


api.OfAttr = OfAttr
api.OfObjectArray = OfObjectArray
api.CoreStringArray = CoreStringArray
api.CoreStringVector = CoreStringVector
api.ModuleScriptedClassEngine = ModuleScriptedClassEngine
api.ModuleScriptedClass = ModuleScriptedClass


# -- the application ----------------------------------------------------------------------
class _Variable:
    def __init__(self, value):
        self._value = value

    def get_string(self):
        return self._value


class _Variables:
    def get(self, name):
        value = _state.variables.get(name)
        return None if value is None else _Variable(value)


class _Classes:
    def get(self, name):
        return _state.classes.get(name)


class _Factory:
    def get_objects(self, class_name, array):
        for item in _state.items.values():
            if item.get_class_name() == class_name:
                array._add(item)

    def get_classes(self):
        return _Classes()

    def get_vars(self):
        return _Variables()


class _Application:
    def get_factory(self):
        return _Factory()

    def get_current_project_filename(self):
        return _state.project

    def get_current_frame_range(self):
        return _state.frame_range

    def get_version_name(self):
        return _state.version_name

    def add_to_event_loop_single(self, callback):
        """Clarisse calls ``callback`` on each turn of its event loop (Isotropix's Qt helper
        hands it the function that processes Qt's events)."""
        _state.event_loop_callbacks.append(callback)

    def run_event_loop_once(self):
        """Not Clarisse API: a test turns the event loop once."""
        for callback in list(_state.event_loop_callbacks):
            callback()

    def export_render_archive(self, filename):
        if _state.archive_fails:
            return False
        data = {}
        for name, item in sorted(_state.items.items()):
            data[name] = {
                attr_name: attr.value
                for attr_name, attr in item._attrs.items()
                if not isinstance(attr.value, list) or all(isinstance(v, str) for v in attr.value)
            }
        with open(filename, "w") as handle:
            json.dump(data, handle, indent=1, sort_keys=True)
        return True


application = _Application()
