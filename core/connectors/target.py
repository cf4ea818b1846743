"""Which farm a submission goes to: ``local`` (default), a URL, or a connector by name.

``local`` is the farm Farmhand runs on this workstation. Core never imports the farm service:
whoever can start it in-process (the CLI passes ``farmhand.farm.control.ensure_running``) hands
in an ``ensure_local()`` returning ``(url, api_key)``; without one, ``local_farm`` runs
``farmhand farm credentials`` in a subprocess (what the seed API and hosts use). A URL is a
Conductor-compatible service reached with ``CONDUCTOR_API_KEY`` (or
``CONDUCTOR_API_KEY_PATH``). Without ``--target``, ``CONDUCTOR_URL`` picks the service when it
is set, as Conductor's own tools do.
"""

import os
from typing import Any, Callable, Mapping, Optional, Tuple

from farmhand.core.connectors.base import Connector
from farmhand.core.connectors.conductor.credentials import (
    ApiKey,
    api_key_from_environment,
    parse_api_key,
)
from farmhand.core.connectors.local_farm import ensure_local_farm
from farmhand.core.connectors.registry import connector_class, connector_names
from farmhand.core.errors import InputError

LOCAL = "local"
EnsureLocal = Callable[[], Tuple[str, Any]]


def default_target(environ: Optional[Mapping[str, str]] = None) -> str:
    env = os.environ if environ is None else environ
    return env.get("CONDUCTOR_URL") or LOCAL


def valid_targets() -> str:
    return "local, an http:// or https:// URL, or a connector name ({})".format(
        ", ".join(connector_names())
    )


def connect(
    target: Optional[str] = None,
    ensure_local: Optional[EnsureLocal] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> Connector:
    """A connected (not yet authenticated) connector for ``target``."""
    env = os.environ if environ is None else environ
    name = (target or default_target(env)).strip()
    if name == LOCAL:
        if ensure_local is None:
            url, key = ensure_local_farm(env)
        else:
            url, key = ensure_local()
        return _conductor(url, _key_from_farm(key, url), "local farm")
    if name.startswith(("http://", "https://")):
        _check_url(name)
        return _conductor(name, _key_from_env(env, name), "Conductor-compatible farm")
    if name == "conductor":
        service = env.get("CONDUCTOR_URL") or ""
        if not service:
            raise InputError(
                "target 'conductor' needs CONDUCTOR_URL (and CONDUCTOR_API_KEY) to be set",
                field="target",
            )
        _check_url(service)
        return _conductor(service, _key_from_env(env, service), "Conductor-compatible farm")
    if name in connector_names():  # pragma: no cover - engines with their own settings
        return connector_class(name)()
    raise InputError(
        "unknown target {!r}; valid targets: {}".format(name, valid_targets()), "target"
    )


def _conductor(url: str, key: ApiKey, label: str) -> Connector:
    cls = connector_class("conductor")
    return cls(url, key, label)  # type: ignore[call-arg]


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


def _key_from_farm(key: Any, url: str) -> ApiKey:
    """The local farm's key as a dict, JSON text, or an object with client_id/private_key."""
    if isinstance(key, ApiKey):
        return key
    source = "the local farm at {}".format(url)
    client_id = getattr(key, "client_id", None)
    private_key = getattr(key, "private_key", None)
    if isinstance(client_id, str) and isinstance(private_key, str):
        return ApiKey(client_id, private_key, source)
    return parse_api_key(key, source)
