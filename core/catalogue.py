"""What a farm offers: projects, instance types and software packages.

The wire shape is the one Conductor-compatible services answer with (and ciocore reads):
``{"data": [...]}`` lists of plain dicts. These dataclasses are the typed view the submitter
works with; ``from_dict``/``to_dict`` convert at the edge so the local farm, a remote service
and the widgets agree on one set of names.
"""

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence

from farmhand.core.errors import InputError

FLAVORS = ("standard", "highcpu", "highmem")


@dataclass(frozen=True)
class InstanceType:
    """A machine shape. ``name`` is what a payload's ``instance_type`` holds."""

    name: str
    cores: int
    memory: float  # GiB
    description: str = ""
    flavor: str = "standard"
    operating_system: str = "linux"
    gpu: Optional[Dict[str, Any]] = None
    preemptible: bool = False

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "InstanceType":
        return cls(
            name=str(data["name"]),
            cores=int(data.get("cores", 0)),
            memory=float(data.get("memory", 0.0)),
            description=str(data.get("description", "")),
            flavor=str(data.get("flavor") or flavor_of(str(data["name"]))),
            operating_system=str(data.get("operating_system", "linux")),
            gpu=data.get("gpu") or None,
            preemptible=bool(data.get("preemptible", False)),
        )

    def to_dict(self) -> Dict[str, Any]:
        return {
            "name": self.name,
            "cores": self.cores,
            "memory": self.memory,
            "description": self.description or describe(self.cores, self.memory),
            "flavor": self.flavor,
            "operating_system": self.operating_system,
            "gpu": self.gpu,
            "preemptible": self.preemptible,
        }


def describe(cores: int, memory: float) -> str:
    """The human label the seeds show (``2 core, 7.50GB Mem``), used by the ``<instance>`` token."""
    return "{} core, {:.2f}GB Mem".format(cores, memory)


def flavor_of(name: str) -> str:
    for flavor in FLAVORS:
        if flavor in name:
            return flavor
    return "standard"


@dataclass(frozen=True)
class PackageEnvironmentEntry:
    name: str
    value: str
    merge_policy: str = "exclusive"


@dataclass(frozen=True)
class SoftwarePackage:
    """One installable version of a host product or plug-in, with the environment it needs."""

    package_id: str
    product: str
    major_version: str = ""
    minor_version: str = ""
    release_version: str = ""
    build_version: str = ""
    platform: str = "linux"
    plugin_host_product: str = ""
    plugin_host_version: str = ""
    relative_path: str = ""
    environment: Sequence[PackageEnvironmentEntry] = field(default_factory=tuple)

    @property
    def version(self) -> str:
        parts = [self.major_version, self.minor_version, self.release_version, self.build_version]
        return ".".join(p for p in parts if p != "")

    @property
    def label(self) -> str:
        """``blender 3.4.1 linux``: how menus and errors name a package."""
        return " ".join(p for p in (self.product, self.version, self.platform) if p)

    @property
    def is_plugin(self) -> bool:
        return bool(self.plugin_host_product)

    @classmethod
    def from_dict(cls, data: Dict[str, Any]) -> "SoftwarePackage":
        try:
            env = tuple(
                PackageEnvironmentEntry(
                    name=str(entry["name"]),
                    value=str(entry["value"]),
                    merge_policy=str(entry.get("merge_policy", "exclusive")),
                )
                for entry in data.get("environment") or ()
            )
            return cls(
                package_id=str(data["package_id"]),
                product=str(data["product"]),
                major_version=str(data.get("major_version", "")),
                minor_version=str(data.get("minor_version", "")),
                release_version=str(data.get("release_version", "")),
                build_version=str(data.get("build_version", "")),
                platform=str(data.get("platform", "linux")),
                plugin_host_product=str(data.get("plugin_host_product") or ""),
                plugin_host_version=str(data.get("plugin_host_version") or ""),
                relative_path=str(data.get("relative_path", "")),
                environment=env,
            )
        except KeyError as missing:
            raise InputError(
                "software package {!r} lacks the {} key".format(data.get("package_id"), missing),
                field="software_packages",
            ) from None

    def to_dict(self) -> Dict[str, Any]:
        return {
            "package_id": self.package_id,
            "product": self.product,
            "major_version": self.major_version,
            "minor_version": self.minor_version,
            "release_version": self.release_version,
            "build_version": self.build_version,
            "platform": self.platform,
            "plugin_host_product": self.plugin_host_product,
            "plugin_host_version": self.plugin_host_version,
            "relative_path": self.relative_path,
            "environment": [
                {"name": e.name, "value": e.value, "merge_policy": e.merge_policy}
                for e in self.environment
            ],
        }


@dataclass(frozen=True)
class Catalogue:
    """Everything the submitter menus are filled from, fetched on Connect/Refresh."""

    projects: Sequence[str] = ()
    instance_types: Sequence[InstanceType] = ()
    packages: Sequence[SoftwarePackage] = ()

    def instance_type(self, name: str) -> InstanceType:
        for item in self.instance_types:
            if item.name == name:
                return item
        raise InputError(
            "unknown instance type {!r}; this farm offers: {}".format(
                name, ", ".join(i.name for i in self.instance_types) or "(none)"
            ),
            field="instance_type",
        )

    def resolve_instance_type(self, flavor: str, cores: int) -> InstanceType:
        """The seed API's ``machine_flavor`` + ``cores`` pair, mapped to one instance type."""
        if flavor not in FLAVORS:
            raise InputError(
                "unknown machine flavor {!r}; valid flavors: {}".format(flavor, ", ".join(FLAVORS)),
                field="machine_flavor",
            )
        for item in self.instance_types:
            if item.flavor == flavor and item.cores == cores:
                return item
        offered = sorted(i.cores for i in self.instance_types if i.flavor == flavor)
        raise InputError(
            "no {} instance type with {} cores; {} offers cores: {}".format(
                flavor, cores, flavor, ", ".join(str(c) for c in offered) or "(none)"
            ),
            field="cores",
        )

    def package(self, package_id: str) -> SoftwarePackage:
        for item in self.packages:
            if item.package_id == package_id:
                return item
        raise InputError(
            "unknown software package id {!r}".format(package_id), field="software_package_ids"
        )

    def hosts(self) -> List[SoftwarePackage]:
        return [p for p in self.packages if not p.is_plugin]

    def plugins_for(self, host: SoftwarePackage) -> List[SoftwarePackage]:
        return [
            p
            for p in self.packages
            if p.plugin_host_product == host.product and p.plugin_host_version == host.version
        ]
