"""``POST /Tractor/spool``: the route Tractor's clients spool job scripts to.

Tractor's ``EngineClient.spool`` posts the job script as the request body
(``Content-Type: application/tractor-spool``) with the spool details in the query:
``spvers``, ``hnm`` (spooling host), ``jobOwner``, ``jobAuthor``, ``jobFile``, ``cwd`` and
``blocking=spool`` when the client waits for the job to be fully processed. The engine
answers ``{"rc": 0, "msg": "...", "jid": N}``; a refusal carries ``rc`` non-zero and the
reason in ``msg``. The local farm always parses and stores the job before it answers, so a
blocking and a non-blocking spool both learn about a bad script from the answer.

Like every farm route it needs the farm's bearer token (the local farm runs commands as
its owner, so nobody else on the machine may spool to it); ``farmhand.api.tractor.author``
fetches one when it spools to the local farm.
"""

import asyncio
from typing import Any, Dict

from aiohttp import web

from farmhand.core.errors import FarmhandError
from farmhand.farm.context import context_of
from farmhand.farm.errors import field_of, status_of
from farmhand.farm.http_util import dumps, read_body
from farmhand.farm.model import JobSpec
from farmhand.farm.tractor.script import parse_job_script
from farmhand.farm.tractor.translate import to_job_spec

SPOOL_PATH = "/Tractor/spool"
CONTENT_TYPES = ("application/tractor-spool", "text/plain", "application/octet-stream", "")
MAX_SCRIPT_BYTES = 64 * 1024 * 1024
SPOOL_QUERY = ("spvers", "hnm", "jobOwner", "jobAuthor", "jobFile", "cwd", "blocking")

routes = web.RouteTableDef()


class SpoolRequestError(FarmhandError):
    """A spool request the route cannot take (format, size, encoding); answered with 400."""

    status = 400

    def __init__(self, message: str, field: str) -> None:
        super(SpoolRequestError, self).__init__(message)
        self.message = message
        self.field = field


def _answer(data: Dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(text=dumps(data), status=status, content_type="application/json")


def _refusal(error: BaseException) -> web.Response:
    """Tractor's refusal shape (``rc``, ``msg``) plus the farm's (``error``, ``field``)."""
    status = status_of(error)
    message = str(error)
    return _answer(
        {"rc": 1, "msg": message, "error": message, "field": field_of(error)}, status=status
    )


async def _script(request: web.Request) -> str:
    content_type = request.content_type if request.headers.get("Content-Type") else ""
    if content_type == "application/tractor-spool-json":
        raise SpoolRequestError(
            "Tractor's JSON job format is not supported by the local farm; spool the Tcl job"
            " script (Content-Type: application/tractor-spool)",
            field="Content-Type",
        )
    if content_type not in CONTENT_TYPES:
        raise SpoolRequestError(
            "unsupported Content-Type {!r}; expected application/tractor-spool".format(
                content_type
            ),
            field="Content-Type",
        )
    body = await read_body(request, MAX_SCRIPT_BYTES, "the job script", SpoolRequestError)
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SpoolRequestError(
            "the job script is not UTF-8 text (byte {} of the body)".format(error.start),
            field="body",
        ) from None
    if not text.strip():
        raise SpoolRequestError("the job script is empty", field="body")
    return text


def _owner(request: web.Request) -> str:
    owner = request.query.get("jobOwner", "").strip()
    if owner:
        return owner
    cookie = request.cookies.get("TractorUser", "").strip()
    return cookie


def _job_spec(text: str, owner: str, query: Dict[str, str]) -> JobSpec:
    return to_job_spec(parse_job_script(text), owner=owner, script=text, spool=query)


@routes.post(SPOOL_PATH)
async def spool(request: web.Request) -> web.Response:
    context = context_of(request)
    try:
        text = await _script(request)
        query = {key: request.query[key] for key in SPOOL_QUERY if key in request.query}
        # Reading a big script takes a while (about 30 ms per 1,000 tasks): off the event
        # loop, so the farm keeps answering and dispatching meanwhile.
        spec = await asyncio.get_running_loop().run_in_executor(
            None, _job_spec, text, _owner(request), query
        )
        job_id = await context.farm.submit(spec)
    except FarmhandError as error:
        return _refusal(error)
    return _answer(
        {
            "rc": 0,
            "msg": "job script accepted, jid: {} ({} tasks)".format(job_id, len(spec.tasks)),
            "jid": job_id,
        }
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
