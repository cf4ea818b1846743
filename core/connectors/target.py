"""Which farm a submission goes to: a farm name, or the URL of a Conductor-compatible service.

One concept, one name: the *farm*. ``farmhand submit --farm NAME``, the ``farm`` key of a job
file and the Farm section of the submitter all take the same values: ``local`` (the farm on
this workstation, found and started when none answers by ``local_farm``; core never imports
the farm service), a registered engine (``slurm``, ``conductor``...: ``registry``), or an
``http(s)://`` URL, which is a Conductor-compatible service reached with ``CONDUCTOR_API_KEY``.
With no farm given, ``CONDUCTOR_URL`` picks the service when it is set, as Conductor's own
tools do, else the local farm. (``--target`` is the older name of ``--farm``.)
"""

import os
from typing import Mapping, Optional

from farmhand.core.connectors.base import Connector
from farmhand.core.connectors.registry import connector_class, connector_names
from farmhand.core.errors import InputError

LOCAL = "local"


def default_farm(environ: Optional[Mapping[str, str]] = None) -> str:
    env = os.environ if environ is None else environ
    return env.get("CONDUCTOR_URL") or LOCAL


def valid_farms() -> str:
    return "{}, or the http:// or https:// URL of a Conductor-compatible service".format(
        ", ".join(connector_names())
    )


def is_url(farm: str) -> bool:
    return farm.startswith(("http://", "https://"))


def check_farm(farm: str, field: str = "farm") -> str:
    """``farm`` stripped, when it is a farm name or a URL; else an ``InputError`` listing the
    valid farms (no module is imported, nothing is reached)."""
    name = farm.strip()
    if is_url(name) or name in connector_names():
        return name
    raise InputError("unknown farm {!r}; valid farms: {}".format(farm, valid_farms()), field)


def choose_farm(
    given: Optional[str] = None,
    job_farm: Optional[str] = None,
    environ: Optional[Mapping[str, str]] = None,
) -> str:
    """The farm in force: ``given`` (``--farm``), else the job file's ``farm`` key, else the
    default (``CONDUCTOR_URL``, else local)."""
    if given and given.strip():
        return check_farm(given)
    if job_farm and job_farm.strip():
        return check_farm(job_farm)
    return default_farm(environ)


def connect(farm: Optional[str] = None, environ: Optional[Mapping[str, str]] = None) -> Connector:
    """A connector for ``farm`` (see the module docstring); may block: it may start the
    local farm, and it reaches the network.

    ``environ`` stands in for ``os.environ`` when looking up ``CONDUCTOR_URL``, the API key of
    a service and an engine's settings; for the local farm it adds to ``os.environ``
    (``FARMHAND_HOME``, ``FARMHAND_COMMAND``), since a started farm needs the rest of the
    environment too.
    """
    env = os.environ if environ is None else environ
    name = check_farm(farm or default_farm(env))
    if is_url(name):
        from farmhand.core.connectors.conductor.connector import ConductorConnector

        return ConductorConnector.at_url(name, env)
    return connector_class(name).from_environment(environ)


# The older names, kept for callers written before ``farm`` was the one name.
default_target = default_farm
valid_targets = valid_farms
