"""Task logs: ciocore's ``get_log_file`` (per attempt, incremental) and the raw text."""

import asyncio
import os
from typing import Any, Dict, List

from aiohttp import web

from farmhand.farm.context import context_of
from farmhand.farm.errors import NotFoundError, RequestError
from farmhand.farm.ids import parse_job_id, parse_task_index
from farmhand.farm.model import job_id_text, task_id_text

routes = web.RouteTableDef()


def _read_lines(path: str) -> List[str]:
    try:
        with open(path, "rb") as handle:
            text = handle.read().decode("utf-8", "replace")
    except FileNotFoundError:
        return []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def _known_lines(request: web.Request) -> List[int]:
    values = request.query.getall("num_lines[]", []) or request.query.getall("num_lines", [])
    result = []
    for position, value in enumerate(values):
        try:
            result.append(max(0, int(value)))
        except ValueError:
            raise RequestError(
                "expected a line count, got {!r}".format(value),
                field="num_lines[{}]".format(position),
            ) from None
    return result


@routes.get("/get_log_file")
async def get_log_file(request: web.Request) -> web.Response:
    farm = context_of(request).farm
    for name in ("job", "task"):
        if name not in request.query:
            raise RequestError("is required", field=name)
    job_id = parse_job_id(request.query["job"])
    index = parse_task_index(request.query["task"])
    task = farm.task_row(job_id, index)
    known = _known_lines(request)
    attempts = farm.db.attempts(job_id, index)
    loop = asyncio.get_running_loop()
    logs: List[Dict[str, Any]] = []
    counts = []
    for position, attempt in enumerate(attempts):
        lines = await loop.run_in_executor(farm.threads, _read_lines, attempt["log_path"])
        skip = known[position] if position < len(known) else 0
        logs.append(
            {
                "container_id": "{}-{}-{}".format(
                    job_id_text(job_id), task_id_text(index), attempt["attempt"]
                ),
                "instance_name": attempt["host"],
                "attempt": attempt["attempt"],
                "outcome": attempt["outcome"],
                "log": lines[skip:],
                "timestamp": str(attempt["started_at"]),
            }
        )
        counts.append(len(lines))
    return web.json_response(
        {
            "logs": logs,
            "new_num_lines": counts,
            "status_description": "",
            "task_status": task["status"],
        }
    )


@routes.get("/api/v1/jobs/{jid}/tasks/{tid}/log")
async def raw_log(request: web.Request) -> web.StreamResponse:
    farm = context_of(request).farm
    job_id = parse_job_id(request.match_info["jid"])
    index = parse_task_index(request.match_info["tid"])
    farm.task_row(job_id, index)
    attempts = farm.db.attempts(job_id, index)
    if not attempts:
        raise NotFoundError(
            "task {}:{} has not run yet; it has no log".format(
                job_id_text(job_id), task_id_text(index)
            )
        )
    wanted = request.query.get("attempt")
    if wanted is None:
        chosen = attempts[-1]
    else:
        numbers = [a["attempt"] for a in attempts]
        try:
            chosen = attempts[numbers.index(int(wanted))]
        except ValueError:
            raise NotFoundError(
                "task {}:{} has no attempt {!r}; it has attempts {}".format(
                    job_id_text(job_id), task_id_text(index), wanted, numbers
                )
            ) from None
    path = chosen["log_path"]
    if not os.path.exists(path):
        return web.Response(text="", content_type="text/plain")
    return web.FileResponse(path, headers={"Content-Type": "text/plain; charset=utf-8"})


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
