"""``EnvoyClient``: the seed's client, on the local farm or on a GridMarkets Envoy service.

Without a URL (``EnvoyClient()``, no ``GRIDMARKETS_ENVOY_URL``) it works against the local
farm, found and started like every Farmhand client; with one it talks to that Envoy service.
Every method raises one of the seed's four errors (``errors``).
"""

import os
from typing import Any, Dict, List, Optional, Sequence

from farmhand import __version__
from farmhand.api.envoy.errors import (
    AuthenticationError,
    InsufficientCreditsError,
    InvalidRequestError,
)
from farmhand.api.envoy.local_backend import LocalBackend
from farmhand.api.envoy.local_products import (
    MACHINE_CATEGORY_ALL,
    MACHINE_CATEGORY_CPU,
    MACHINE_CATEGORY_GPU,
)
from farmhand.api.envoy.project import Project
from farmhand.api.envoy.resolver import ProductResolver
from farmhand.api.envoy.service_backend import ServiceBackend
from farmhand.core.connectors.gridmarkets.envoy_service import URL_VARIABLE


class EnvoyClient(object):
    MACHINE_CATEGORY_CPU = MACHINE_CATEGORY_CPU
    MACHINE_CATEGORY_GPU = MACHINE_CATEGORY_GPU
    MACHINE_CATEGORY_ALL = MACHINE_CATEGORY_ALL

    def __init__(
        self,
        email: Optional[str] = None,
        access_key: Optional[str] = None,
        url: Optional[str] = None,
    ) -> None:
        self.version = __version__
        self.email = email
        self.access_key = access_key
        url = url if url is not None else os.environ.get(URL_VARIABLE, "")
        self.url = url or None
        self._backend: Any
        if self.url:
            self._backend = ServiceBackend(self.url, email, access_key)
        else:
            self._backend = LocalBackend()

    def describe(self) -> str:
        return str(self._backend.describe())

    def close(self) -> None:
        self._backend.close()

    def __enter__(self) -> "EnvoyClient":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- account ----------------------------------------------------------------------------

    def authenticate(self, email: str, password: str) -> bool:
        """Sign in; ``AuthenticationError`` when the credentials are refused."""
        for field, value in (("email", email), ("password", password)):
            if not isinstance(value, str) or not value:
                raise AuthenticationError(
                    "{}: expected a non-empty string, got {!r}".format(field, value)
                )
        self.email, self.access_key = email, password
        if isinstance(self._backend, ServiceBackend):
            self._backend.set_credentials(email, password)
        return self.validate_auth()

    def validate_auth(self) -> bool:
        if isinstance(self._backend, ServiceBackend) and not (self.email and self.access_key):
            raise AuthenticationError(
                "no credentials: call authenticate(email, password) or pass email= and"
                " access_key= to EnvoyClient"
            )
        return bool(self._backend.validate_auth(self.email, self.access_key))

    def validate_credits(self) -> bool:
        available = self._backend.credits()[0]
        if available <= 0:
            raise InsufficientCreditsError(
                "insufficient credits: {} available on {}".format(available, self.describe())
            )
        return True

    def get_user_info(self) -> Dict[str, Any]:
        self.validate_auth()
        return dict(self._backend.user_info(self.email))

    # -- products and machines --------------------------------------------------------------

    def get_product_resolver(self) -> ProductResolver:
        self.validate_auth()
        if isinstance(self._backend, ServiceBackend):
            return self._backend.resolver()
        resolver: ProductResolver = self._backend.products().resolver
        return resolver

    def get_machines(
        self,
        product: str,
        operation: str,
        category: str = MACHINE_CATEGORY_ALL,
        plugins: Optional[Sequence[str]] = None,
    ) -> List[Dict[str, Any]]:
        """The machine types a product's operation can run on (CPU, GPU or all)."""
        self.validate_auth()
        if isinstance(plugins, str):
            plugins = [plugins]
        if isinstance(self._backend, ServiceBackend):
            return self._backend.machines(product, operation, category, plugins)
        machines: List[Dict[str, Any]] = self._backend.products().machines(
            product, operation, category, plugins
        )
        return machines

    # -- projects ---------------------------------------------------------------------------

    def upload_project_files(self, project: Project) -> str:
        """Upload the project's files (to submit jobs on them later with ``skip_upload``)."""
        _check_project(project)
        self.validate_auth()
        self.validate_credits()
        return str(self._backend.upload(project))

    def submit_project(
        self, project: Project, skip_upload: bool = False, skip_auto_download: bool = False
    ) -> str:
        """Upload the project's files (unless ``skip_upload``) and run its jobs; returns the
        project's name."""
        _check_project(project)
        self.validate_auth()
        self.validate_credits()
        return str(self._backend.submit(project, bool(skip_upload), bool(skip_auto_download)))

    def get_project_status(self, name: str) -> Dict[str, Any]:
        self.validate_auth()
        if isinstance(name, Project):
            name = name.name
        return dict(self._backend.status(name))


def _check_project(project: object) -> None:
    if not isinstance(project, Project):
        raise InvalidRequestError(
            "expected a Project, got {!r}".format(project), field="project"
        )
