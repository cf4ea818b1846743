"""Farms by name: an explicit table, not a mutable global registry.

A new engine is one line here (``name: "module:Class"``); the module is imported only when
that engine is used, so a missing optional dependency of one engine never breaks another.
An engine whose module has not landed yet is listed all the same and says so when opened.
"""

import importlib
import importlib.util
from typing import Dict, List, NamedTuple, Optional, Tuple, Type

from farmhand.core.connectors.base import Connector
from farmhand.core.errors import InputError, UnsupportedError

CONNECTORS: Dict[str, str] = {
    "local": "farmhand.core.connectors.conductor.local_connector:LocalFarmConnector",
    "conductor": "farmhand.core.connectors.conductor.connector:ConductorConnector",
    "slurm": "farmhand.core.connectors.slurm.connector:SlurmConnector",
    "opencue": "farmhand.core.connectors.opencue.connector:OpenCueConnector",
    "openjd": "farmhand.core.connectors.openjd.connector:OpenJDConnector",
    # Tractor spools the job script of farmhand.api.tractor.author, so it lives in that layer.
    "tractor": "farmhand.api.tractor.connector:TractorConnector",
    "gridmarkets": "farmhand.core.connectors.gridmarkets.connector:GridMarketsConnector",
}

# What ``farmhand farms`` says of an engine whose module is not there yet.
NOT_IMPLEMENTED = "not implemented yet"


def connector_names() -> Tuple[str, ...]:
    """Every farm name, ``local`` first, then alphabetical."""
    return ("local",) + tuple(sorted(name for name in CONNECTORS if name != "local"))


def connector_class(name: str, field: str = "farm") -> Type[Connector]:
    """The class registered under ``name``; an unknown name lists the valid ones, a farm
    whose module has not landed (or lacks an optional package) is an ``UnsupportedError``."""
    try:
        location = CONNECTORS[name]
    except KeyError:
        raise InputError(
            "unknown farm {!r}; valid farms: {}".format(name, ", ".join(connector_names())),
            field=field,
        ) from None
    module_name, _, class_name = location.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        missing = getattr(error, "name", None) or ""
        if module_name == missing or module_name.startswith(missing + "."):
            raise UnsupportedError(
                "the {} farm is {} (issue 7); available farms: {}".format(
                    name, NOT_IMPLEMENTED, ", ".join(available_names())
                ),
                name,
            ) from None
        raise UnsupportedError(
            "the {} farm needs the Python package {!r}, which is not installed: {}".format(
                name, missing or "?", error
            ),
            name,
        ) from None
    cls = getattr(module, class_name, None)
    if not (isinstance(cls, type) and issubclass(cls, Connector)):
        raise TypeError("{} is not a Connector".format(location))
    return cls


class FarmEntry(NamedTuple):
    """One row of ``farmhand farms``: the class when it can be loaded, else why not."""

    name: str
    connector: Optional[Type[Connector]]
    problem: str


def farm_entries() -> List[FarmEntry]:
    entries = []
    for name in connector_names():
        try:
            entries.append(FarmEntry(name, connector_class(name), ""))
        except UnsupportedError as error:
            problem = NOT_IMPLEMENTED if NOT_IMPLEMENTED in error.message else error.message
            entries.append(FarmEntry(name, None, problem))
    return entries


def available_names() -> List[str]:
    """The farms whose module is there (without importing any of them)."""
    found = []
    for name in connector_names():
        module_name = CONNECTORS[name].partition(":")[0]
        try:
            spec = importlib.util.find_spec(module_name)
        except (ImportError, ValueError):
            spec = None
        if spec is not None:
            found.append(name)
    return found
