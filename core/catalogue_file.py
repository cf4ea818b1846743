"""A farm's catalogue saved as JSON, for previews without a farm and for reproducible tests.

The file holds ``{"projects": [...], "instance_types": [...], "packages": [...]}`` with each
entry in the wire shape ``farmhand.core.catalogue`` reads (``InstanceType.from_dict``,
``SoftwarePackage.from_dict``). ``farmhand preview --catalogue FILE`` uses it, so a golden test
or a studio without network access previews against a fixed set of machines and packages.
"""

import json
from typing import Any, Dict, Mapping

from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.errors import InputError

KEYS = ("projects", "instance_types", "packages")


def catalogue_from_dict(data: Mapping[str, Any], source: str = "catalogue") -> Catalogue:
    """A ``Catalogue`` from its JSON form; errors start with ``source`` and name the entry."""
    if not isinstance(data, Mapping):
        raise InputError("{}: expected a JSON object with {}".format(source, ", ".join(KEYS)))
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(
            "{}: unknown key {!r}; valid keys: {}".format(source, unknown[0], ", ".join(KEYS))
        )
    for key in KEYS:
        if not isinstance(data.get(key, []), list):
            raise InputError("{}: {} must be a list".format(source, key))
    projects = data.get("projects", [])
    for index, project in enumerate(projects):
        if not isinstance(project, str) or not project:
            raise InputError(
                "{}: projects[{}] must be a non-empty string, got {!r}".format(
                    source, index, project
                )
            )
    instance_types = []
    for index, entry in enumerate(data.get("instance_types", [])):
        try:
            instance_types.append(InstanceType.from_dict(entry))
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                "{}: instance_types[{}] is not an instance type ({!s})".format(source, index, error)
            ) from None
    packages = []
    for index, entry in enumerate(data.get("packages", [])):
        if not isinstance(entry, dict):
            raise InputError("{}: packages[{}] must be an object".format(source, index))
        try:
            packages.append(SoftwarePackage.from_dict(entry))
        except InputError as error:
            raise InputError("{}: packages[{}]: {}".format(source, index, error.message)) from None
    return Catalogue(tuple(projects), tuple(instance_types), tuple(packages))


def catalogue_to_dict(catalogue: Catalogue) -> Dict[str, Any]:
    return {
        "projects": list(catalogue.projects),
        "instance_types": [item.to_dict() for item in catalogue.instance_types],
        "packages": [item.to_dict() for item in catalogue.packages],
    }


def load_catalogue_file(path: str) -> Catalogue:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise InputError(
            "{}: cannot read the catalogue file: {}".format(path, error.strerror), "catalogue"
        ) from None
    except ValueError as error:
        raise InputError("{}: not valid JSON: {}".format(path, error), "catalogue") from None
    try:
        return catalogue_from_dict(data, path)
    except InputError as error:
        raise InputError(error.message, "catalogue") from None
