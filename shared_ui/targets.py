"""Where a job goes: the local farm, a Conductor-compatible service, or an engine connector.

A ``FarmTarget`` is plain data the Farm section edits. Opening it uses the core's
``connectors.connect``, which finds the local farm (and starts it when none answers) without
importing the farm service, as the shared UI may not.
"""

import os
from typing import Dict, List, Mapping, Optional, Tuple

from farmhand.core.connectors import Connector, connect, connector_names
from farmhand.core.errors import InputError

LOCAL = "local"
SERVICE = "service"


# How the menu names the engines (``farmhand farms`` lists what each supports).
ENGINE_LABELS = {
    "slurm": "Slurm cluster",
    "opencue": "OpenCue",
    "openjd": "AWS Deadline Cloud (OpenJD)",
    "tractor": "Tractor",
    "gridmarkets": "GridMarkets",
}


def target_kinds() -> List[Tuple[str, str]]:
    """``(kind, label)`` in menu order: the local farm, a service URL, then other engines."""
    kinds = [(LOCAL, "Local farm (this workstation)"), (SERVICE, "Conductor-compatible service")]
    for name in connector_names():
        if name not in (LOCAL, "conductor"):  # the service entry is the Conductor protocol
            kinds.append((name, ENGINE_LABELS.get(name, name.capitalize())))
    return kinds


def needs_url(kind: str) -> bool:
    return kind == SERVICE


class FarmTarget(object):
    """A farm to connect to: ``kind`` plus, for a service, its URL and API key."""

    __slots__ = ("kind", "url", "api_key")

    def __init__(self, kind: str = LOCAL, url: str = "", api_key: str = "") -> None:
        self.kind = kind
        self.url = url
        self.api_key = api_key

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "FarmTarget":
        """``CONDUCTOR_URL`` (and ``CONDUCTOR_API_KEY``) select a service; else the local farm."""
        env = os.environ if environ is None else environ
        url = env.get("CONDUCTOR_URL", "")
        if url:
            return cls(SERVICE, url, env.get("CONDUCTOR_API_KEY", ""))
        return cls(LOCAL)

    @classmethod
    def from_text(cls, text: str) -> "FarmTarget":
        """What ``--farm`` and a job file's ``farm`` take: a farm name or a URL."""
        text = text.strip()
        if text.startswith(("http://", "https://")):
            return cls(SERVICE, text, os.environ.get("CONDUCTOR_API_KEY", ""))
        if text == "conductor":
            return cls(SERVICE, os.environ.get("CONDUCTOR_URL", ""),
                       os.environ.get("CONDUCTOR_API_KEY", ""))
        return cls(text or LOCAL)

    def as_text(self) -> str:
        """The ``farm`` setting for this target: its name, or a service's URL (the API key is
        never part of it). A service without a URL yet is the ``conductor`` farm, which
        reads ``CONDUCTOR_URL``."""
        if self.kind == SERVICE:
            return self.url or "conductor"
        return self.kind

    def describe(self) -> str:
        if self.kind == LOCAL:
            return "the local farm"
        if self.kind == SERVICE:
            return "the farm at {}".format(self.url) if self.url else "a service (no URL set)"
        return "the {} farm".format(self.kind)

    def open(self) -> Connector:
        """A connector for this target (may block: start the local farm, reach the network)."""
        environ: Dict[str, str] = dict(os.environ)
        typed_key = self.kind == SERVICE and bool(self.api_key)
        if self.kind == SERVICE:
            target = self.url
            if typed_key:
                environ["CONDUCTOR_API_KEY"] = self.api_key
                environ.pop("CONDUCTOR_API_KEY_PATH", None)
        else:
            target = self.kind
        try:
            return connect(target, environ=environ)
        except InputError as error:
            if typed_key and error.field == "api_key":
                # the core names the variable it read; here the user typed the key
                message = error.message.replace(
                    "from CONDUCTOR_API_KEY", "typed in the Farm section"
                )
                raise InputError(message, "api_key") from None
            raise

    def _key(self) -> Tuple[str, str, str]:
        return (self.kind, self.url, self.api_key)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, FarmTarget) and self._key() == other._key()

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return "FarmTarget({!r}, {!r})".format(self.kind, self.url)
