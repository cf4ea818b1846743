"""Settings read from and written to FarmhandJob attributes, typed as ``JobSettings`` types them.

Each kind of attribute (``attributes``) holds its setting in Clarisse's own way: a choice is a
long whose presets are labels (``Smart sequence`` is ``smart``), a farm name (project, instance
type) is a long whose presets are the names the farm gave at Connect, lists are string lists.
Two settings are spread differently: ``notify`` is the ``email_addresses`` text, used only
while the ``notify`` switch is on; each ``extra_environment`` entry is one line,
``NAME=value`` (replace), ``NAME+=value`` (append) or ``NAME=+value`` (prepend).
"""

import re
from typing import Any, List

import ix

from farmhand.core.environment import EnvEntry
from farmhand.core.errors import InputError
from farmhand.plugins.clarisse.attributes import (
    BOOL,
    CHOICE,
    DYNAMIC,
    LONG,
    NOT_SET,
    STRING,
    STRING_LIST,
    Attribute,
)

_ENTRY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(\+=|=\+|=)(.*)$")
_POLICY_OF = {"=": "exclusive", "+=": "append", "=+": "prepend"}
_OPERATOR_OF = {policy: operator for operator, policy in _POLICY_OF.items()}


def string_list(attr: Any) -> List[str]:
    values = ix.api.CoreStringArray()
    attr.get_values(values)
    return [str(value) for value in values]


def set_string_list(attr: Any, values: List[str]) -> None:
    attr.remove_all()
    for value in values:
        attr.add_string(value)


def preset_labels(attr: Any) -> List[str]:
    return [attr.get_preset_label(index) for index in range(attr.get_preset_count())]


def dynamic_value(attr: Any) -> str:
    """The name a farm-name menu shows ("" for ``- not set -``)."""
    current = str(attr.get_long())
    for index in range(attr.get_preset_count()):
        if attr.get_preset_value(index) == current:
            label = attr.get_preset_label(index)
            return "" if label == NOT_SET else str(label)
    return ""


def set_dynamic_value(attr: Any, name: str) -> None:
    """Select ``name`` in a farm-name menu, adding it when the farm has not listed it yet (a
    project saved before the farm was reached keeps its setting)."""
    label = name or NOT_SET
    labels = preset_labels(attr)
    if label not in labels:
        attr.add_preset(label, str(len(labels)))
        labels.append(label)
    attr.set_long(int(attr.get_preset_value(labels.index(label))))


def set_dynamic_choices(attr: Any, names: List[str], keep: str) -> None:
    """Offer ``names`` (after ``- not set -``), keeping ``keep`` selected (added if missing)."""
    for label in preset_labels(attr):
        attr.remove_preset(label)
    for index, label in enumerate([NOT_SET] + [n for n in names if n]):
        attr.add_preset(label, str(index))
    set_dynamic_value(attr, keep)


def format_entry(entry: EnvEntry) -> str:
    return "{}{}{}".format(entry.name, _OPERATOR_OF.get(entry.merge_policy, "="), entry.value)


def parse_entry(text: str, where: str) -> EnvEntry:
    match = _ENTRY.match(text)
    if match is None:
        raise InputError("{!r} is not NAME=value, NAME+=value or NAME=+value".format(text), where)
    name, operator, value = match.groups()
    return EnvEntry(name, value, _POLICY_OF[operator])


def read_setting(item: Any, spec: Attribute) -> Any:
    """The setting ``spec`` mirrors, read from the FarmhandJob ``item``."""
    attr = item.get_attribute(spec.name)
    if spec.field == "notify":
        if not item.get_attribute("notify").get_bool():
            return []
        return [piece.strip() for piece in attr.get_string().split(",") if piece.strip()]
    if spec.field == "extra_environment":
        return [
            parse_entry(text, "{}[{}]".format(spec.name, index))
            for index, text in enumerate(string_list(attr))
        ]
    if spec.kind == STRING:
        return str(attr.get_string())
    if spec.kind == BOOL:
        return bool(attr.get_bool())
    if spec.kind == LONG:
        return int(attr.get_long())
    if spec.kind == CHOICE:
        index = int(attr.get_long())
        if not 0 <= index < len(spec.choices):
            raise InputError(
                "holds choice {}, not one of 0 to {} ({})".format(
                    index, len(spec.choices) - 1, ", ".join(t for t, _ in spec.choices)
                ),
                spec.name,
            )
        return spec.choices[index][0]
    if spec.kind == DYNAMIC:
        return dynamic_value(attr)
    if spec.kind == STRING_LIST:
        return string_list(attr)
    raise KeyError(spec.kind)


def checked(spec: Attribute, value: Any) -> Any:
    """``value`` when an attribute of ``spec``'s kind can hold it; else ``InputError`` naming
    the setting (settings built in code are not checked before they are stored)."""
    expected: Any = {BOOL: bool, LONG: int, STRING_LIST: list}.get(spec.kind, str)
    if spec.field in ("notify", "extra_environment"):
        expected = list
    if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
        raise InputError(
            "attribute {} holds {}, got {!r}".format(spec.name, expected.__name__, value),
            spec.field,
        )
    if spec.kind == CHOICE and value not in [token for token, _ in spec.choices]:
        raise InputError(
            "{!r} is not one of {}".format(value, ", ".join(t for t, _ in spec.choices)),
            spec.field,
        )
    return value


def write_setting(item: Any, spec: Attribute, value: Any) -> None:
    attr = item.get_attribute(spec.name)
    if spec.field == "notify":
        attr.set_string(", ".join(value))
        item.get_attribute("notify").set_bool(bool(value))
    elif spec.field == "extra_environment":
        set_string_list(attr, [format_entry(entry) for entry in value])
    elif spec.kind == STRING:
        attr.set_string(value)
    elif spec.kind == BOOL:
        attr.set_bool(value)
    elif spec.kind == LONG:
        attr.set_long(value)
    elif spec.kind == CHOICE:
        attr.set_long([token for token, _ in spec.choices].index(value))
    elif spec.kind == DYNAMIC:
        set_dynamic_value(attr, value)
    elif spec.kind == STRING_LIST:
        set_string_list(attr, list(value))
