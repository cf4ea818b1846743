"""Uploads: which files are missing, single-part and multipart uploads into the store.

The store is keyed by md5, so asking for upload URLs is also the dedupe: files the store
already holds are not asked for. Bytes are verified before they are kept (see ``store.py``).
Multipart sessions live in memory: a farm restart drops them with the partial parts, and the
client asks again.
"""

import asyncio
import base64
import hashlib
import math
import os
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from aiohttp import web

from farmhand.farm import signing
from farmhand.farm.context import FarmContext, context_of
from farmhand.farm.errors import NotFoundError, RequestError
from farmhand.farm.http_util import SIGNED, auth, json_response, object_body, read_json
from farmhand.farm.payload import MAX_UPLOAD_FILES, is_md5_base64
from farmhand.farm.store import md5_hex

routes = web.RouteTableDef()
READ_CHUNK = 1024 * 1024
SESSIONS = web.AppKey("farmhand_multipart_sessions", dict)


@dataclass
class Multipart:
    upload_id: str
    md5: str
    size: int
    part_size: int
    part_count: int
    created_at: float


def _sessions(request: web.Request) -> Dict[str, Multipart]:
    return request.app[SESSIONS]


def _signed_url(context: FarmContext, request: web.Request, method: str, path: str) -> str:
    query = signing.signed_query(context.secret, method, path)
    return "{}{}?{}".format(context.base_url(request), path, query)


def _verify(request: web.Request) -> None:
    signing.verify(context_of(request).secret, request.method, request.path, request.query)


def _entries(body: Dict[str, Any]) -> List[Tuple[str, str, int]]:
    items = body.get("upload_files")
    if not isinstance(items, list):
        raise RequestError("expected a list of {path, hash, size} objects", field="upload_files")
    if len(items) > MAX_UPLOAD_FILES:
        raise RequestError(
            "has {} files; the limit is {}".format(len(items), MAX_UPLOAD_FILES),
            field="upload_files",
        )
    result = []
    for index, item in enumerate(items):
        where = "upload_files[{}]".format(index)
        if not isinstance(item, dict):
            raise RequestError("expected an object", field=where)
        path, md5, size = item.get("path"), item.get("hash"), item.get("size")
        if not isinstance(path, str) or not path:
            raise RequestError("expected a file path, got {!r}".format(path), field=where + ".path")
        if not is_md5_base64(md5):
            raise RequestError(
                "{!r} is not an md5 (base64 of 16 bytes) for {}".format(md5, path),
                field=where + ".hash",
            )
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise RequestError(
                "expected a size in bytes (integer >= 0) for {}, got {!r}".format(path, size),
                field=where + ".size",
            )
        result.append((path, str(md5), size))
    return result


@routes.post("/api/v2/files/get_upload_urls")
async def get_upload_urls(request: web.Request) -> web.Response:
    context = context_of(request)
    body = object_body(await read_json(request, 256 * 1024 * 1024))
    entries = _entries(body)
    store = context.farm.store
    loop = asyncio.get_running_loop()
    present = await loop.run_in_executor(
        context.farm.threads, lambda: {md5 for _, md5, _ in entries if store.has(md5)}
    )
    single, multi = [], []
    asked = set()
    threshold, part_size = context.config.multipart_threshold, context.config.part_size
    for path, md5, size in entries:
        if md5 in present or md5 in asked:
            continue
        asked.add(md5)
        hex_digest = md5_hex(md5)
        if size < threshold:
            url_path = "/api/v2/files/objects/{}/{}".format(hex_digest, size)
            single.append(
                {
                    "filePath": path,
                    "fileSize": size,
                    "preSignedURL": _signed_url(context, request, "PUT", url_path),
                }
            )
            continue
        upload_id = uuid.uuid4().hex
        count = max(1, math.ceil(size / part_size))
        _sessions(request)[upload_id] = Multipart(
            upload_id, md5, size, part_size, count, time.time()
        )
        parts = [
            {
                "partNumber": n,
                "url": _signed_url(
                    context,
                    request,
                    "PUT",
                    "/api/v2/files/multipart/{}/parts/{}".format(upload_id, n),
                ),
            }
            for n in range(1, count + 1)
        ]
        multi.append(
            {
                "filePath": path,
                "fileSize": size,
                "md5": md5,
                "uploadID": upload_id,
                "partSize": part_size,
                "parts": parts,
            }
        )
    return json_response({"singlePartURLs": single, "multiPartURLs": multi})


async def _receive(request: web.Request, writer: Any) -> None:
    try:
        async for chunk in request.content.iter_chunked(READ_CHUNK):
            writer.write(chunk)
    except BaseException:
        writer.abort()
        raise


