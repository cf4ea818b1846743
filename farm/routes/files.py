"""Uploads: which files are missing, single-part and multipart uploads into the store.

The store is keyed by md5, so asking for upload URLs is also the dedupe: files the store
already holds (or is landing, see ``landing.py``) are not asked for, unless the client asks
with ``"force": true`` (a Farmhand addition: the job's ``force_upload``). Bytes are hashed
while they arrive and verified before they are kept (``upload_stream.py``, ``multipart.py``).
A multipart upload an earlier client left unfinished is handed back with the parts it holds
(``receivedParts``, a Farmhand addition). Uploads that cannot fit on the farm's disk are
refused before any byte is sent (507), and a disk that fills up during an upload is a 507
too, with nothing of the upload kept.
"""

import asyncio
import base64
import re
import shutil
from typing import Any, Dict, List, Tuple

from aiohttp import web

from farmhand.core.units import human_bytes, plural
from farmhand.farm import signing, upload_stream
from farmhand.farm.context import FarmContext, context_of
from farmhand.farm.errors import NotFoundError, RequestError, StorageFullError, is_disk_full
from farmhand.farm.http_util import SIGNED, auth, json_response, object_body, read_json
from farmhand.farm.payload import MAX_BODY_BYTES, is_md5_base64, upload_file_objects
from farmhand.farm.store import md5_hex

routes = web.RouteTableDef()


def _signed_url(context: FarmContext, request: web.Request, method: str, path: str) -> str:
    query = signing.signed_query(context.secret, method, path)
    return "{}{}?{}".format(context.base_url(request), path, query)


def _verify(request: web.Request) -> None:
    signing.verify(context_of(request).secret, request.method, request.path, request.query)


def _entries(body: Dict[str, Any]) -> List[Tuple[str, str, int]]:
    result = []
    for where, item in upload_file_objects(body.get("upload_files"), "{path, hash, size}"):
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


def _check_room(store_tmp: str, wanted: List[Tuple[str, str, int]], resumed: int) -> None:
    """Refuse what cannot fit on the farm's disk before the client sends a byte."""
    needed = sum(size for _, _, size in wanted) - resumed
    if needed <= 0:
        return
    free = shutil.disk_usage(store_tmp).free
    if needed > free:
        raise StorageFullError(
            "the farm's disk has {} free, and the {} it lacks need {}; free space on the farm"
            " and submit again".format(
                human_bytes(free), plural(len(wanted), "file"), human_bytes(needed)
            )
        )


# A file list is never larger than the job that names its files may be (the payload limit);
# Farmhand's uploader asks for 10,000 files at a time, a few MiB.
MAX_FILE_LIST_BYTES = MAX_BODY_BYTES


@routes.post("/api/v2/files/get_upload_urls")
async def get_upload_urls(request: web.Request) -> web.Response:
    context = context_of(request)
    body = object_body(await read_json(request, MAX_FILE_LIST_BYTES))
    entries = _entries(body)
    force = body.get("force", False)
    if not isinstance(force, bool):
        raise RequestError("expected true or false, got {!r}".format(force), field="force")
    store = context.farm.store
    loop = asyncio.get_running_loop()
    present = set()
    if not force:
        present = await loop.run_in_executor(
            context.farm.threads, lambda: {md5 for _, md5, _ in entries if store.has(md5)}
        )
    threshold, part_size = context.config.multipart_threshold, context.config.part_size
    wanted = []
    asked = set()
    for path, md5, size in entries:
        if md5 not in present and md5 not in asked:
            asked.add(md5)
            wanted.append((path, md5, size))
    multipart = context.farm.multipart
    resumed = {}
    for _, md5, size in wanted:
        if size >= threshold:
            session = multipart.resumable(md5, size, part_size)
            if session is not None:
                resumed[md5] = session
    _check_room(store.tmp, wanted, sum(multipart.received(s) for s in resumed.values()))
    single, multi = [], []
    for path, md5, size in wanted:
        if size < threshold:
            url_path = "/api/v2/files/objects/{}/{}".format(md5_hex(md5), size)
            single.append(
                {
                    "filePath": path,
                    "fileSize": size,
                    "preSignedURL": _signed_url(context, request, "PUT", url_path),
                }
            )
            continue
        session = resumed.get(md5) or multipart.start(md5, size, part_size)
        parts = [
            {
                "partNumber": n,
                "url": _signed_url(
                    context,
                    request,
                    "PUT",
                    "/api/v2/files/multipart/{}/parts/{}".format(session.upload_id, n),
                ),
            }
            for n in range(1, session.part_count + 1)
        ]
        multi.append(
            {
                "filePath": path,
                "fileSize": size,
                "md5": md5,
                "uploadID": session.upload_id,
                "partSize": part_size,
                "parts": parts,
                "receivedParts": [
                    {"partNumber": number, "etag": etag}
                    for number, etag in sorted(session.etags.items())
                ],
            }
        )
    return json_response({"singlePartURLs": single, "multiPartURLs": multi})


