"""The render environment: the user's base variables, each package's variables, extra entries.

Policies, per variable:

- ``exclusive``: the variable has this one value. Two sources setting it exclusively to
  different values is an ``EnvironmentMergeError`` naming both (a package by its label, the
  user's entries as "base environment" or "extra environment"): silently picking one would
  render with the wrong plug-in or licence server. The same value twice is fine.
- ``append`` / ``prepend``: a path-like list, joined with ``:`` (``;`` for Windows packages),
  added after / before what is there. A component already present is not added twice, so
  merging a package onto an environment that already holds it (a script that merged once and
  submits through Farmhand, which merges again) changes nothing.
- An exclusive value after appended components that differ from it is a conflict too (it would
  throw the packages' paths away); an append after an exclusive value extends it.

Order: ``base_env`` (the job's own ``environment``), then the packages in the order given, then
the extra environment entries. ``$VAR`` and ``${VAR}`` in extra values expand from the local
environment (the seed's ``$MY_SCRIPTS_PATH``); an undefined variable is left as written and
reported in ``MergedEnvironment.undefined`` so validation can warn about it.
"""

import os
import re
from dataclasses import dataclass
from typing import Any, Dict, List, Mapping, NamedTuple, Optional, Sequence, Tuple, Union

from farmhand.core.catalogue import SoftwarePackage
from farmhand.core.errors import EnvironmentMergeError

MERGE_POLICIES = ("exclusive", "append", "prepend")


@dataclass
class EnvEntry:
    """One extra environment variable and how it combines with the packages' value.

    (``farmhand.core.job.settings`` re-exports it: job settings hold a list of these.)
    """

    name: str
    value: str
    merge_policy: str = "exclusive"


BASE_SOURCE = "base environment"
EXTRA_SOURCE = "extra environment"

_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")

PackageLike = Union[SoftwarePackage, Mapping[str, Any]]


class MergedEnvironment(NamedTuple):
    values: Dict[str, str]
    undefined: Tuple[str, ...]  # local variables referenced by extra entries but not defined


class _Variable:
    """One variable being merged: its components and who set it exclusively."""

    __slots__ = ("parts", "exclusive_source", "sources")

    def __init__(self) -> None:
        self.parts: List[str] = []
        self.exclusive_source: Optional[str] = None
        self.sources: List[str] = []


class _Merger:
    def __init__(self, separator: str) -> None:
        self.separator = separator
        self.variables: Dict[str, _Variable] = {}

    def add(self, name: str, value: str, policy: str, source: str) -> None:
        if policy not in MERGE_POLICIES:
            raise EnvironmentMergeError(
                "{} gives {} the merge policy {!r}; valid policies: {}".format(
                    source, name, policy, ", ".join(MERGE_POLICIES)
                ),
                _field_of(source),
            )
        variable = self.variables.get(name)
        if variable is None:
            variable = self.variables[name] = _Variable()
        current = self.separator.join(variable.parts)
        if policy == "exclusive":
            if variable.parts and current != value:
                if variable.exclusive_source:
                    other = "{} sets it to {!r}".format(variable.exclusive_source, current)
                else:
                    other = "{} {} {!r} to it".format(
                        " and ".join(variable.sources),
                        "adds" if len(variable.sources) == 1 else "add",
                        current,
                    )
                raise EnvironmentMergeError(
                    "{} sets {} exclusively to {!r} but {}".format(source, name, value, other),
                    _field_of(source),
                )
            variable.parts = [value]
            variable.exclusive_source = variable.exclusive_source or source
        elif not variable.parts or value not in current.split(self.separator):
            if policy == "append":
                variable.parts.append(value)
            else:
                variable.parts.insert(0, value)
        if source not in variable.sources:
            variable.sources.append(source)

    def result(self) -> Dict[str, str]:
        return {name: self.separator.join(var.parts) for name, var in self.variables.items()}


def _field_of(source: str) -> str:
    """The setting to fix when ``source`` brings a conflict."""
    if source == EXTRA_SOURCE:
        return "extra_environment"
    if source == BASE_SOURCE:
        return "environment"
    return "software_package_ids"


def expand_local_variables(
    text: str, environ: Optional[Mapping[str, str]] = None
) -> Tuple[str, Tuple[str, ...]]:
    """``$VAR``/``${VAR}`` replaced from ``environ``; undefined ones kept and returned."""
    env = os.environ if environ is None else environ
    undefined: List[str] = []

    def replace(match: "re.Match[str]") -> str:
        name = match.group(1) or match.group(2)
        if name in env:
            return env[name]
        if name not in undefined:
            undefined.append(name)
        return match.group(0)

    return _VARIABLE.sub(replace, text), tuple(undefined)


def _as_package(package: PackageLike) -> SoftwarePackage:
    if isinstance(package, SoftwarePackage):
        return package
    return SoftwarePackage.from_dict(dict(package))


def _package_name(package: SoftwarePackage) -> str:
    return "package {!r}".format(package.label or package.package_id)


def _separator(packages: Sequence[SoftwarePackage]) -> str:
    platforms = sorted({p.platform for p in packages if p.platform})
    if len(platforms) > 1:
        raise EnvironmentMergeError(
            "packages for different platforms cannot share one environment: {}".format(
                ", ".join("{} ({})".format(_package_name(p), p.platform) for p in packages)
            ),
            "software_package_ids",
        )
    return ";" if platforms == ["windows"] else ":"


def merge_environment(
    packages: Sequence[PackageLike] = (),
    base_env: Optional[Mapping[str, str]] = None,
    extra: Sequence[EnvEntry] = (),
    environ: Optional[Mapping[str, str]] = None,
) -> MergedEnvironment:
    """Merge base, packages and extra entries (see the module docstring for the rules)."""
    resolved = [_as_package(p) for p in packages]
    merger = _Merger(_separator(resolved))
    for name, value in (base_env or {}).items():
        merger.add(name, value, "exclusive", BASE_SOURCE)
    for package in resolved:
        for entry in package.environment:
            merger.add(entry.name, entry.value, entry.merge_policy, _package_name(package))
    undefined: List[str] = []
    for extra_entry in extra:
        value, missing = expand_local_variables(extra_entry.value, environ)
        undefined.extend(name for name in missing if name not in undefined)
        merger.add(extra_entry.name, value, extra_entry.merge_policy, EXTRA_SOURCE)
    return MergedEnvironment(merger.result(), tuple(undefined))


def merge_package_environments(
    packages: Sequence[PackageLike],
    base_env: Optional[Mapping[str, str]] = None,
    extra: Sequence[EnvEntry] = (),
    environ: Optional[Mapping[str, str]] = None,
) -> Dict[str, str]:
    """The merged environment as a plain dict (the seed API's name and return value)."""
    return merge_environment(packages, base_env, extra, environ).values
