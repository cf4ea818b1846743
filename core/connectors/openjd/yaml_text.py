"""YAML text for job bundles, written without a YAML library (core depends on none).

Only what a bundle holds: mappings, lists, strings, integers, booleans. Every string that
could read as anything but itself (``yes``, ``1.0``, ``null``, ``{{Param.X}}``, a leading
``-``...) is double-quoted with YAML's escapes, so ``openjd`` and ``deadline`` read back
exactly the text Farmhand meant; plain words stay unquoted so the file reads like the job
bundles users write by hand.
"""

import re
from typing import Any, List, Mapping

_PLAIN = re.compile(r"^[A-Za-z_/][A-Za-z0-9_./-]*$")
# Words YAML 1.1 (PyYAML) or 1.2 read as booleans or null.
_SPECIAL = frozenset(["y", "n", "yes", "no", "true", "false", "on", "off", "null", "~"])
_ESCAPES = {"\\": "\\\\", '"': '\\"', "\t": "\\t", "\n": "\\n", "\r": "\\r", "\x00": "\\0"}


def _escape(char: str) -> str:
    if char in _ESCAPES:
        return _ESCAPES[char]
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "\\x{:02x}".format(code)
    if code in (0x2028, 0x2029, 0xFEFF) or 0xD800 <= code <= 0xDFFF or code in (0xFFFE, 0xFFFF):
        return "\\u{:04x}".format(code)
    return char


def quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    return '"' + "".join(_escape(char) for char in text) + '"'


def scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        if _PLAIN.match(value) and value.lower() not in _SPECIAL:
            return value
        return quoted(value)
    raise TypeError("cannot write {!r} as YAML".format(value))


def _key(key: Any) -> str:
    if not isinstance(key, str):
        raise TypeError("YAML keys here are strings, got {!r}".format(key))
    return scalar(key)


def _lines(value: Any, indent: int) -> List[str]:
    """The block lines of a mapping or list value, indented by ``indent`` spaces."""
    pad = " " * indent
    lines: List[str] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if _is_block(item):
                lines.append("{}{}:".format(pad, _key(key)))
                lines.extend(_lines(item, indent + 2))
            else:
                lines.append("{}{}: {}".format(pad, _key(key), _inline(item)))
        return lines
    for item in value:
        if _is_block(item):
            inner = _lines(item, indent + 2)
            lines.append(pad + "- " + inner[0][indent + 2 :])
            lines.extend(inner[1:])
        else:
            lines.append("{}- {}".format(pad, _inline(item)))
    return lines


def _is_block(value: Any) -> bool:
    return isinstance(value, (Mapping, list, tuple)) and len(value) > 0


def _inline(value: Any) -> str:
    if isinstance(value, Mapping):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return scalar(value)


def yaml_text(document: Mapping[str, Any]) -> str:
    """A mapping as a YAML document (block style, insertion order kept)."""
    return "\n".join(_lines(document, 0)) + "\n"
