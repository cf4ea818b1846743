"""What every route handler needs: the farm, its keys, its catalogue, its settings.

Stored once on the aiohttp application under ``CONTEXT`` so handlers take it from the request
instead of from module globals (two farms can run in one test process).
"""

import asyncio
from dataclasses import dataclass, field
from typing import Optional

from aiohttp import web

from farmhand.core.catalogue import Catalogue
from farmhand.farm.config import FarmConfig
from farmhand.farm.credentials import ApiKey, account_id
from farmhand.farm.paths import FarmPaths
from farmhand.farm.service import Farm

TOKEN_LIFETIME = 24 * 3600


@dataclass
class FarmContext:
    farm: Farm
    paths: FarmPaths
    config: FarmConfig
    api_key: ApiKey
    secret: bytes
    catalogue_future: "asyncio.Future[Catalogue]"
    account: str = field(default_factory=account_id)
    url: str = ""
    version: str = ""
    token_lifetime: int = TOKEN_LIFETIME

    async def catalogue(self) -> Catalogue:
        """The catalogue; the first call may wait for the software probe to finish."""
        catalogue = await asyncio.shield(self.catalogue_future)
        self.farm.catalogue = catalogue
        return catalogue

    def base_url(self, request: Optional[web.Request] = None) -> str:
        if request is not None:
            return "{}://{}".format(request.scheme, request.host)
        return self.url


CONTEXT = web.AppKey("farmhand_farm_context", FarmContext)


def context_of(request: web.Request) -> FarmContext:
    return request.app[CONTEXT]
