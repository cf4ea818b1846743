"""Where the Slurm connector keeps jobs and how a site maps instance types to Slurm.

Read from the environment and one optional JSON file, never from the cluster, so a preview
or an export needs no running Slurm:

- ``FARMHAND_SLURM_JOBS``: the folder job folders are written to. It must be on a filesystem
  every node mounts at the same path (default ``$FARMHAND_HOME/slurm/jobs``, fine when home
  folders are shared, as on most clusters).
- ``FARMHAND_SLURM_CONFIG``: the site file (default ``$FARMHAND_HOME/slurm.json`` when it
  exists): ``{"instance_types": [{"name", "partition", "account", "gres", "qos", "cores",
  "memory", "description"}], "projects": [...], "packages": [...], "sbatch_options": [...],
  "jobs_folder": "..."}``. ``projects`` and ``packages`` are in the catalogue file's shape
  (``farmhand.core.catalogue_file``). Without instance types the partitions ``sinfo``
  reports are offered (``instance_types``).
"""

import json
import os
from typing import Any, Dict, List, Mapping, Optional, Tuple

from farmhand.core.errors import InputError
from farmhand.core.paths import farmhand_home

JOBS_VARIABLE = "FARMHAND_SLURM_JOBS"
CONFIG_VARIABLE = "FARMHAND_SLURM_CONFIG"
CONFIG_KEYS = ("instance_types", "projects", "packages", "sbatch_options", "jobs_folder")
TYPE_KEYS = ("name", "partition", "account", "gres", "qos", "cores", "memory", "description")


class SlurmInstanceType(object):
    """An instance type name and the ``sbatch`` options it stands for."""

    __slots__ = ("name", "partition", "account", "gres", "qos", "cores", "memory", "description",
                 "request_memory")

    def __init__(
        self,
        name: str,
        partition: str = "",
        account: str = "",
        gres: str = "",
        qos: str = "",
        cores: int = 0,
        memory: float = 0.0,
        description: str = "",
        request_memory: bool = True,
    ) -> None:
        self.name = name
        self.request_memory = request_memory
        self.partition = partition
        self.account = account
        self.gres = gres
        self.qos = qos
        self.cores = cores
        self.memory = memory
        self.description = description

    def sbatch_options(self) -> List[str]:
        options = []
        for flag, value in (
            ("--partition", self.partition),
            ("--account", self.account),
            ("--qos", self.qos),
            ("--gres", self.gres),
        ):
            if value:
                options.append("{}={}".format(flag, value))
        if self.cores > 0:
            options.append("--cpus-per-task={}".format(self.cores))
        if self.request_memory and self.memory > 0:
            options.append("--mem={}M".format(int(round(self.memory * 1024))))
        return options

    def catalogue_entry(self) -> Dict[str, Any]:
        """The ``InstanceType`` wire form the submitter's menus read."""
        gpu = {"gres": self.gres} if self.gres.startswith("gpu") else None
        return {
            "name": self.name,
            "cores": self.cores,
            "memory": self.memory,
            "description": self.description,
            "gpu": gpu,
        }

    def __repr__(self) -> str:
        return "SlurmInstanceType({!r})".format(self.name)


class SlurmSettings(object):
    """What the connector reads before it reaches any cluster."""

    __slots__ = ("jobs_folder", "config_path", "instance_types", "catalogue_data",
                 "sbatch_options", "environ")

    def __init__(
        self,
        jobs_folder: str,
        config_path: str = "",
        instance_types: Optional[List[SlurmInstanceType]] = None,
        catalogue_data: Optional[Dict[str, Any]] = None,
        sbatch_options: Optional[List[str]] = None,
        environ: Optional[Mapping[str, str]] = None,
    ) -> None:
        self.jobs_folder = jobs_folder
        self.config_path = config_path
        self.instance_types = instance_types or []
        self.catalogue_data = catalogue_data or {}
        self.sbatch_options = sbatch_options or []
        self.environ = dict(environ) if environ is not None else None

    @classmethod
    def from_environment(cls, environ: Optional[Mapping[str, str]] = None) -> "SlurmSettings":
        env = os.environ if environ is None else environ
        home = env.get("FARMHAND_HOME")
        root = os.path.abspath(os.path.expanduser(home)) if home else farmhand_home()
        config_path = (env.get(CONFIG_VARIABLE) or "").strip()
        data: Dict[str, Any] = {}
        if config_path:
            data = read_config(config_path)
        elif os.path.isfile(os.path.join(root, "slurm.json")):
            config_path = os.path.join(root, "slurm.json")
            data = read_config(config_path)
        jobs = (env.get(JOBS_VARIABLE) or "").strip() or str(data.get("jobs_folder") or "")
        jobs = os.path.abspath(os.path.expanduser(jobs)) if jobs else os.path.join(
            root, "slurm", "jobs"
        )
        types = [
            instance_type(entry, "{}: instance_types[{}]".format(config_path, index))
            for index, entry in enumerate(data.get("instance_types") or [])
        ]
        catalogue: Dict[str, Any] = {}
        for key in ("projects", "packages"):
            if key in data:
                catalogue[key] = data[key]
        options = data.get("sbatch_options") or []
        return cls(jobs, config_path, types, catalogue, list(options), environ)


