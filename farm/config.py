"""The farm's optional configuration file, ``$FARMHAND_HOME/farm/config.json``.

Only what a user of a local farm may want to change lives here (extra projects, extra software
packages and instance types a site declares, the account environment, slots, port, multipart
sizes, and the site's path mapping rules that clients read, ``core.path_mapping``);
everything else follows the machine. A bad file stops the farm with a message naming the
file and the key, because a silently ignored setting is worse than a refused start.
"""

import json
import os
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Tuple

from farmhand.core.catalogue import InstanceType, SoftwarePackage
from farmhand.core.errors import InputError
from farmhand.core.path_mapping import CONFIG_KEY as PATH_MAP_KEY
from farmhand.core.path_mapping import PathRule, parse_rules

MERGE_POLICIES = ("exclusive", "append", "prepend")
KEYS = (
    "projects",
    "packages",
    "environment",
    "slots",
    "port",
    "multipart_threshold",
    "part_size",
    "probe_software",
    "instance_types",
    PATH_MAP_KEY,
)


@dataclass(frozen=True)
class FarmConfig:
    projects: Tuple[str, ...] = ()
    packages: Tuple[SoftwarePackage, ...] = ()
    environment: Tuple[Dict[str, str], ...] = ()
    slots: Optional[int] = None
    port: Optional[int] = None
    multipart_threshold: int = 64 * 1024 * 1024
    part_size: int = 64 * 1024 * 1024
    probe_software: bool = True
    instance_types: Tuple[InstanceType, ...] = ()
    path_map: Tuple[PathRule, ...] = ()
    source: str = ""
    extra: Dict[str, Any] = field(default_factory=dict)


def _int(data: Dict[str, Any], key: str, where: str, minimum: int) -> Optional[int]:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise InputError(
            "{}: expected an integer >= {}, got {!r}".format(where, minimum, value), field=key
        )
    return value


def _instance_types(raw: Any, source: str) -> Tuple[InstanceType, ...]:
    """Machine types a site declares (a shape name its scripts use, like ``gm4800``)."""
    if not isinstance(raw, list):
        raise InputError(
            "{}: 'instance_types' must be a list".format(source), field="instance_types"
        )
    result = []
    for index, entry in enumerate(raw):
        where = "{}: instance_types[{}]".format(source, index)
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not (
            entry["name"].strip()
        ):
            raise InputError(
                "{} must be an object with a non-empty 'name'".format(where),
                field="instance_types",
            )
        try:
            item = InstanceType.from_dict(entry)
        except (KeyError, TypeError, ValueError) as error:
            raise InputError(
                "{}: not an instance type ({!s})".format(where, error), field="instance_types"
            ) from None
        if item.cores < 1:
            raise InputError(
                "{}: 'cores' must be at least 1, got {!r}".format(where, entry.get("cores")),
                field="instance_types",
            )
        result.append(item)
    return tuple(result)


def parse_config(data: Any, source: str) -> FarmConfig:
    if not isinstance(data, dict):
        raise InputError("{}: expected a JSON object, got {}".format(source, type(data).__name__))
    unknown = sorted(set(data) - set(KEYS))
    if unknown:
        raise InputError(
            "{}: unknown key(s) {}; valid keys: {}".format(
                source, ", ".join(unknown), ", ".join(KEYS)
            ),
            field=unknown[0],
        )
    projects = data.get("projects", [])
    if not isinstance(projects, list) or not all(
        isinstance(p, str) and p.strip() for p in projects
    ):
        raise InputError(
            "{}: 'projects' must be a list of non-empty names, got {!r}".format(source, projects),
            field="projects",
        )
    raw_packages = data.get("packages", [])
    if not isinstance(raw_packages, list):
        raise InputError("{}: 'packages' must be a list".format(source), field="packages")
    packages = []
    for index, raw in enumerate(raw_packages):
        if not isinstance(raw, dict):
            raise InputError(
                "{}: packages[{}] must be an object".format(source, index), field="packages"
            )
        try:
            packages.append(SoftwarePackage.from_dict(raw))
        except InputError as error:
            raise InputError(
                "{}: packages[{}]: {}".format(source, index, error.message), field="packages"
            ) from None
    environment = data.get("environment", [])
    if not isinstance(environment, list):
        raise InputError("{}: 'environment' must be a list".format(source), field="environment")
    env_entries = []
    for index, entry in enumerate(environment):
        where = "{}: environment[{}]".format(source, index)
        if (
            not isinstance(entry, dict)
            or not isinstance(entry.get("name"), str)
            or not isinstance(entry.get("value"), str)
        ):
            raise InputError(
                "{} must be an object with string 'name' and 'value'".format(where),
                field="environment",
            )
        policy = entry.get("merge_policy", "exclusive")
        if policy not in MERGE_POLICIES:
            raise InputError(
                "{}: merge_policy {!r} is not one of {}".format(
                    where, policy, ", ".join(MERGE_POLICIES)
                ),
                field="environment",
            )
        env_entries.append({"name": entry["name"], "value": entry["value"], "merge_policy": policy})
    probe = data.get("probe_software", True)
    if not isinstance(probe, bool):
        raise InputError(
            "{}: 'probe_software' must be true or false".format(source), field="probe_software"
        )
    instance_types = _instance_types(data.get("instance_types", []), source)
    path_map = tuple(parse_rules(data.get(PATH_MAP_KEY, []), "{}: {}".format(source, PATH_MAP_KEY)))
    threshold = _int(data, "multipart_threshold", source + ": multipart_threshold", 1)
    part_size = _int(data, "part_size", source + ": part_size", 1)
    return FarmConfig(
        projects=tuple(p.strip() for p in projects),
        packages=tuple(packages),
        environment=tuple(env_entries),
        slots=_int(data, "slots", source + ": slots", 1),
        port=_int(data, "port", source + ": port", 0),
        multipart_threshold=threshold or FarmConfig.multipart_threshold,
        part_size=part_size or FarmConfig.part_size,
        probe_software=probe,
        instance_types=instance_types,
        path_map=path_map,
        source=source,
    )


def load_config(path: str) -> FarmConfig:
    if not os.path.exists(path):
        return FarmConfig(source=path)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except ValueError as error:
        raise InputError("{}: not valid JSON ({})".format(path, error), field="config") from None
    return parse_config(data, path)


def policies_of(entries: List[Dict[str, str]]) -> Dict[str, str]:
    return {entry["name"]: entry.get("merge_policy", "exclusive") for entry in entries}
