"""What the farm offers: projects, instance types, software packages, account environment."""

import getpass
import socket
from typing import Any, Callable, Dict, List

from aiohttp import web

from farmhand.farm.context import context_of
from farmhand.farm.errors import NotFoundError, RequestError
from farmhand.farm.http_util import json_response

routes = web.RouteTableDef()

FILTER_FIELDS: Dict[str, Callable[[Dict[str, Any]], Any]] = {
    "cores": lambda it: it["cores"],
    "cpu": lambda it: it["cores"],
    "memory": lambda it: it["memory"],
    "operating_system": lambda it: it["operating_system"],
    "gpu.gpu_count": lambda it: (it.get("gpu") or {}).get("gpu_count", 0),
    "name": lambda it: it["name"],
    "flavor": lambda it: it["flavor"],
}
FILTER_OPS: Dict[str, Callable[[Any, Any], bool]] = {
    "eq": lambda a, b: a == b,
    "ne": lambda a, b: a != b,
    "lt": lambda a, b: a < b,
    "lte": lambda a, b: a <= b,
    "gt": lambda a, b: a > b,
    "gte": lambda a, b: a >= b,
}
FILTER_TYPES: Dict[str, Callable[[str], Any]] = {"int": int, "float": float, "str": str}


Test = Callable[[Dict[str, Any]], bool]


def _clause_test(
    getter: Callable[[Dict[str, Any]], Any], compare: Callable[[Any, Any], bool], value: Any
) -> Test:
    def test(item: Dict[str, Any]) -> bool:
        try:
            return bool(compare(getter(item), value))
        except TypeError:
            return False

    return test


def instance_filter(text: str) -> List[Test]:
    """ciocore's ``field=op:value[:type]`` clauses, joined by commas."""
    tests: List[Test] = []
    for position, clause in enumerate(c for c in text.split(",") if c.strip()):
        where = "filter clause {} {!r}".format(position + 1, clause)
        name, sep, rhs = clause.partition("=")
        parts = rhs.split(":")
        if not sep or len(parts) not in (2, 3):
            raise RequestError(where + " is not field=op:value[:type]", field="filter")
        name = name.strip()
        if name not in FILTER_FIELDS:
            raise RequestError(
                "{}: unknown field {!r}; valid fields: {}".format(
                    where, name, ", ".join(FILTER_FIELDS)
                ),
                field="filter",
            )
        op = parts[0]
        if op not in FILTER_OPS:
            raise RequestError(
                "{}: unknown op {!r}; valid ops: {}".format(where, op, ", ".join(FILTER_OPS)),
                field="filter",
            )
        kind = parts[2] if len(parts) == 3 else "str"
        if kind not in FILTER_TYPES:
            raise RequestError(
                "{}: unknown type {!r}; valid types: {}".format(
                    where, kind, ", ".join(FILTER_TYPES)
                ),
                field="filter",
            )
        try:
            value = FILTER_TYPES[kind](parts[1])
        except ValueError:
            raise RequestError(
                "{}: {!r} is not a valid {}".format(where, parts[1], kind), field="filter"
            ) from None
        tests.append(_clause_test(FILTER_FIELDS[name], FILTER_OPS[op], value))
    return tests


@routes.get("/api/v1/projects/")
@routes.get("/api/v1/projects")
async def projects(request: web.Request) -> web.Response:
    catalogue = await context_of(request).catalogue()
    return json_response(
        {"data": [{"name": name, "status": "active", "id": name} for name in catalogue.projects]}
    )


@routes.get("/api/v1/instance-types")
@routes.get("/api/v1/instance-types/")
async def instance_types(request: web.Request) -> web.Response:
    catalogue = await context_of(request).catalogue()
    tests = instance_filter(request.query.get("filter", ""))
    items = [i.to_dict() for i in catalogue.instance_types]
    return json_response({"data": [i for i in items if all(t(i) for t in tests)]})


@routes.get("/api/v1/ee/packages")
@routes.get("/api/v1/ee/packages/")
async def packages(request: web.Request) -> web.Response:
    catalogue = await context_of(request).catalogue()
    items = []
    for package in catalogue.packages:
        item = package.to_dict()
        item["plugins"] = [p.package_id for p in catalogue.plugins_for(package)]
        items.append(item)
    return json_response({"data": items})


@routes.get("/api/v1/integrations/env-vars-configs")
async def env_vars_configs(request: web.Request) -> web.Response:
    context = context_of(request)
    return json_response(
        {"data": [{"account_id": context.account, "env": list(context.config.environment)}]}
    )


@routes.get("/api/v1/accounts/{account}")
async def account(request: web.Request) -> web.Response:
    context = context_of(request)
    if request.match_info["account"] != context.account:
        raise NotFoundError("no account {!r}".format(request.match_info["account"]))
    name = "{}@{}".format(getpass.getuser(), socket.gethostname())
    return json_response({"data": {"id": context.account, "name": name}})


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
