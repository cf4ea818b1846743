"""The product resolver: product types, their versions, and which plug-in versions go with
which product versions.

Products are nodes ``<code>:<version>`` (``hou:17.5.173``, ``hou_redshift:2.6.38``); a plug-in
version is linked to each product version it runs in. Queries name a type (``hou``) or one
version of it (``hou:17.5.173``). The local farm's resolver is built from its catalogue
(``local_products``); an Envoy service's from its ``/products`` answer.
"""

import re
from typing import Any, Dict, Iterable, List, NamedTuple, Sequence, Set, Tuple

from farmhand.api.envoy.errors import InvalidRequestError


class Product(NamedTuple):
    code: str
    version: str
    name: str
    is_plugin: bool


def version_key(version: str) -> Tuple[Tuple[int, Any], ...]:
    """Natural order: ``17.5.9`` before ``17.5.173``, ``10.5v1`` after ``10.5``."""
    return tuple(
        (0, int(part)) if part.isdigit() else (1, part)
        for part in re.findall(r"\d+|[^\d.]+", version)
    )


class ProductResolver(object):
    def __init__(
        self, products: Iterable[Product], links: Iterable[Tuple[str, str]] = ()
    ) -> None:
        self.products: Dict[str, Product] = {}
        for product in products:
            self.products["{}:{}".format(product.code, product.version)] = product
        self.links: Dict[str, Set[str]] = {node: set() for node in self.products}
        for one, other in links:
            if one in self.products and other in self.products:
                self.links[one].add(other)
                self.links[other].add(one)

    def _entry(self, product: Product) -> Dict[str, Any]:
        return {
            "versions": [],
            "is_plugin": product.is_plugin,
            "name": product.name,
            "business_vertical": "media",
        }

    def _group(self, nodes: Iterable[str]) -> Dict[str, Dict[str, Any]]:
        result: Dict[str, Dict[str, Any]] = {}
        for node in nodes:
            product = self.products[node]
            entry = result.setdefault(product.code, self._entry(product))
            if product.version not in entry["versions"]:
                entry["versions"].append(product.version)
        for entry in result.values():
            entry["versions"].sort(key=version_key)
        return dict(sorted(result.items()))

    def types(self) -> List[str]:
        return sorted({p.code for p in self.products.values()})

    def get_all_types(self, include_plugins: bool = True) -> Dict[str, Dict[str, Any]]:
        """Every product type (and plug-in type, unless ``include_plugins`` is false) with
        its versions."""
        return self._group(
            node for node, p in self.products.items() if include_plugins or not p.is_plugin
        )

    def get_versions_by_type(self, query: str) -> List[str]:
        """The versions of one product or plug-in type, oldest first."""
        self._check_type(query, "query")
        return sorted(
            {p.version for p in self.products.values() if p.code == query}, key=version_key
        )

    def get_compatible_combinations(self, query: Sequence[str]) -> Dict[str, Dict[str, Any]]:
        """The other types that go with every queried item (``hou``, ``hou:17.5.173``), with
        the versions that go with all of them."""
        if isinstance(query, str) or not isinstance(query, (list, tuple)) or not query:
            raise InvalidRequestError(
                "expected a list or tuple like ['hou:17.5.173'], got {!r}".format(query),
                field="query",
            )
        queried_types = set()
        common = None  # type: Any
        for position, item in enumerate(query):
            nodes = self._matching(item, "query[{}]".format(position))
            queried_types.add(str(item).split(":", 1)[0])
            linked: Set[str] = set()
            for node in nodes:
                linked |= self.links[node]
            common = linked if common is None else common & linked
        return self._group(
            node for node in common or () if self.products[node].code not in queried_types
        )

    def _matching(self, item: object, field: str) -> List[str]:
        if not isinstance(item, str) or not item:
            raise InvalidRequestError(
                "expected 'type' or 'type:version', got {!r}".format(item), field=field
            )
        code, _, version = item.partition(":")
        self._check_type(code, field)
        nodes = [
            node
            for node, p in self.products.items()
            if p.code == code and (not version or p.version == version)
        ]
        if not nodes:
            raise InvalidRequestError(
                "{} has no version {!r}; its versions: {}".format(
                    code, version, ", ".join(self.get_versions_by_type(code))
                ),
                field=field,
            )
        return nodes

    def _check_type(self, code: object, field: str) -> None:
        if not any(p.code == code for p in self.products.values()):
            raise InvalidRequestError(
                "unknown product type {!r}; this farm offers: {}".format(
                    code, ", ".join(self.types()) or "(none)"
                ),
                field=field,
            )

    def plugins_of(self, code: str, version: str) -> Dict[str, List[str]]:
        """The plug-in types and versions that go with one product version."""
        node = "{}:{}".format(code, version)
        return {
            k: v["versions"] for k, v in self._group(self.links.get(node, ())).items()
        }
