"""Small helpers every route module shares: JSON answers, bodies, auth markers, ids."""

import json
import re
from typing import Any, Awaitable, Callable, Dict, Optional

from aiohttp import web

from farmhand.core.errors import FarmhandError
from farmhand.farm.errors import RequestError

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# How a route authenticates (see docs/protocol.md): a bearer token unless marked.
AUTH_ATTRIBUTE = "farmhand_auth"
BEARER = "bearer"
API_KEY = "api_key"  # the token exchange carries the key itself
SIGNED = "signed"  # the URL carries an HMAC signature


def auth(kind: str) -> Callable[[Handler], Handler]:
    def mark(handler: Handler) -> Handler:
        setattr(handler, AUTH_ATTRIBUTE, kind)
        return handler

    return mark


def dumps(data: Any) -> str:
    return json.dumps(data, separators=(",", ":"))


def json_response(data: Any, status: int = 200) -> web.Response:
    return web.Response(text=dumps(data), status=status, content_type="application/json")


def error_response(message: str, status: int, field: Optional[str] = None) -> web.Response:
    return json_response({"error": message, "field": field}, status=status)


async def read_body(
    request: web.Request,
    limit: int,
    subject: str = "the request body",
    error: Callable[..., FarmhandError] = RequestError,
) -> bytes:
    """The whole body, up to ``limit`` bytes: every route that reads a body whole comes here,
    so none is bounded only by the app-wide ``client_max_size`` (64 MiB for any caller). A
    declared Content-Length over the limit is refused before a byte is read; a chunked body
    as soon as it passes it. ``subject`` and ``error`` let a route word the refusal its own
    way (the token exchange, Tractor's spool answer)."""
    if request.content_length is not None and request.content_length > limit:
        raise error(
            "{} is {} bytes; the limit is {}".format(subject, request.content_length, limit),
            field="body",
        )
    body = bytearray()
    async for chunk in request.content.iter_chunked(min(limit + 1, 1024 * 1024)):
        body.extend(chunk)
        if len(body) > limit:
            raise error("{} is over {} bytes (the limit)".format(subject, limit), field="body")
    return bytes(body)


async def read_json(request: web.Request, limit: int) -> Any:
    """The request body as JSON, refusing (400) bodies over ``limit`` bytes."""
    return parse_json_body(await read_body(request, limit))


def parse_json_body(body: bytes) -> Any:
    """A request body's JSON, or a 400 saying why it is not (empty, not UTF-8, not JSON, or
    nested too deeply for the decoder: a RecursionError was a 500, found by fuzzing)."""
    if not body.strip():
        raise RequestError("the request body is empty; expected JSON", field="body")
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise RequestError("the request body is not UTF-8 text", field="body") from None
    except ValueError as error:
        raise RequestError(
            "the request body is not valid JSON ({})".format(error), field="body"
        ) from None
    except RecursionError:
        raise RequestError(
            "the request body nests arrays or objects too deeply to read", field="body"
        ) from None
    if _SURROGATE_ESCAPE.search(body):
        _refuse_lone_surrogates(data, "")
    return data


# ``\ud800``-style escapes: JSON may carry a lone surrogate, which is not text (SQLite, the
# file system and subprocesses cannot encode it: a title of '\ud800' was a 500, found by
# fuzzing). Pairs (an emoji escaped as two) are fine; only bodies with an escape are walked.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89a-fA-F]")


def _refuse_lone_surrogates(value: Any, where: str) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            raise RequestError(
                "holds a lone surrogate {!r} (character {} of the text), which is not text;"
                " send valid Unicode".format(value[error.start], error.start),
                field=where or "body",
            ) from None
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _refuse_lone_surrogates(item, "{}[{}]".format(where, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            _refuse_lone_surrogates(key, where or "body")
            _refuse_lone_surrogates(item, "{}.{}".format(where, key) if where else key)


def object_body(data: Any) -> Dict[str, Any]:
    if not isinstance(data, dict):
        raise RequestError(
            "expected a JSON object, got {}".format(type(data).__name__), field="body"
        )
    return data
