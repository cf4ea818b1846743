"""What this machine offers, as a farm catalogue.

Instance types are shapes this workstation can actually honour (standard, highmem and highcpu
shapes up to its own cores and memory); software packages are the renderers installed here,
with the version the executable reports and the PATH entry that finds it; projects are
``default`` plus the ones the user lists in the config file. The submitter's menus are filled
from this, so a user can only pick what will run.
"""

import hashlib
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

from farmhand.core.catalogue import (
    Catalogue,
    InstanceType,
    PackageEnvironmentEntry,
    SoftwarePackage,
    describe,
)
from farmhand.farm.config import FarmConfig

DEFAULT_PROJECT = "default"
GIB = 1024.0**3
# GiB of memory per core of each flavour (the usual cloud shapes).
FLAVOR_MEMORY = (("standard", 3.75), ("highmem", 6.5), ("highcpu", 0.9))
CORE_STEPS = (1, 2, 4, 8, 16, 32, 64, 96, 128)


@dataclass(frozen=True)
class Probe:
    """How to find one product's executable and read its version."""

    product: str
    executable: str
    args: Tuple[str, ...]
    pattern: str


PROBES = (
    Probe("blender", "blender", ("--version",), r"Blender\s+(\d+)\.(\d+)(?:\.(\d+))?"),
    Probe("houdini", "hython", ("--version",), r"Houdini\s+(\d+)\.(\d+)(?:\.(\d+))?"),
    Probe("maya", "Render", ("-version",), r"Maya\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?"),
)


def machine_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def machine_memory_gib() -> float:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    except (ValueError, OSError, AttributeError):
        return 4.0


def instance_types(cores: int, memory_gib: float) -> List[InstanceType]:
    """Every flavour x core count that fits in ``cores`` and ``memory_gib``.

    highmem and highcpu start at 2 cores, as on the cloud farms users know; the machine's own
    core count is offered even when it is not a power of two, so all of it can be asked for.
    """
    steps = sorted({c for c in CORE_STEPS if c <= cores} | {cores})
    result = []
    for count in steps:
        for flavor, per_core in FLAVOR_MEMORY:
            if flavor != "standard" and count < 2:
                continue
            memory = round(count * per_core, 2)
            if memory > memory_gib:
                continue
            result.append(
                InstanceType(
                    name="{}-{}".format(flavor, count),
                    cores=count,
                    memory=memory,
                    description=describe(count, memory),
                    flavor=flavor,
                )
            )
    if not result:  # a tiny machine: offer one shape that is the machine itself
        memory = round(memory_gib, 2)
        result.append(
            InstanceType("standard-{}".format(cores), cores, memory, describe(cores, memory))
        )
    return result


def package_id(product: str, version: str, platform: str = "linux") -> str:
    """Stable 32-hex id (the form Conductor's ids take), so job files keep working."""
    return hashlib.md5("{} {} {}".format(product, version, platform).encode()).hexdigest()


def _run_probe(probe: Probe, path: str) -> Optional[Tuple[str, ...]]:
    try:
        result = subprocess.run(
            [path, *probe.args],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            timeout=60,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(probe.pattern, result.stdout.decode("utf-8", "replace"))
    if not match:
        return None
    return tuple(part for part in match.groups() if part is not None)


def probe_software(
    cache_path: Optional[str] = None, probes: Sequence[Probe] = PROBES
) -> List[SoftwarePackage]:
    """Installed products, each asked for its version once (cached by path, size and mtime)."""
    cache: Dict[str, List[str]] = {}
    if cache_path and os.path.exists(cache_path):
        try:
            with open(cache_path, encoding="utf-8") as handle:
                cache = json.load(handle)
        except (OSError, ValueError):
            cache = {}
    packages = []
    changed = False
    for probe in probes:
        found = shutil.which(probe.executable)
        if not found:
            continue
        real = os.path.realpath(found)
        info = os.stat(real)
        key = "{}:{}:{}".format(real, info.st_size, info.st_mtime_ns)
        if key in cache:
            version: Optional[Tuple[str, ...]] = tuple(cache[key])
        else:
            version = _run_probe(probe, found)
            if version is None:
                continue
            cache[key] = list(version)
            changed = True
        if not version:
            continue
        parts = list(version) + ["", "", ""]
        label_version = ".".join(version)
        packages.append(
            SoftwarePackage(
                package_id=package_id(probe.product, label_version),
                product=probe.product,
                major_version=parts[0],
                minor_version=parts[1],
                release_version=parts[2],
                platform="linux",
                relative_path="{}/{}".format(probe.product, label_version),
                environment=(PackageEnvironmentEntry("PATH", os.path.dirname(found), "append"),),
            )
        )
    if changed and cache_path:
        tmp = cache_path + ".tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            json.dump(cache, handle)
        os.replace(tmp, cache_path)
    return packages


def machine_catalogue(
    config: Optional[FarmConfig] = None,
    cache_path: Optional[str] = None,
    cores: Optional[int] = None,
    memory_gib: Optional[float] = None,
) -> Catalogue:
    config = config or FarmConfig()
    projects = [DEFAULT_PROJECT] + [p for p in config.projects if p != DEFAULT_PROJECT]
    found = probe_software(cache_path) if config.probe_software else []
    configured_ids = {p.package_id for p in config.packages}
    packages = [p for p in found if p.package_id not in configured_ids] + list(config.packages)
    shapes = instance_types(
        cores if cores is not None else machine_cores(),
        memory_gib if memory_gib is not None else machine_memory_gib(),
    )
    # a site's declared machine types after the machine's own (same name: the site's wins)
    declared = {item.name for item in config.instance_types}
    shapes = [s for s in shapes if s.name not in declared] + list(config.instance_types)
    return Catalogue(
        projects=tuple(projects),
        instance_types=tuple(shapes),
        packages=tuple(packages),
    )
