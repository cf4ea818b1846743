"""The farm's own status: where it listens, its slots, and jobs and tasks by state."""

import os

from aiohttp import web

from farmhand.farm.context import context_of
from farmhand.farm.http_util import json_response

routes = web.RouteTableDef()


@routes.get("/api/v1/farm")
async def farm_status(request: web.Request) -> web.Response:
    context = context_of(request)
    farm = context.farm
    jobs, tasks = farm.status_counts()
    return json_response(
        {
            "data": {
                "version": context.version,
                "pid": os.getpid(),
                "url": context.url or context.base_url(request),
                "home": context.paths.root,
                "slots": farm.slots,
                "running": len(farm.running),
                "started_at": farm.started_at,
                "jobs": jobs,
                "tasks": tasks,
            }
        }
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
