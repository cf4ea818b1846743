"""Connectors by name: an explicit table, not a mutable global registry.

A new engine is one line here (``name: "module:Class"``); the module is imported only when
that engine is used, so a missing optional dependency of one engine never breaks another.
"""

import importlib
from typing import Dict, Tuple, Type

from farmhand.core.connectors.base import Connector
from farmhand.core.errors import InputError

CONNECTORS: Dict[str, str] = {
    "conductor": "farmhand.core.connectors.conductor.connector:ConductorConnector",
}


def connector_names() -> Tuple[str, ...]:
    return tuple(sorted(CONNECTORS))


def connector_class(name: str, field: str = "target") -> Type[Connector]:
    """The class registered under ``name``; an unknown name lists the valid ones."""
    try:
        location = CONNECTORS[name]
    except KeyError:
        raise InputError(
            "unknown connector {!r}; valid connectors: {}".format(
                name, ", ".join(connector_names())
            ),
            field=field,
        ) from None
    module_name, _, class_name = location.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        raise TypeError("{} is not a Connector".format(location))
    return cls
