"""Which farm a submission goes to: ``local`` (default), a URL, or a connector by name.

``local`` is the farm Farmhand runs on this workstation, found (and started when none
answers) by ``local_farm`` from its state files; core never imports the farm service. A URL is
a Conductor-compatible service reached with ``CONDUCTOR_API_KEY`` (or
``CONDUCTOR_API_KEY_PATH``). Without ``--target``, ``CONDUCTOR_URL`` picks the service when it
is set, as Conductor's own tools do.
"""

import os
from typing import TYPE_CHECKING, Mapping, Optional, Type

from farmhand.core.connectors.base import Connector
from farmhand.core.connectors.conductor.credentials import ApiKey, api_key_from_environment
from farmhand.core.connectors.local_farm import local_farm_http
from farmhand.core.connectors.registry import connector_class, connector_names
from farmhand.core.errors import InputError

if TYPE_CHECKING:
    from farmhand.core.connectors.conductor.connector import ConductorConnector

LOCAL = "local"


def default_target(environ: Optional[Mapping[str, str]] = None) -> str:
    env = os.environ if environ is None else environ
    return env.get("CONDUCTOR_URL") or LOCAL


def valid_targets() -> str:
    return "local, an http:// or https:// URL, or a connector name ({})".format(
        ", ".join(connector_names())
    )


def connect(target: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> Connector:
    """A connector for ``target`` (see the module docstring); may block: it may start the
    local farm, and it reaches the network.

    ``environ`` stands in for ``os.environ`` when looking up ``CONDUCTOR_URL`` and the API key
    of a service; for the local farm it adds to ``os.environ`` (``FARMHAND_HOME``,
    ``FARMHAND_COMMAND``), since a started farm needs the rest of the environment too.
    """
    env = os.environ if environ is None else environ
    name = (target or default_target(env)).strip()
    if name == LOCAL:
        return _conductor_class().over(local_farm_http(environ), "local farm")
    if name.startswith(("http://", "https://")):
        _check_url(name)
        return _conductor(name, _key_from_env(env, name), "Conductor-compatible service")
    if name == "conductor":
        service = env.get("CONDUCTOR_URL") or ""
        if not service:
            raise InputError(
                "target 'conductor' needs CONDUCTOR_URL (and CONDUCTOR_API_KEY) to be set",
                field="target",
            )
        _check_url(service)
        return _conductor(service, _key_from_env(env, service), "Conductor-compatible service")
    if name in connector_names():  # pragma: no cover - engines with their own settings
        return connector_class(name)()
    raise InputError(
        "unknown target {!r}; valid targets: {}".format(name, valid_targets()), "target"
    )


def _conductor_class() -> "Type[ConductorConnector]":
    """Imported on first use, like every connector (see ``registry``)."""
    from farmhand.core.connectors.conductor.connector import ConductorConnector

    return ConductorConnector


def _conductor(url: str, key: ApiKey, label: str) -> Connector:
    return _conductor_class()(url, key, label)


def _check_url(url: str) -> None:
    rest = url.split("://", 1)[1]
    host = rest.split("/", 1)[0]
    if not host or " " in url:
        raise InputError("target URL {!r} has no host".format(url), field="target")


def _key_from_env(env: Mapping[str, str], url: str) -> ApiKey:
    key = api_key_from_environment(env)
    if key is None:
        raise InputError(
            "no API key for {}: set CONDUCTOR_API_KEY (or CONDUCTOR_API_KEY_PATH)".format(url),
            field="api_key",
        )
    return key
