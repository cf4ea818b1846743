"""What software a scene needs, as the host reports it, matched to a farm's packages.

A host adapter reports plain data (``DetectedPackage``: the product and version, and for a
plug-in the host product and version it belongs to), spelt as the catalogue spells its
``SoftwarePackage`` fields, so one matcher serves every host and every farm. Versions match
component by component: ``3.4.1`` finds ``3.4.1``; when no package has the exact version, the
package that agrees on the most leading components wins (Maya ``2022.3`` finds ``2022``),
and among equals the newest, because that is what a farm that lists only major versions means.
"""

import sys
from typing import List, NamedTuple, Optional, Sequence, Tuple

from farmhand.core.catalogue import Catalogue, SoftwarePackage


def this_platform() -> str:
    """The catalogue's platform name for this machine (``linux``, ``windows``, ``macos``)."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


class DetectedPackage(NamedTuple):
    """One product the scene needs, as the host knows it."""

    product: str  # catalogue spelling: "blender", "maya", "arnold-maya"...
    version: str  # dotted: "3.4.1", "2022.3"
    plugin_host_product: str = ""  # for a plug-in: the host product it runs in
    plugin_host_version: str = ""
    platform: str = ""  # "" is this machine's platform

    @property
    def is_plugin(self) -> bool:
        return bool(self.plugin_host_product)

    @property
    def label(self) -> str:
        """``maya 2022.3``, or ``mtoa 5.1.0 for maya 2022.3``."""
        text = "{} {}".format(self.product, self.version).strip()
        if self.is_plugin:
            text += " for {} {}".format(self.plugin_host_product, self.plugin_host_version)
        return text.strip()


def version_parts(version: str) -> Tuple[str, ...]:
    return tuple(part for part in version.strip().split(".") if part != "")


def _agreement(wanted: Tuple[str, ...], offered: Tuple[str, ...]) -> int:
    """How many leading components agree, or -1 when they disagree before one runs out."""
    count = 0
    for mine, theirs in zip(wanted, offered):
        if mine != theirs:
            return -1
        count += 1
    return count


def _compatible(left: str, right: str) -> bool:
    """Versions that do not contradict each other (an unknown one contradicts nothing)."""
    mine, theirs = version_parts(left), version_parts(right)
    return not mine or not theirs or _agreement(mine, theirs) > 0


def _sort_key(parts: Tuple[str, ...]) -> Tuple[Tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdigit() else (-1, p) for p in parts)


def best_version(wanted: str, candidates: Sequence[SoftwarePackage]) -> Optional[SoftwarePackage]:
    """The candidate whose version matches ``wanted`` best (see the module docstring)."""
    wanted_parts = version_parts(wanted)
    best: Optional[SoftwarePackage] = None
    best_key: Tuple[object, ...] = ()
    for package in candidates:
        offered = version_parts(package.version)
        agreement = _agreement(wanted_parts, offered)
        if agreement <= 0 and (wanted_parts or offered):
            continue
        key = (offered == wanted_parts, agreement, _sort_key(offered))
        if best is None or key > best_key:
            best, best_key = package, key
    return best


def _same(left: str, right: str) -> bool:
    return left.strip().lower() == right.strip().lower()


def match_package(detected: DetectedPackage, catalogue: Catalogue) -> Optional[SoftwarePackage]:
    """The catalogue package for one detected product, or None when the farm has none."""
    platform = detected.platform or this_platform()
    candidates = [
        package
        for package in catalogue.packages
        if _same(package.product, detected.product)
        and _same(package.platform or platform, platform)
        and package.is_plugin == detected.is_plugin
        and (
            not detected.is_plugin
            or (
                _same(package.plugin_host_product, detected.plugin_host_product)
                and _compatible(detected.plugin_host_version, package.plugin_host_version)
            )
        )
    ]
    return best_version(detected.version, candidates)


def match_packages(
    detected: Sequence[DetectedPackage], catalogue: Catalogue
) -> Tuple[List[str], List[DetectedPackage]]:
    """The package ids the farm offers for ``detected`` (in order, each once) and the
    detected products it has no package for (the submitter says which are missing)."""
    ids: List[str] = []
    unmatched: List[DetectedPackage] = []
    for item in detected:
        package = match_package(item, catalogue)
        if package is None:
            unmatched.append(item)
        elif package.package_id not in ids:
            ids.append(package.package_id)
    return ids, unmatched
