"""What can be known of a farm without reaching it: its capabilities and its native form.

A preview must not start the local farm or call a service just to say what the farm will
not honour, or to write the payload it would send; a URL is a Conductor-compatible service,
so it answers as ``conductor`` does. Engines with their own settings (Slurm's partitions and
job folder) are built with ``from_environment``, which reads settings but reaches nothing.
"""

from typing import Any, List, Mapping, Optional, Tuple

from farmhand.core.connectors.capabilities import Capabilities
from farmhand.core.connectors.registry import connector_class
from farmhand.core.connectors.target import check_farm, is_url

# Farms that speak the Conductor protocol: their native form is the payload itself.
PAYLOAD_FARMS = ("local", "conductor")


def farm_name(farm: str) -> str:
    """The registry name of ``farm`` (a URL is the ``conductor`` farm)."""
    name = check_farm(farm)
    return "conductor" if is_url(name) else name


def farm_capabilities(farm: str) -> Tuple[str, Capabilities]:
    """``(name, capabilities)`` of ``farm``; only the engine's module is imported."""
    name = farm_name(farm)
    return name, connector_class(name).capabilities


def native_form(
    farm: str, submission: Any, folder: str, extra: Optional[Mapping[str, Any]] = None
) -> List[str]:
    """Write what ``farm`` would be sent into ``folder``; the paths written."""
    name = farm_name(farm)
    if name in PAYLOAD_FARMS:
        from farmhand.core.connectors.conductor.connector import write_payload

        return [write_payload(submission, folder, extra)]
    with connector_class(name).from_environment() as connector:
        return connector.export(submission, folder, extra)
