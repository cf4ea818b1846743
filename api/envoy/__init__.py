"""The seed's GridMarkets Envoy client API over Farmhand (``003_*.txt`` in the seeds).

``from farmhand.api.envoy import EnvoyClient, Project, Job, WatchFile`` (and the error
types) is the only change a script written for that library needs. Without an Envoy service
(``GRIDMARKETS_ENVOY_URL`` or ``EnvoyClient(url=...)``) everything runs on the local farm:
the product resolver and machine types come from its catalogue, a submitted project is one
farm job with a task group per job (``local_payload``), credit budgets are enforced by the
farm on measured core-seconds (one credit is one core-hour), and watch files download
finished results (``downloads``, ``watcher``).
"""

from farmhand.api.envoy.client import EnvoyClient
from farmhand.api.envoy.errors import (
    APIError,
    ApIError,
    AuthenticationError,
    EnvoyError,
    InsufficientCreditsError,
    InvalidRequestError,
)
from farmhand.api.envoy.job import Job
from farmhand.api.envoy.project import Project
from farmhand.api.envoy.resolver import ProductResolver
from farmhand.api.envoy.watch_file import WatchFile

Resolver = ProductResolver

__all__ = [
    "APIError",
    "ApIError",
    "AuthenticationError",
    "EnvoyClient",
    "EnvoyError",
    "InsufficientCreditsError",
    "InvalidRequestError",
    "Job",
    "ProductResolver",
    "Project",
    "Resolver",
    "WatchFile",
]
