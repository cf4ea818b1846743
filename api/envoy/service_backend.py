"""The seed's client against a GridMarkets Envoy service (``GRIDMARKETS_ENVOY_URL`` or
``EnvoyClient(url=...)``), over ``farmhand.core.connectors.gridmarkets.envoy_service``.

Machine types and credit budgets have no published wire form (see that module): asking for
the first, or submitting a job with the second, is refused with a message that says so
rather than sent in a shape the service might silently ignore.
"""

from typing import Any, Dict, List, Optional, Tuple

from farmhand.api.envoy.errors import APIError, InvalidRequestError
from farmhand.api.envoy.farm_errors import seed_errors
from farmhand.api.envoy.resolver import Product, ProductResolver
from farmhand.core.connectors.gridmarkets.envoy_service import EnvoyRequestError, EnvoyService

NOT_PUBLISHED = (
    "the Envoy service's API for {} is not published (GridMarkets' open-source client and"
    " add-ons do not use it), so Farmhand does not send it; {}"
)


class ServiceBackend(object):
    def __init__(self, url: str, email: Optional[str], access_key: Optional[str]) -> None:
        self.service = EnvoyService(url, email, access_key)

    def describe(self) -> str:
        return "the Envoy service at {}".format(self.service.url)

    def close(self) -> None:
        self.service.close()

    def set_credentials(self, email: Optional[str], access_key: Optional[str]) -> None:
        self.service.email = email
        self.service.access_key = access_key

    def validate_auth(self, email: Optional[str], secret: Optional[str]) -> bool:
        with seed_errors():
            return self.service.validate_auth()

    def credits(self) -> Tuple[float, Optional[float]]:
        with seed_errors():
            return self.service.credits_available(), None

    def user_info(self, email: Optional[str]) -> Dict[str, Any]:
        with seed_errors():
            return self.service.user_info()

    def resolver(self) -> ProductResolver:
        with seed_errors():
            items = self.service.products()
        products: List[Product] = []
        links: List[Tuple[str, str]] = []
        for item in items:
            code, version = str(item.get("app_type", "")), str(item.get("version", ""))
            if not code or not version:
                continue
            node = "{}:{}".format(code, version)
            products.append(Product(code, version, str(item.get("name") or code), False))
            for module in item.get("compatible_modules") or []:
                plugin, _, plugin_version = str(module).partition(":")
                products.append(Product(plugin, plugin_version, plugin, True))
                links.append((node, str(module)))
        return ProductResolver(products, links)

    def machines(self, *args: Any, **kwargs: Any) -> List[Dict[str, Any]]:
        raise APIError(
            NOT_PUBLISHED.format(
                "machine types", "pass machine_type='' to let GridMarkets choose the default"
            )
        )

    def upload(self, project: Any) -> str:
        if not project.files:
            raise InvalidRequestError(
                "the project has no files to upload (add them with add_files)", field="files"
            )
        with seed_errors():
            return self.service.upload(project.upload_serialize())

    def submit(self, project: Any, skip_upload: bool, skip_auto_download: bool) -> str:
        for job in project.jobs:
            if job.credits_budget is not None:
                raise InvalidRequestError(
                    NOT_PUBLISHED.format(
                        "credit budgets",
                        "submit job {!r} without set_credits_budget, or to the local"
                        " farm".format(job.name),
                    ),
                    field="credits_budget",
                )
        body = project.serialize(skip_upload, skip_auto_download)
        with seed_errors():
            try:
                self.service.submit(body)
            except EnvoyRequestError as error:
                answer = error.answer if isinstance(error.answer, dict) else {}
                raise InvalidRequestError(
                    error.message, errors=answer, http_status=error.status
                ) from None
        return str(project.name)

    def status(self, name: str) -> Dict[str, Any]:
        if not isinstance(name, str) or not name:
            raise InvalidRequestError("expected a project name, got {!r}".format(name), "name")
        with seed_errors():
            return self.service.project_status(name)