def read_config(path: str) -> Dict[str, Any]:
    """The site file, checked key by key; errors name the file and the key."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        raise InputError(
            "cannot read the Slurm site file {}: {}".format(path, error.strerror or error),
            field=CONFIG_VARIABLE,
        ) from None
    except ValueError as error:
        raise InputError(
            "the Slurm site file {} is not valid JSON: {}".format(path, error),
            field=CONFIG_VARIABLE,
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            "the Slurm site file {} must hold a JSON object with {}".format(
                path, ", ".join(CONFIG_KEYS)
            ),
            field=CONFIG_VARIABLE,
        )
    for key in data:
        if key not in CONFIG_KEYS:
            raise InputError(
                "{}: unknown key {!r}; valid keys: {}".format(path, key, ", ".join(CONFIG_KEYS)),
                field=CONFIG_VARIABLE,
            )
    for key in ("instance_types", "projects", "packages", "sbatch_options"):
        if not isinstance(data.get(key, []), list):
            raise InputError("{}: {} must be a list".format(path, key), field=CONFIG_VARIABLE)
    for index, option in enumerate(data.get("sbatch_options", [])):
        if not isinstance(option, str) or not option.startswith("-"):
            raise InputError(
                "{}: sbatch_options[{}] must be an sbatch option such as '--time=2:00:00', got"
                " {!r}".format(path, index, option),
                field=CONFIG_VARIABLE,
            )
    return data


def instance_type(entry: Any, where: str) -> SlurmInstanceType:
    if not isinstance(entry, dict):
        raise InputError("{}: expected an object with {}".format(where, ", ".join(TYPE_KEYS)),
                         field=CONFIG_VARIABLE)
    for key in entry:
        if key not in TYPE_KEYS:
            raise InputError(
                "{}: unknown key {!r}; valid keys: {}".format(where, key, ", ".join(TYPE_KEYS)),
                field=CONFIG_VARIABLE,
            )
    name = entry.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("{}: 'name' must be a non-empty string".format(where),
                         field=CONFIG_VARIABLE)
    texts: Dict[str, str] = {}
    for key in ("partition", "account", "gres", "qos", "description"):
        value = entry.get(key, "")
        spaced = isinstance(value, str) and key != "description" and len(value.split()) > 1
        if not isinstance(value, str) or spaced:
            raise InputError(
                "{}: {!r} must be a string without spaces, got {!r}".format(where, key, value),
                field=CONFIG_VARIABLE,
            )
        texts[key] = value.strip()
    numbers: Dict[str, float] = {}
    for key in ("cores", "memory"):
        value = entry.get(key, 0)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise InputError(
                "{}: {!r} must be a number of at least 0, got {!r}".format(where, key, value),
                field=CONFIG_VARIABLE,
            )
        numbers[key] = value
    return SlurmInstanceType(
        name.strip(),
        partition=texts["partition"],
        account=texts["account"],
        gres=texts["gres"],
        qos=texts["qos"],
        cores=int(numbers["cores"]),
        memory=float(numbers["memory"]),
        description=texts["description"],
    )


def partition_types(rows: List[Tuple[str, int, float, str]]) -> List[SlurmInstanceType]:
    """Instance types offered when the site file names none: for each partition ``sinfo``
    reports (name, CPUs, memory in GiB, generic resources), one type per power-of-two core
    count up to a node's CPUs (``main-1cpu``, ``main-2cpu``...), so tasks can share a node;
    their memory is the node's share (not requested from Slurm: sites differ)."""
    types: List[SlurmInstanceType] = []
    seen = set()
    for partition, cpus, memory, gres in rows:
        cores = 1
        while cores <= max(cpus, 1):
            name = "{}-{}cpu".format(partition, cores)
            if name not in seen:
                seen.add(name)
                share = memory * cores / cpus if cpus else 0.0
                types.append(
                    SlurmInstanceType(
                        name,
                        partition=partition,
                        cores=cores,
                        memory=round(share, 2),
                        description="{} CPU{} on partition {}".format(
                            cores, "" if cores == 1 else "s", partition
                        ),
                        request_memory=False,
                    )
                )
            cores *= 2
        if gres and gres != "(null)":
            name = "{}-{}".format(partition, gres.replace(":", "-").replace(",", "-"))
            if name not in seen:
                seen.add(name)
                types.append(
                    SlurmInstanceType(
                        name, partition=partition, gres=gres, cores=cpus, memory=memory,
                        description="{} with {}".format(partition, gres),
                        request_memory=False,
                    )
                )
    return types
