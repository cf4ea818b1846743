"""Submitting jobs and reading them back: the job, its tasks, one task with its attempts."""

import asyncio
import re
from typing import Any, Dict, Optional, Tuple

from aiohttp import web

from farmhand.farm import idempotency, views
from farmhand.farm.context import context_of
from farmhand.farm.errors import RequestError
from farmhand.farm.http_util import json_response, read_json
from farmhand.farm.ids import clamp_id, parse_job_id, parse_task_index
from farmhand.farm.model import JOB_STATES, job_id_text
from farmhand.farm.payload import MAX_BODY_BYTES, parse_payload
from farmhand.farm.service import BIG_PAYLOAD, Farm

routes = web.RouteTableDef()
JID_FILTER = re.compile(r"\Ajid_(gt|lt)_(\d+)\Z")
MAX_WAIT = 60.0


@routes.post("/jobs/")
@routes.post("/jobs")
@routes.post("/api/v1/jobs")
async def submit(request: web.Request) -> web.Response:
    context = context_of(request)
    key = idempotency.parse_key(request.headers.get(idempotency.HEADER))
    data = await read_json(request, MAX_BODY_BYTES)
    big = (request.content_length or 0) >= BIG_PAYLOAD
    loop = asyncio.get_running_loop()

    async def create(submit_key: Optional[Tuple[str, str]] = None) -> int:
        catalogue = await context.catalogue()
        account_env = list(context.config.environment)
        if big:
            spec = await loop.run_in_executor(
                context.farm.threads, parse_payload, data, catalogue, account_env
            )
        else:
            spec = parse_payload(data, catalogue, account_env)
        return await context.farm.submit(spec, submit_key)

    replayed = False
    if key is None:
        job_id = await create()
    else:
        if big:
            digest = await loop.run_in_executor(
                context.farm.threads, idempotency.body_digest, data
            )
        else:
            digest = idempotency.body_digest(data)
        job_id, replayed = await context.farm.submit_keys.submit_once(key, digest, create)
    jid = job_id_text(job_id)
    response = json_response(
        {"body": "job submitted.", "jobid": jid, "status": "success", "uri": "/jobs/" + jid},
        status=201,
    )
    if replayed:
        response.headers[idempotency.REPLAYED_HEADER] = "true"
    return response


def _int_query(request: web.Request, name: str, default: Optional[int]) -> Optional[int]:
    text = request.query.get(name)
    if text is None or text == "":
        return default
    try:
        return int(text)
    except ValueError:
        raise RequestError("expected an integer, got {!r}".format(text), field=name) from None


def _job(farm: Farm, row: Any) -> Dict[str, Any]:
    upload = farm.db.job_upload(row["id"]) if row["status"].startswith("sync_") else None
    return views.job_json(row, upload)


@routes.get("/api/v1/jobs")
@routes.get("/api/v1/jobs/")
async def list_jobs(request: web.Request) -> web.Response:
    context = context_of(request)
    low = high = None
    for clause in filter(None, request.query.get("filter", "").split(",")):
        match = JID_FILTER.match(clause.strip())
        if not match:
            raise RequestError(
                "unsupported filter clause {!r}; use jid_gt_<id> and jid_lt_<id>".format(clause),
                field="filter",
            )
        if match.group(1) == "gt":
            low = clamp_id(match.group(2))
        else:
            high = clamp_id(match.group(2))
    status = request.query.get("status") or None
    if status is not None and status not in JOB_STATES:
        raise RequestError(
            "unknown status {!r}; valid: {}".format(status, ", ".join(JOB_STATES)), field="status"
        )
    limit = _int_query(request, "limit", 1000) or 1000
    context.farm.flush()
    rows = context.farm.db.jobs(low, high, status, max(1, min(limit, 100_000)))
    return json_response({"data": [_job(context.farm, row) for row in rows]})


@routes.get("/api/v1/jobs/{jid}")
async def get_job(request: web.Request) -> web.Response:
    farm = context_of(request).farm
    job_id = parse_job_id(request.match_info["jid"])
    row = farm.job_row(job_id)
    revision = _int_query(request, "revision", None)
    wait = request.query.get("wait")
    if revision is not None and wait:
        try:
            seconds = min(float(wait), MAX_WAIT)
        except ValueError:
            raise RequestError("expected seconds, got {!r}".format(wait), field="wait") from None
        if row["revision"] == revision:
            await farm.wait_for_change(job_id, revision, seconds)
            row = farm.job_row(job_id)
    return json_response({"data": _job(farm, row)})


@routes.get("/api/v1/jobs/{jid}/tasks")
async def list_tasks(request: web.Request) -> web.Response:
    context = context_of(request)
    farm = context.farm
    job_id = parse_job_id(request.match_info["jid"])
    farm.job_row(job_id)
    outputs = views.group_outputs(farm.db.outputs(job_id))
    data = [
        views.task_json(row, context.paths, outputs.get(row["idx"], ()))
        for row in farm.db.tasks(job_id)
    ]
    return json_response({"data": data})


@routes.get("/api/v1/jobs/{jid}/tasks/{tid}")
async def get_task(request: web.Request) -> web.Response:
    context = context_of(request)
    farm = context.farm
    job_id = parse_job_id(request.match_info["jid"])
    index = parse_task_index(request.match_info["tid"])
    row = farm.task_row(job_id, index)
    data = views.task_json(row, context.paths, farm.db.outputs(job_id, index))
    data["attempts"] = [views.attempt_json(a) for a in farm.db.attempts(job_id, index)]
    return json_response({"data": data})


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
