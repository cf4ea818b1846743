"""The seed's catalogue queries: software packages, instance types, projects, as plain dicts.

Each asks the default farm (the local farm, or ``CONDUCTOR_URL``) through ``farm_link``, and
returns the wire shape the seed's scripts index into (``p["package_id"]``,
``p["relative_path"]``, ``p["environment"]``...).
"""

from typing import Any, Dict, List

from farmhand.api.conductor import farm_link


def request_software_packages() -> List[Dict[str, Any]]:
    """Every software package the farm offers (hosts and plug-ins)."""
    return [package.to_dict() for package in farm_link.fetch_catalogue().packages]


def request_instance_types() -> List[Dict[str, Any]]:
    """Every instance type the farm offers (``name``, ``cores``, ``memory``, ``description``)."""
    return [item.to_dict() for item in farm_link.fetch_catalogue().instance_types]


def request_projects() -> List[str]:
    """The names of the farm's projects."""
    return list(farm_link.fetch_catalogue().projects)
