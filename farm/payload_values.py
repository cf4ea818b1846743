"""Reading one value of a JSON payload, or a 400 that names the field and shows the value.

Shared by the payload parser and the task parser so every message reads alike:
``expected an integer, got str '5'``.
"""

from typing import Any, Dict, Mapping, Optional

from farmhand.farm.errors import RequestError


def type_name(value: Any) -> str:
    return "null" if value is None else type(value).__name__


def describe(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def string_field(data: Mapping[str, Any], key: str, default: str = "", limit: int = 4096) -> str:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, str):
        raise RequestError(
            "expected a string, got {} {}".format(type_name(value), describe(value)), field=key
        )
    if len(value) > limit:
        raise RequestError(
            "is {} characters long; the limit is {}".format(len(value), limit), field=key
        )
    return value


def integer_field(
    data: Mapping[str, Any], key: str, default: int, minimum: Optional[int] = None
) -> int:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise RequestError(
            "expected an integer, got {} {}".format(type_name(value), describe(value)),
            field=key,
        )
    if minimum is not None and value < minimum:
        raise RequestError("must be >= {}, got {}".format(minimum, value), field=key)
    if not -(2**63) <= value < 2**63:  # SQLite's integers (OverflowError, a 500: fuzzing)
        raise RequestError(
            "must be a 64-bit integer (-2**63 to 2**63 - 1), got {}".format(describe(value)),
            field=key,
        )
    return value


def boolean_field(data: Mapping[str, Any], key: str, default: bool) -> bool:
    value = data.get(key, default)
    if value is None:
        return default
    if not isinstance(value, bool):
        raise RequestError(
            "expected true or false, got {} {}".format(type_name(value), describe(value)),
            field=key,
        )
    return value


def string_map_field(data: Mapping[str, Any], key: str, limit: int) -> Dict[str, str]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise RequestError(
            "expected an object of strings, got {} {}".format(type_name(value), describe(value)),
            field=key,
        )
    if len(value) > limit:
        raise RequestError("has {} entries; the limit is {}".format(len(value), limit), field=key)
    result = {}
    for name, item in value.items():
        if not isinstance(item, str):
            raise RequestError(
                "expected a string, got {} {}".format(type_name(item), describe(item)),
                field="{}.{}".format(key, name),
            )
        result[str(name)] = item
    return result
