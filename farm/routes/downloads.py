"""Downloads: what ciocore's ``conductor download`` asks for, and the signed file URLs.

On the local farm a task's outputs are already in ``output_path``; the downloader still gets
the full answer (URLs, md5s, sizes), finds the files in place with the right md5 and skips
them, so the same tool works against the local farm and a remote service.
"""

import os
from typing import Any, Dict, List, Optional, Set, Tuple
from urllib.parse import quote

from aiohttp import web

from farmhand.farm import signing
from farmhand.farm.context import context_of
from farmhand.farm.errors import NotFoundError, RequestError
from farmhand.farm.http_util import SIGNED, auth, json_response, object_body, read_json
from farmhand.farm.ids import parse_job_id, parse_task_index
from farmhand.farm.model import SUCCESS, job_id_text, task_id_text

routes = web.RouteTableDef()


def _wanted(body: Dict[str, Any]) -> Optional[Set[int]]:
    tids = body.get("tids")
    if tids is None:
        return None
    if not isinstance(tids, list):
        raise RequestError("expected a list of task ids or null", field="tids")
    return {parse_task_index(t) for t in tids}


def _listing(
    request: web.Request, job_id: int, wanted: Optional[Set[int]], start: int, limit: int
) -> Tuple[List[Dict[str, Any]], Optional[str]]:
    """Download entries (one per succeeded task that wrote files) and the next cursor."""
    context = context_of(request)
    farm = context.farm
    job = farm.job_row(job_id)
    jid = job_id_text(job_id)
    output_dir = job["output_path"]
    by_task: Dict[int, List[Any]] = {}
    for row in farm.db.outputs(job_id):
        by_task.setdefault(row["idx"], []).append(row)
    tasks = [
        t
        for t in farm.db.tasks(job_id)
        if t["status"] == SUCCESS
        and t["idx"] >= start
        and (wanted is None or t["idx"] in wanted)
        and t["idx"] in by_task
    ]
    page, rest = tasks[:limit], tasks[limit:]
    result = []
    for task in page:
        tid = task_id_text(task["idx"])
        files = []
        for out in by_task[task["idx"]]:
            relative = os.path.relpath(out["path"], output_dir) if output_dir else out["path"]
            if relative.startswith(".."):
                continue
            url_path = "/api/v2/files/outputs/{}/{}/{}".format(jid, tid, relative)
            query = signing.signed_query(context.secret, "GET", url_path)
            files.append(
                {
                    "url": "{}{}?{}".format(context.base_url(request), quote(url_path), query),
                    "md5": out["md5"],
                    "size": out["size"],
                    "relative_path": relative,
                    "output_dir": output_dir,
                    "job_id": jid,
                    "task_id": tid,
                }
            )
        result.append(
            {
                "download_id": "{}-{}".format(jid, tid),
                "job_id": jid,
                "task_id": tid,
                "output_dir": output_dir,
                "size": sum(f["size"] for f in files),
                "files": files,
            }
        )
    return result, (str(rest[0]["idx"]) if rest else None)


@routes.post("/jobs/{jid}/downloads")
async def downloads(request: web.Request) -> web.Response:
    """ciocore's ``JobDownloader`` (``conductor download``): paged by task."""
    job_id = parse_job_id(request.match_info["jid"])
    body = object_body(await read_json(request, 16 * 1024 * 1024)) if request.can_read_body else {}
    try:
        limit = max(1, int(request.query.get("limit") or 50))
        start = int(request.query.get("start_cursor") or 0)
    except ValueError:
        raise RequestError("limit and start_cursor must be integers", field="limit") from None
    result, next_cursor = _listing(request, job_id, _wanted(body), start, limit)
    return json_response({"downloads": result, "next_cursor": next_cursor}, status=201)


@routes.get("/api/v2/files/outputs/{jid}/{tid}/{relative:.+}")
@auth(SIGNED)
async def output_file(request: web.Request) -> web.StreamResponse:
    signing.verify(context_of(request).secret, "GET", request.path, request.query)
    farm = context_of(request).farm
    job_id = parse_job_id(request.match_info["jid"])
    index = parse_task_index(request.match_info["tid"])
    job = farm.job_row(job_id)
    path = os.path.normpath(os.path.join(job["output_path"], request.match_info["relative"]))
    if not any(row["path"] == path for row in farm.db.outputs(job_id, index)):
        raise NotFoundError("{} is not an output of task {}".format(path, task_id_text(index)))
    if not os.path.exists(path):
        raise NotFoundError("{} no longer exists".format(path))
    return web.FileResponse(path)


@routes.post("/downloads/status")
async def download_status(request: web.Request) -> web.Response:
    return json_response({"body": "success"})


@routes.get("/downloads/next")
async def downloads_next(request: web.Request) -> web.Response:
    # Outputs are written in place on this machine: there is never anything left to fetch.
    return json_response({"data": []}, status=201)


@routes.get("/downloads/{jid}")
async def legacy_downloads(request: web.Request) -> web.Response:
    """The older downloader (``conductor downloader --job_id``): the whole job, or ``tid``."""
    job_id = parse_job_id(request.match_info["jid"])
    tid = request.query.get("tid")
    wanted = None if tid is None else {parse_task_index(tid)}
    result, _ = _listing(request, job_id, wanted, 0, 1_000_000)
    return json_response({"downloads": result}, status=201)


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
