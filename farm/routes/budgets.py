"""Budgets of a job and the core-seconds the farm has used: read by the GridMarkets-style
client (``farmhand.api.envoy``) for its credits. The budget check (``farm.budgets``) starts
and stops with the application, so a farm serves budgets whichever way it is started."""

from aiohttp import web

from farmhand.farm.budgets import BudgetWatch
from farmhand.farm.context import CONTEXT, context_of
from farmhand.farm.http_util import json_response
from farmhand.farm.ids import parse_job_id
from farmhand.farm.model import job_id_text

routes = web.RouteTableDef()
WATCH = web.AppKey("farmhand_budget_watch", BudgetWatch)


@routes.get("/api/v1/jobs/{jid}/budgets")
async def job_budgets(request: web.Request) -> web.Response:
    context = context_of(request)
    job_id = parse_job_id(request.match_info["jid"])
    row = context.farm.job_row(job_id)
    watch = await _watch(request)
    return json_response({"jid": job_id_text(job_id), "data": watch.report(job_id, row)})


@routes.get("/api/v1/usage")
async def usage(request: web.Request) -> web.Response:
    watch = await _watch(request)
    return json_response({"data": watch.usage()})


async def _watch(request: web.Request) -> BudgetWatch:
    watch = request.app[WATCH]
    watch.catalogue = await context_of(request).catalogue()
    return watch


async def _start(app: web.Application) -> None:
    app[WATCH].start()


async def _stop(app: web.Application) -> None:
    await app[WATCH].stop()


def setup(app: web.Application) -> None:
    # The farm's first catalogue (before the software probe) already has every instance
    # type, which is all a budget needs; routes refresh it.
    farm = app[CONTEXT].farm
    app[WATCH] = BudgetWatch(farm, farm.catalogue)
    app.router.add_routes(routes)
    app.on_startup.append(_start)
    app.on_cleanup.append(_stop)
