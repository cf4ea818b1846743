"""The upload daemon's side (ciocore's ``conductor upload`` in daemon mode).

A job submitted with ``local_upload: false`` names files the farm does not hold yet; the farm
keeps it in ``sync_pending`` and owes the upload to a daemon, which asks for work with
``PUT /uploads/client/next``, hashes and uploads the files through the ordinary upload
routes, and reports ``finish`` (or ``fail``). The job's tasks start once every file it needs is
in the store with the md5 it was submitted with.
"""

import json
from typing import Any, Dict

from aiohttp import web

from farmhand.farm.context import context_of
from farmhand.farm.errors import RequestError
from farmhand.farm.http_util import (
    json_response,
    object_body,
    parse_json_body,
    read_body,
    read_json,
)
from farmhand.farm.model import job_id_text
from farmhand.farm.payload import MAX_BODY_BYTES

routes = web.RouteTableDef()


# What each daemon route carries, so none is bounded only by the app-wide 64 MiB: ``next``
# a location name, ``update`` two counters, ``fail`` the daemon's error text (a traceback),
# ``finish`` every file of a job with its md5: never more than the job that names them may be
# (the payload limit).
NEXT_BYTES = 64 * 1024
UPDATE_BYTES = 1024 * 1024
FINISH_BYTES = MAX_BODY_BYTES
FAIL_BYTES = 1024 * 1024


async def _optional_json(request: web.Request) -> Dict[str, Any]:
    if not request.can_read_body:
        return {}
    body = await read_body(request, NEXT_BYTES)
    if not body.strip():
        return {}
    return object_body(parse_json_body(body))


@routes.put("/uploads/client/next")
async def next_upload(request: web.Request) -> web.Response:
    farm = context_of(request).farm
    body = await _optional_json(request)
    location = body.get("location") or request.query.get("location") or ""
    if not isinstance(location, str):
        raise RequestError("expected a location string, got {!r}".format(location), "location")
    row = farm.owed_uploads.next_upload(location)
    if row is None:
        return web.Response(status=204)
    return json_response(
        {
            "data": {
                "id": row["id"],
                "job_id": job_id_text(row["job_id"]),
                "project": row["project"],
                "location": row["location"],
                "upload_files": json.loads(row["files"]),
            }
        },
        status=201,
    )


@routes.post("/uploads/{upload_id}/update")
async def update(request: web.Request) -> web.Response:
    body = object_body(await read_json(request, UPDATE_BYTES))
    size, done = body.get("transfer_size") or 0, body.get("bytes_transfered") or 0
    if not isinstance(size, int) or not isinstance(done, int):
        raise RequestError("transfer_size and bytes_transfered must be integers", "body")
    context_of(request).farm.owed_uploads.progress(request.match_info["upload_id"], size, done)
    return json_response({"body": "success"})


@routes.post("/uploads/{upload_id}/finish")
async def finish(request: web.Request) -> web.Response:
    body = object_body(await read_json(request, FINISH_BYTES))
    files = body.get("upload_files")
    if not isinstance(files, dict):
        raise RequestError("expected {path: {source, md5}}", field="upload_files")
    md5s = {}
    for path, item in files.items():
        md5 = item.get("md5") if isinstance(item, dict) else item
        if not isinstance(md5, str):
            raise RequestError(
                "expected an md5 for {}, got {!r}".format(path, md5),
                field="upload_files[{!r}]".format(path),
            )
        md5s[path] = md5
    await context_of(request).farm.owed_uploads.finish(request.match_info["upload_id"], md5s)
    return json_response({"body": "success"})


@routes.post("/uploads/{upload_id}/fail")
async def fail(request: web.Request) -> web.Response:
    text = (await read_body(request, FAIL_BYTES)).decode("utf-8", "replace")
    context_of(request).farm.owed_uploads.fail(request.match_info["upload_id"], text)
    return json_response({"body": "success"})


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
