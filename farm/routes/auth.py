"""Token exchange: the API key for a signed JWT (ciocore's ``get_api_key_bearer_token``)."""

import time
from typing import Dict
from urllib.parse import parse_qsl

from aiohttp import web

from farmhand.farm import tokens
from farmhand.farm.context import context_of
from farmhand.farm.errors import RequestError, UnauthorizedError
from farmhand.farm.http_util import API_KEY, auth, json_response, read_body

routes = web.RouteTableDef()


# The exchange is the one route anybody on the machine may call without a key, so its body
# is read only up to this (a key and a few words), not up to the payload limit.
MAX_FORM_BYTES = 64 * 1024


async def _form_body(request: web.Request) -> bytes:
    return await read_body(request, MAX_FORM_BYTES, "the token request's body")


async def _fields(request: web.Request) -> Dict[str, str]:
    fields = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type.startswith("multipart/"):
            if request.content_length is None or request.content_length > MAX_FORM_BYTES:
                raise RequestError(
                    "a multipart token request needs a Content-Length of at most {}".format(
                        MAX_FORM_BYTES
                    ),
                    field="body",
                )
            form = await request.post()
            fields.update({k: str(v) for k, v in form.items()})
            return fields
        if request.content_type != "application/x-www-form-urlencoded":
            return fields  # not a form: only the query counts (as aiohttp's post() does)
        try:
            text = (await _form_body(request)).decode("utf-8")
        except UnicodeDecodeError:
            raise RequestError("the token request's body is not UTF-8 text", field="body") from None
        fields.update(parse_qsl(text, keep_blank_values=True))
    return fields


@routes.get("/api/oauth_jwt")
@routes.post("/api/oauth_jwt")
@auth(API_KEY)
async def oauth_jwt(request: web.Request) -> web.Response:
    context = context_of(request)
    fields = await _fields(request)
    grant = fields.get("grant_type", "client_credentials")
    if grant != "client_credentials":
        raise RequestError(
            "unsupported grant_type {!r}; this farm issues client_credentials tokens".format(grant),
            field="grant_type",
        )
    client_id = fields.get("client_id", "")
    secret = fields.get("client_secret", "")
    if not client_id or not secret:
        raise UnauthorizedError(
            "client_id and client_secret (the API key's private_key) are required"
        )
    if not context.api_key.matches(client_id, secret):
        raise UnauthorizedError("unknown API key client_id {!r} for this farm".format(client_id))
    token = tokens.issue(
        context.secret,
        audience=context.base_url(request),
        account=context.account,
        subject=client_id,
        lifetime=context.token_lifetime,
        now=time.time(),
    )
    return json_response(
        {
            "access_token": token,
            "token_type": "Bearer",
            "expires_in": context.token_lifetime,
            "scope": "owner admin user",
        }
    )


def setup(app: web.Application) -> None:
    app.router.add_routes(routes)