@routes.put("/api/v2/files/objects/{hex}/{size}")
@auth(SIGNED)
async def put_object(request: web.Request) -> web.Response:
    _verify(request)
    farm = context_of(request).farm
    hex_digest = request.match_info["hex"]
    size_text = request.match_info["size"]
    size = int(size_text) if re.match(r"\A[0-9]{1,18}\Z", size_text) else -1  # not '³
    try:
        md5 = base64.b64encode(bytes.fromhex(hex_digest)).decode("ascii")
    except ValueError:
        raise NotFoundError("no object {!r}".format(hex_digest)) from None
    expected = size if size >= 0 else None
    try:
        writer = farm.store.writer(md5, expected)
    except OSError as error:
        if not is_disk_full(error):
            raise
        raise _disk_full(md5, error) from None
    lanes = [
        upload_stream.file_lane(writer.fd, writer.tmp, 0, max(expected or 0, 0)),
        upload_stream.digest_lane(writer.digest),
    ]
    try:
        writer.size = await upload_stream.receive(
            request.content, lanes, farm.upload_threads, limit=expected
        )
    except upload_stream.TooLargeError as error:
        writer.abort()
        raise RequestError(
            "size mismatch: expected {} bytes, received more ({} so far); nothing was"
            " stored".format(expected, error.received),
            field="Content-Length",
        ) from None
    except BaseException as error:
        writer.abort()
        if is_disk_full(error):
            raise _disk_full(md5, error) from None
        raise
    stored = writer.commit(request.headers.get("Content-MD5"))
    return json_response({"md5": md5, "size": writer.size, "stored": stored})


def _disk_full(md5: str, error: BaseException) -> StorageFullError:
    return StorageFullError(
        "no room left on the farm's disk for {} ({}); nothing was stored".format(
            md5, getattr(error, "strerror", None) or error
        )
    )


@routes.put("/api/v2/files/multipart/{upload_id}/parts/{number}")
@auth(SIGNED)
async def put_part(request: web.Request) -> web.Response:
    _verify(request)
    number, size, etag = await context_of(request).farm.multipart.put_part(
        request.match_info["upload_id"],
        request.match_info["number"],
        request.content,
        request.headers.get("Content-MD5"),
    )
    response = json_response({"partNumber": number, "size": size})
    response.headers["ETag"] = '"{}"'.format(etag)
    return response


@routes.post("/api/v2/files/multipart/complete")
async def complete_multipart(request: web.Request) -> web.Response:
    body = object_body(await read_json(request, 16 * 1024 * 1024))
    session, stored = await context_of(request).farm.multipart.complete(body)
    return json_response({"md5": session.md5, "size": session.size, "stored": stored})


@routes.delete("/api/v2/files/multipart/{upload_id}")
async def abort_multipart(request: web.Request) -> web.Response:
    upload_id = request.match_info["upload_id"]
    context_of(request).farm.multipart.abort(upload_id)
    return json_response({"uploadID": upload_id, "aborted": True})


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
