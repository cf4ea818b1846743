"""The local farm's catalogue in the seed's terms: products, plug-ins and machine types.

Products are the catalogue's host packages under GridMarkets' short codes (``houdini`` is
``hou``...), plug-ins are its plug-in packages (a Redshift package for Houdini is
``hou_redshift``), linked to the host versions they are built for. Machine types are the
farm's instance types: CPU shapes of this workstation, GPU ones only when the farm's
catalogue has instance types with a GPU.
"""

import re
from typing import Any, Dict, List, Optional, Sequence, Tuple

from farmhand.api.envoy.app_params import APPS
from farmhand.api.envoy.errors import InvalidRequestError
from farmhand.api.envoy.resolver import Product, ProductResolver
from farmhand.core.catalogue import Catalogue, InstanceType, SoftwarePackage
from farmhand.core.errors import InputError

# Catalogue product names -> GridMarkets product codes.
PRODUCT_CODES = {
    "blender": "blender",
    "houdini": "hou",
    "maya": "maya",
    "nuke": "nuke",
    "cinema4d": "c4d",
    "cinema-4d": "c4d",
    "c4d": "c4d",
    "vray": "vray",
    "v-ray": "vray",
    "v-ray-standalone": "vray",
}
# (host code, plug-in product name) -> GridMarkets plug-in code (the seed's table).
PLUGIN_CODES = {
    ("blender", "vray"): "blender_vray",
    ("blender", "v-ray"): "blender_vray",
    ("c4d", "arnold"): "arnold",
    ("c4d", "redshift"): "redshift",
    ("c4d", "vray"): "vray",
    ("hou", "arnold"): "htoa",
    ("hou", "htoa"): "htoa",
    ("hou", "redshift"): "hou_redshift",
    ("hou", "renderman"): "prman",
    ("hou", "vray"): "hou_vray",
    ("hou", "nuke"): "hton",
    ("hou", "ffmpeg"): "htot",
    ("maya", "arnold"): "mtoa",
    ("maya", "mtoa"): "mtoa",
    ("maya", "redshift"): "maya_redshift",
    ("maya", "renderman"): "maya_prman",
    ("maya", "vray"): "maya_vray",
}

MACHINE_CATEGORY_CPU = "cpu"
MACHINE_CATEGORY_GPU = "gpu"
MACHINE_CATEGORY_ALL = "all"
MACHINE_CATEGORIES = (MACHINE_CATEGORY_CPU, MACHINE_CATEGORY_GPU, MACHINE_CATEGORY_ALL)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def product_code(product: str) -> str:
    return PRODUCT_CODES.get(product.lower(), _slug(product))


def plugin_code(host_product: str, plugin: str) -> str:
    host = product_code(host_product)
    return PLUGIN_CODES.get((host, plugin.lower()), "{}_{}".format(host, _slug(plugin)))


