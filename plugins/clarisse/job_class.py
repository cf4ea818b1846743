"""The FarmhandJob scripted class: its attributes, its buttons and what an edit updates.

Clarisse calls the engine to declare the class's attributes once, then on every button press
(``on_action``) and attribute change (``on_attribute_change``) of any FarmhandJob item.
Clarisse crashes on an exception escaping a scripted class, so every entry point is guarded:
an error goes to Clarisse's log (``callbacks.guarded``) and the call returns.
"""

from typing import Any, Callable, Dict

import ix

from farmhand.core.host import guarded
from farmhand.core.job.settings import JobSettings
from farmhand.plugins.clarisse import actions
from farmhand.plugins.clarisse.adapter import TASK_TEMPLATE, ClarisseAdapter
from farmhand.plugins.clarisse.attributes import (
    ACTION,
    ATTRIBUTES,
    BOOL,
    CHOICE,
    DYNAMIC,
    FRAME_ATTRIBUTES,
    LONG,
    NOT_SET,
    REFERENCE_LIST,
    STRING,
    STRING_LIST,
    Attribute,
)
from farmhand.plugins.clarisse.job_node import ClarisseJobNode

# What a new item starts with where it differs from JobSettings' defaults: each image's own
# range, and the render command (a job node made in code gets the same from new_job).
NEW_JOB = {"use_custom_frames": False, "task_template": TASK_TEMPLATE}


def default_value(spec: Attribute) -> Any:
    """What a new item's attribute holds: the setting's default as the attribute holds it."""
    if spec.name == "notify":
        return False
    if not spec.field:
        return "" if spec.kind == STRING else None
    value = NEW_JOB.get(spec.field, getattr(JobSettings(), spec.field))
    if spec.kind == STRING and isinstance(value, list):
        return ", ".join(value)
    return value


def initially_hidden(spec: Attribute) -> bool:
    """Hidden on a new item: the hidden settings, and fields whose switch starts off."""
    defaults = JobSettings()
    switches = {
        "custom_frames": NEW_JOB["use_custom_frames"],
        "scout_frames": defaults.use_scout_frames,
    }
    return spec.hidden or not switches.get(spec.name, True)


def declare_attribute(engine: Any, s_class: Any, spec: Attribute) -> None:
    if spec.kind == ACTION:
        engine.add_action(s_class, spec.name, spec.group)
        s_class.set_attr_doc(spec.name, spec.doc)
        return
    OfAttr = ix.api.OfAttr
    types = {
        STRING: OfAttr.TYPE_STRING,
        BOOL: OfAttr.TYPE_BOOL,
        LONG: OfAttr.TYPE_LONG,
        CHOICE: OfAttr.TYPE_LONG,
        DYNAMIC: OfAttr.TYPE_LONG,
        STRING_LIST: OfAttr.TYPE_STRING,
        REFERENCE_LIST: OfAttr.TYPE_REFERENCE,
    }
    container = (
        OfAttr.CONTAINER_LIST
        if spec.kind in (STRING_LIST, REFERENCE_LIST)
        else OfAttr.CONTAINER_SINGLE
    )
    attr = s_class.add_attribute(
        spec.name, types[spec.kind], container, OfAttr.VISUAL_HINT_DEFAULT, spec.group
    )
    value = default_value(spec)
    if spec.kind == STRING:
        attr.set_string(value or "")
    elif spec.kind == BOOL:
        attr.set_bool(bool(value))
    elif spec.kind == LONG:
        attr.set_long(int(value))
    elif spec.kind == CHOICE:
        for index, (_, label) in enumerate(spec.choices):
            attr.add_preset(label, str(index))
        attr.set_long([token for token, _ in spec.choices].index(value))
    elif spec.kind == DYNAMIC:
        labels = [NOT_SET] + ([value] if value else [])
        for index, label in enumerate(labels):
            attr.add_preset(label, str(index))
        attr.set_long(len(labels) - 1)
    elif spec.kind == REFERENCE_LIST:
        filters = ix.api.CoreStringVector()
        for name in spec.filters:
            filters.add(name)
        attr.set_object_filters(filters)
    if spec.minimum is not None:
        attr.set_numeric_range_min(spec.minimum)
    if initially_hidden(spec):
        attr.set_hidden(True)
    if spec.read_only or spec.name == "email_addresses":
        attr.set_read_only(True)
    s_class.set_attr_doc(spec.name, spec.doc)


def declare(engine: Any, s_class: Any) -> None:
    for spec in ATTRIBUTES:
        declare_attribute(engine, s_class, spec)


def _node(item: Any) -> ClarisseJobNode:
    return ClarisseJobNode(str(item.get_full_name()))


ACTION_HANDLERS: Dict[str, Callable[[ClarisseAdapter, ClarisseJobNode], Any]] = {
    "connect": actions.refresh,
    "preview": actions.preview,
    "submit": actions.submit,
    "best_chunk_size": actions.even_chunks,
    "choose_packages": actions.choose_packages,
    "manage_extra_uploads": actions.manage_extra_uploads,
    "manage_extra_environment": actions.manage_extra_environment,
}


def run_action(name: str, item: Any) -> Any:
    handler = ACTION_HANDLERS.get(name)
    if handler is None:
        raise KeyError(
            "FarmhandJob has no action {!r}; actions: {}".format(
                name, ", ".join(sorted(ACTION_HANDLERS))
            )
        )
    return handler(ClarisseAdapter(), _node(item))


def attribute_changed(item: Any, name: str) -> None:
    if name in ("use_custom_frames", "use_scout_frames", "notify"):
        actions.update_states(item)
    if name == "images":
        actions.fill_output_path(ClarisseAdapter(), _node(item))
    if name in FRAME_ATTRIBUTES:
        actions.update_frames_info(ClarisseAdapter(), _node(item))


class FarmhandJobEngine(ix.api.ModuleScriptedClassEngine):  # type: ignore[misc]
    """The engine Clarisse calls for the FarmhandJob class (see the module docstring)."""

    def __init__(self) -> None:
        ix.api.ModuleScriptedClassEngine.__init__(self)

    def declare_attributes(self, s_class: Any) -> None:
        guarded("Farmhand: declaring the FarmhandJob class", actions.show_error)(declare)(
            self, s_class
        )

    def on_action(self, action: Any, item: Any, data: Any) -> None:
        guarded("Farmhand: " + str(action.get_name()), actions.show_error)(run_action)(
            action.get_name(), item
        )

    def on_attribute_change(self, item: Any, attr: Any, *args: Any) -> None:
        guarded("Farmhand: updating " + str(attr.get_name()), actions.show_error)(
            attribute_changed
        )(item, attr.get_name())