@routes.put("/api/v2/files/objects/{hex}/{size}")
@auth(SIGNED)
async def put_object(request: web.Request) -> web.Response:
    _verify(request)
    context = context_of(request)
    hex_digest = request.match_info["hex"]
    size = int(request.match_info["size"]) if request.match_info["size"].isdigit() else -1
    try:
        md5 = base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
    except ValueError:
        raise NotFoundError("no object {!r}".format(hex_digest)) from None
    writer = context.farm.store.writer(md5, size if size >= 0 else None)
    await _receive(request, writer)
    content_md5 = request.headers.get("Content-MD5")
    stored = writer.commit(content_md5)
    return json_response({"md5": md5, "size": writer.size, "stored": stored})


@routes.put("/api/v2/files/multipart/{upload_id}/parts/{number}")
@auth(SIGNED)
async def put_part(request: web.Request) -> web.Response:
    _verify(request)
    context = context_of(request)
    session = _session(request, request.match_info["upload_id"])
    number = int(request.match_info["number"]) if request.match_info["number"].isdigit() else 0
    if not 1 <= number <= session.part_count:
        raise RequestError(
            "part {} is out of range (1 to {})".format(
                request.match_info["number"], session.part_count
            ),
            field="partNumber",
        )
    store = context.farm.store
    path = store.part_path(session.upload_id, number)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = "{}.{}".format(path, uuid.uuid4().hex[:8])
    digest = hashlib.md5()
    size = 0
    try:
        with open(tmp, "wb") as handle:
            async for chunk in request.content.iter_chunked(READ_CHUNK):
                handle.write(chunk)
                digest.update(chunk)
                size += len(chunk)
        last = number == session.part_count
        expected = (
            session.size - session.part_size * (session.part_count - 1)
            if last
            else session.part_size
        )
        if size != expected:
            raise RequestError(
                "part {} has {} bytes; expected {}".format(number, size, expected),
                field="Content-Length",
            )
        content_md5 = request.headers.get("Content-MD5")
        if content_md5 is not None:
            actual = base64.b64encode(digest.digest()).decode("ascii")
            if actual != content_md5:
                raise RequestError(
                    "Content-MD5 mismatch on part {}: header {} but the bytes hash to {}".format(
                        number, content_md5, actual
                    ),
                    field="Content-MD5",
                )
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    response = json_response({"partNumber": number, "size": size})
    response.headers["ETag"] = '"{}"'.format(digest.hexdigest())
    return response


def _session(request: web.Request, upload_id: str) -> Multipart:
    session = _sessions(request).get(upload_id)
    if session is None:
        raise NotFoundError(
            "no multipart upload {!r} (finished, aborted, or the farm restarted);"
            " ask for upload URLs again".format(upload_id)
        )
    return session


@routes.post("/api/v2/files/multipart/complete")
async def complete_multipart(request: web.Request) -> web.Response:
    context = context_of(request)
    body = object_body(await read_json(request, 16 * 1024 * 1024))
    upload_id = body.get("uploadID")
    if not isinstance(upload_id, str):
        raise RequestError("expected the upload id string", field="uploadID")
    session = _session(request, upload_id)
    md5 = body.get("hash")
    if md5 != session.md5:
        raise RequestError(
            "hash {!r} is not the md5 this upload was started for ({})".format(md5, session.md5),
            field="hash",
        )
    parts = body.get("completedParts")
    if not isinstance(parts, list):
        raise RequestError("expected a list of {partNumber, etag}", field="completedParts")
    pairs = []
    for position, part in enumerate(parts):
        if (
            not isinstance(part, dict)
            or not isinstance(part.get("partNumber"), int)
            or not isinstance(part.get("etag"), str)
        ):
            raise RequestError(
                "expected {partNumber, etag}, got " + repr(part)[:80],
                field="completedParts[{}]".format(position),
            )
        pairs.append((part["partNumber"], part["etag"]))
    numbers = [n for n, _ in pairs]
    if numbers != list(range(1, session.part_count + 1)):
        raise RequestError(
            "expected parts 1 to {} in order, got {}".format(session.part_count, numbers[:20]),
            field="completedParts",
        )
    store = context.farm.store
    loop = asyncio.get_running_loop()
    _sessions(request).pop(upload_id, None)
    stored = await loop.run_in_executor(
        context.farm.threads, store.assemble, upload_id, pairs, session.md5, session.size
    )
    return json_response({"md5": session.md5, "size": session.size, "stored": stored})


@routes.delete("/api/v2/files/multipart/{upload_id}")
async def abort_multipart(request: web.Request) -> web.Response:
    upload_id = request.match_info["upload_id"]
    _session(request, upload_id)
    _sessions(request).pop(upload_id, None)
    context_of(request).farm.store.abort_multipart(upload_id)
    return json_response({"uploadID": upload_id, "aborted": True})


def setup(app: web.Application) -> None:
    app[SESSIONS] = {}
    app.router.add_routes(routes)