class LocalProducts(object):
    """The catalogue seen through the seed's codes, and the package ids behind them."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.packages: Dict[str, SoftwarePackage] = {}  # "code:version" -> package
        products: List[Product] = []
        links: List[Tuple[str, str]] = []
        for package in catalogue.packages:
            if package.is_plugin:
                code = plugin_code(package.plugin_host_product, package.product)
                host = "{}:{}".format(
                    product_code(package.plugin_host_product), package.plugin_host_version
                )
            else:
                code = product_code(package.product)
                host = ""
            node = "{}:{}".format(code, package.version)
            name = APPS[code].name if code in APPS else package.product
            products.append(Product(code, package.version, name, package.is_plugin))
            self.packages.setdefault(node, package)
            if host:
                links.append((host, node))
        self.resolver = ProductResolver(products, links)

    # -- software ---------------------------------------------------------------------------

    def package_ids(self, app: str, version: str, plugins: Sequence[str]) -> List[str]:
        """The package ids a job needs: its product version and one version of each plug-in
        that goes with it (the newest)."""
        node = "{}:{}".format(app, version)
        package = self.packages.get(node)
        if package is None or package.is_plugin:
            offered = self.resolver.get_all_types(False)
            if app in offered:
                raise InvalidRequestError(
                    "{} {} is not offered by the local farm; its versions: {}".format(
                        app, version, ", ".join(offered[app]["versions"])
                    ),
                    field="app_version",
                )
            raise InvalidRequestError(
                "product type {!r} is not offered by the local farm; it offers: {}".format(
                    app, ", ".join(sorted(offered)) or "(no software: see `farmhand farm status`)"
                ),
                field="app",
            )
        ids = [package.package_id]
        compatible = self.resolver.plugins_of(app, version)
        for plugin in plugins:
            versions = compatible.get(plugin)
            if not versions:
                raise InvalidRequestError(
                    "plugin {!r} does not go with {} {}; plugins that do: {}".format(
                        plugin, app, version, ", ".join(sorted(compatible)) or "(none)"
                    ),
                    field="plugins",
                )
            ids.append(self.packages["{}:{}".format(plugin, versions[-1])].package_id)
        return ids

    # -- machines ---------------------------------------------------------------------------

    def machines(
        self,
        product: str,
        operation: str,
        category: str = MACHINE_CATEGORY_ALL,
        plugins: Optional[Sequence[str]] = None,
    ) -> List[Dict[str, Any]]:
        self.resolver.get_versions_by_type(product)  # an unknown type is refused here
        spec = APPS.get(product)
        if spec is not None and operation not in spec.operations:
            raise InvalidRequestError(
                "{} supports the operations {}, not {!r}".format(
                    spec.name, ", ".join(spec.operations), operation
                ),
                field="operation",
            )
        if category not in MACHINE_CATEGORIES:
            raise InvalidRequestError(
                "unknown machine category {!r}; valid: {} (EnvoyClient.MACHINE_CATEGORY_CPU,"
                " _GPU, _ALL)".format(category, ", ".join(MACHINE_CATEGORIES)),
                field="category",
            )
        for plugin in plugins or ():
            if self.resolver.get_compatible_combinations([product]).get(plugin) is None:
                raise InvalidRequestError(
                    "plugin {!r} does not go with {} on this farm".format(plugin, product),
                    field="plugins",
                )
        cpu = [t for t in self.catalogue.instance_types if not t.gpu]
        gpu = [t for t in self.catalogue.instance_types if t.gpu]
        chosen: List[InstanceType] = []
        if category in (MACHINE_CATEGORY_CPU, MACHINE_CATEGORY_ALL):
            chosen += cpu
        if category in (MACHINE_CATEGORY_GPU, MACHINE_CATEGORY_ALL):
            chosen += gpu
        defaults = {self._default(cpu), self._default(gpu)}
        return [
            {
                "gpu": bool(item.gpu),
                "id": item.name,
                "is_default": item.name in defaults,
                "name": "{} ({})".format(item.name, item.description or ""),
            }
            for item in chosen
        ]

    @staticmethod
    def _default(items: Sequence[InstanceType]) -> str:
        """The default machine: the standard shape with the most cores (all of the
        workstation), else the first."""
        standard = [i for i in items if i.flavor == "standard"]
        pool = standard or list(items)
        return max(pool, key=lambda i: i.cores).name if pool else ""

    def machine_type(self, requested: str, gpu: bool) -> InstanceType:
        """The instance type a job runs on: the one it names, or the default of its kind."""
        if requested:
            try:
                shape = self.catalogue.instance_type(requested)
            except InputError as error:
                raise InvalidRequestError(error.message, field="machine_type") from None
            if gpu and not shape.gpu:
                raise InvalidRequestError(
                    "{} has no GPU and the job sets gpu=True".format(requested),
                    field="machine_type",
                )
            return shape
        pool = [t for t in self.catalogue.instance_types if bool(t.gpu) == gpu]
        if not pool:
            raise InvalidRequestError(
                "the local farm has no GPU machine types (get_machines(..., category="
                "EnvoyClient.MACHINE_CATEGORY_GPU) is empty); set gpu=False",
                field="gpu",
            )
        return self.catalogue.instance_type(self._default(pool))
